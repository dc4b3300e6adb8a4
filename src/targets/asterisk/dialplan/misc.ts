import type { Announcement, Conference } from '../../../model/types.js';
import { bridgeProfile, userProfile } from '../confbridge.js';
import { step, type Context } from '../conf/dialplan.js';
import { gotoTarget } from '../names.js';

export function announcementContext(a: Announcement): Context {
  return {
    name: `announcement-${a.name}`,
    comment: `announcement ${a.name}${a.description ? `: ${a.description}` : ''}`,
    extensions: [{ pattern: 's', steps: [step('Gosub(cp-answer,s,1)'), step(`Playback(${a.prompt})`, 'play'), step(`Goto(${gotoTarget(a.then)})`, 'after')] }],
  };
}

export function conferenceContext(c: Conference): Context {
  return {
    name: `conference-${c.name}`,
    comment: `conference room ${c.name} (${c.extension})`,
    extensions: [{ pattern: 's', steps: [step('Gosub(cp-answer,s,1)'), step(`ConfBridge(${c.name},${bridgeProfile(c.name)},${userProfile(c.name)})`, 'talk'), step('Hangup()')] }],
  };
}

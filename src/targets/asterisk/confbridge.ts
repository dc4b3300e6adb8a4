import type { Model } from '../../model/types.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { header } from './conf/header.js';
import { renderConf, type ConfSection } from './conf/ini.js';

export const bridgeProfile = (room: string): string => `bridge-${room}`;
export const userProfile = (room: string): string => `user-${room}`;

/** A bridge profile (size, recording) and a user profile (PIN, music) per conference room. */
export function confbridgeConf(model: Model, secrets: SecretResolver): string {
  const sections: ConfSection[] = model.conferences.flatMap((c): ConfSection[] => [
    {
      name: bridgeProfile(c.name),
      comment: `conference ${c.name} (${c.extension})${c.description ? `: ${c.description}` : ''}`,
      entries: [
        ['type', 'bridge'],
        ['max_members', c.maxMembers],
        ['record_conference', c.record],
      ],
    },
    {
      name: userProfile(c.name),
      entries: [
        ['type', 'user'],
        ['pin', c.pin ? secrets.value(c.pin) : undefined],
        ['music_on_hold_when_empty', true],
        ['music_on_hold_class', c.music],
        ['announce_user_count', true],
      ],
    },
  ]);
  return renderConf(header('confbridge.conf', model), [{ name: 'general', entries: [] }, ...sections]);
}

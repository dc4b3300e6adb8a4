import type { Group, Model, NoAnswerStep, User } from '../../../model/types.js';
import type { ModelIndex } from '../model-index.js';
import { step, type Context, type Extension } from '../conf/dialplan.js';
import { dialString, gotoTarget } from '../names.js';
import { QUEUE_MEMBER_CONTEXT } from '../queues.js';
import { agentExtensions, agentStatusExtensions, pickupExtensions } from './features.js';
import { answeredOption, userRecording } from './recording.js';

export const userContextName = (extension: string): string => `user-${extension}`;

/**
 * user-EXT rings the user's devices, then each no-answer step in turn. Every extension here has
 * the same two-step shape (ring or go, then on to the next), and the ringing happens inside the
 * generic cp-ring, so a reload never moves a ringing call onto another step.
 */
export function userContext(user: User, { users, groups }: ModelIndex, model: Model): Context[] {
  const chain = user.noAnswer?.then ?? [];
  const timeout = user.noAnswer ? String(user.noAnswer.after) : '';
  const name = userContextName(user.extension);
  const next = (i: number) => (i < chain.length ? `Goto(${name},step-${i + 1},1)` : 'Hangup()');
  const ringOptions = (who: User) => (recordsAny(model) ? answeredOption(model, who.extension) : '');
  const ring = (who: User, devices: string) => step(`Gosub(cp-ring,s,1(${devices},${timeout},${ringOptions(who)}))`, 'ring');
  const extensions: Extension[] = [
    {
      pattern: 's',
      comment: `${user.name}: ring ${timeout ? `${timeout} s` : 'until answered'}`,
      steps: [step(`Gosub(${name}-prelude,s,1)`), ring(user, dialString(user)), step(next(0))],
    },
    ...chain.map((s, i): Extension => ({ pattern: `step-${i + 1}`, comment: describe(s), steps: [stepFor(s, user, users, groups, ring, ringOptions, timeout), step(next(i + 1))] })),
  ];
  const prelude: Context = {
    name: `${name}-prelude`,
    extensions: [{ pattern: 's', steps: [step('Gosub(cp-call-start,s,1)'), step(`ExecIf($["\${CP_CALLEE}" = ""]?Set(__CP_CALLEE=${user.extension}))`), ...userRecording(model, user), step('Return()')] }],
  };
  return [{ name, comment: `user ${user.extension} (${user.name})`, extensions }, prelude];
}

const recordsAny = (model: Model) => model.recording.policies.length > 0;

function stepFor(
  s: NoAnswerStep,
  user: User,
  users: Map<string, User>,
  groups: Map<string, Group>,
  ring: (who: User, devices: string) => ReturnType<typeof step>,
  ringOptions: (who: User) => string,
  timeout: string,
) {
  if (s.kind === 'user') return ring(users.get(s.id)!, dialString(users.get(s.id)!));
  if (s.kind === 'group') {
    // The colleagues, not the user who did not answer: the group's dial string is one global,
    // and cp-ring-group leaves this user's devices out when the call gets there.
    const first = groups.get(s.id)!.members.find((ext) => ext !== user.extension);
    return step(`Gosub(cp-ring-group,s,1(${s.id},${dialString(user)},${timeout},${ringOptions(users.get(first ?? user.extension)!)}))`, 'ring');
  }
  return step(`Goto(${gotoTarget(s)})`);
}

function describe(s: NoAnswerStep): string {
  const what = 'id' in s ? `${s.kind} ${s.id}` : s.kind;
  return s.via ? `no answer: ${s.via} (${what})` : `no answer: ${what}`;
}

/**
 * Internal numbers: users (with a hint, so BLF keys show whether they are busy), queues and
 * conference rooms, plus voicemail access and the feature codes every phone may dial.
 */
export function internalContext(model: Model): Context {
  const ext = (pattern: string, target: string, comment?: string, hint?: string): Extension => ({ pattern, comment, ...(hint ? { hint } : {}), steps: [step(`Goto(${target})`)] });
  return {
    name: 'internal',
    comment: 'Internal numbers, reached from every phone (through its permission class context).',
    extensions: [
      ...model.users.map((u) => ext(u.extension, `${userContextName(u.extension)},s,1`, u.name, dialString(u))),
      ...model.queues.filter((q) => q.extension).map((q) => ext(q.extension!, `queue-${q.name},s,1`, `queue ${q.name}`)),
      ...model.conferences.map((c) => ext(c.extension, `conference-${c.name},s,1`, `conference ${c.name}`)),
      { pattern: '*97', comment: 'own voicemail box', steps: [step('VoiceMailMain(${CALLERID(num)}@default)'), step('Hangup()')] },
      ...agentExtensions(model),
      ...agentStatusExtensions(model),
      ...pickupExtensions(model),
    ],
  };
}

export function voicemailContext(model: Model): Context {
  return {
    name: 'voicemail',
    extensions: model.users.filter((u) => u.voicemail).map((u) => ({ pattern: u.extension, steps: [step('Gosub(cp-answer,s,1)'), step(`VoiceMail(${u.extension}@default,u)`, 'record'), step('Hangup()')] })),
  };
}

/** What a queue rings for one member: all of the user's devices. */
export function queueMembersContext(model: Model): Context {
  const members = new Set(model.queues.flatMap((q) => q.members.map((m) => m.extension)));
  // A dialer call brings its contact to the agent's phone as SIP headers (b(): on each device's channel before it rings).
  const dialerHeaders = model.campaigns.length > 0 ? 'b(cp-dialer-headers^s^1)' : '';
  return {
    name: QUEUE_MEMBER_CONTEXT,
    comment: 'Queue members: Local/EXT@cp-queue-members rings every device of the user.',
    extensions: model.users
      .filter((u) => members.has(u.extension) && u.devices.length > 0)
      .map((u) => ({
        pattern: u.extension,
        // Always through cp-answered: supervisors watch queue calls by the SPYGROUP it sets.
        steps: [...userRecording(model, u, true), step(`Dial(${dialString(u)},,${answeredOption(model, u.extension)}${dialerHeaders})`, 'dial'), step('Hangup()')],
      })),
  };
}

export function groupContext(group: Group): Context {
  return {
    name: `group-${group.name}`,
    comment: `group ${group.name}: ring every member for ${group.ringTimeout} s`,
    extensions: [{ pattern: 's', steps: [step(`Gosub(cp-ring,s,1(\${GLOBAL(${groupVariable(group.name)})},${group.ringTimeout}))`, 'ring'), step('Hangup()')] }],
  };
}

/** The global holding a group's dial string (every device of every member). */
export const groupVariable = (group: string): string => `CP_GROUP_${group}`;

/** [globals] entries: one dial string per group, so contexts name the group instead of repeating its devices. */
export function groupGlobals(model: Model, { users }: ModelIndex): [string, string][] {
  return model.groups.map((g) => [groupVariable(g.name), g.members.map((ext) => dialString(users.get(ext)!)).filter(Boolean).join('&')]);
}

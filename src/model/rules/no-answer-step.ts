import type { RawNoAnswer, RawUser } from '../input.js';
import { entries, type Rule } from './rule.js';
import { hasVoicemail } from './unknown-reference.js';

/** A relative no-answer step (group, supervisor, secretary, voicemail) that can never ring anyone for this user. */
export const noAnswerStep: Rule = {
  id: 'no-answer-step',
  description: "A user's no-answer steps group, supervisor, secretary and voicemail have someone to ring.",
  severity: 'warning',
  needsEveryFile: true,
  check(ctx) {
    const { raw } = ctx;
    const groups = new Map(entries(raw.groups));
    const check = (user: RawUser, rule: RawNoAnswer, at: object, reported?: Set<number>) => {
      rule.then?.forEach((step, i) => {
        if (reported?.has(i)) return;
        const group = user.group === undefined ? undefined : groups.get(user.group);
        let problem: string | undefined;
        if (step === 'group' && user.group === undefined) problem = 'has no group';
        else if (step === 'supervisor' && !group?.supervisor) problem = user.group ? `group ${user.group} has no supervisor` : 'has no group, so no supervisor';
        else if (step === 'secretary' && !group?.secretary) problem = user.group ? `group ${user.group} has no secretary` : 'has no group, so no secretary';
        else if (step === 'voicemail' && !hasVoicemail(raw, user.extension)) problem = 'has no voicemail box';
        if (problem) {
          reported?.add(i);
          ctx.report({ at, path: ['then', i] }, `no-answer step "${step}" of user ${user.extension} is always skipped: the user ${problem}`, 'Remove the step, or give the user (or group) what it needs.');
        }
      });
    };
    for (const user of raw.users ?? []) {
      if (user.no_answer) check(user, user.no_answer, user.no_answer);
    }
    // Defaults apply to users without their own rule; report each step once, at the defaults, naming
    // the first such user it is skipped for. (Checking only the first such user made the warning
    // depend on the order users are listed in.) Users of one group and voicemail setting fare alike.
    const fallback = raw.defaults?.no_answer;
    if (fallback) {
      const reported = new Set<number>();
      const kinds = new Set<string>();
      for (const user of raw.users ?? []) {
        const kind = JSON.stringify([user.group ?? null, user.voicemail === undefined ? null : user.voicemail !== false]);
        if (user.no_answer || kinds.has(kind)) continue;
        kinds.add(kind);
        check(user, fallback, fallback, reported);
      }
    }
  },
};

import { ContactState, type ContactStore } from './contacts.js';
import type { CallOutcome, PacingSettings } from './types.js';

export type AfterAttempt =
  | { kind: 'reached' }
  | { kind: 'callback'; at: number }
  | { kind: 'retry'; at: number; numberIndex: number }
  | { kind: 'exhausted'; because: string };

/**
 * What happens to a contact after a call ends. Retry rules count per contact and outcome: a
 * rule `{ max: 3, after: 1h }` for no answer allows three more attempts after no-answers, each at
 * least an hour after the last. The next attempt dials the contact's next live number in the
 * configured order (mobile, then home, then work ... and round again).
 */
export function afterAttempt(
  store: ContactStore,
  settings: Pick<PacingSettings, 'retries'>,
  i: number,
  numberIndex: number,
  outcome: CallOutcome,
  now: number,
  callback?: { at: number; agent?: number },
): AfterAttempt {
  if (outcome === 'connected') {
    if (callback) {
      store.state[i] = ContactState.callback;
      store.callbackAt[i] = callback.at;
      store.callbackAgent[i] = callback.agent ?? -1;
      return { kind: 'callback', at: callback.at };
    }
    store.state[i] = ContactState.reached;
    return { kind: 'reached' };
  }
  if (outcome === 'abandoned') store.abandonedAt[i * 4 + numberIndex] = now;
  const rule = settings.retries[outcome];
  const used = store.countAttempt(i, outcome);
  if (used > rule.max) {
    store.state[i] = ContactState.exhausted;
    return { kind: 'exhausted', because: `${outcome} ${used} times (the rule allows ${rule.max} retries)` };
  }
  const next = store.liveFrom(i, (numberIndex + 1) % store.count[i]!);
  if (next < 0) {
    store.state[i] = ContactState.exhausted;
    return { kind: 'exhausted', because: 'no live number left' };
  }
  store.next[i] = next;
  store.readyAt[i] = now + rule.afterSeconds * 1000;
  store.state[i] = ContactState.pending;
  return { kind: 'retry', at: store.readyAt[i]!, numberIndex: next };
}

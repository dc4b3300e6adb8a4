/**
 * The seam between the dialer's durable state (src/dialer/state, src/dialer/runtime) and the part
 * that talks to Asterisk (src/dialer/daemon). The daemon never touches the database; the runtime
 * never touches AMI. Both sides are tested alone against this contract.
 *
 * Crash safety rests on one order of writes: an attempt is recorded (write-ahead) before the
 * daemon originates it, and its end is recorded before the core learns it. After a crash,
 * `unfinished()` lists every attempt that may be on Asterisk; the daemon asks Asterisk about each
 * (the attempt id travels as the channel variable CP_ATTEMPT and the Originate ActionID) and
 * reports what it finds through `record` (an `ended` event, outcome `failed` when the call never
 * existed). No attempt is planned for a contact while it has an unfinished attempt.
 */
import type { Decision, Dial, DialerEvent, LiveState, NumberType, PacingSettings } from '../pacing/index.js';

/** A dial the runtime has recorded durably; the daemon must now originate it (or end it as failed). */
export interface PlannedAttempt {
  /** Unique and stable: the core's call id, the Originate ActionID, the channel variable CP_ATTEMPT. */
  readonly attemptId: string;
  readonly campaign: string;
  /** The contact's index in the core's store (what core events name). */
  readonly contact: number;
  /** The contact's own id (from the list or the API task). */
  readonly contactId: string;
  /** E.164 digits, without '+'. */
  readonly number: string;
  readonly numberIndex: number;
  /** The number's type (mobile, landline ... from the list's number_types, or the task): the core's answer rates are per type. */
  readonly numberType: NumberType;
  readonly kind: Dial['kind'];
  /** The agent the call is placed for (progressive, preview, callback); none for predictive calls. */
  readonly agent?: string;
  readonly ringTimeoutSeconds: number;
  /** What travels with the call for the screen pop: contact id, case number, name, custom fields. */
  readonly data: Readonly<Record<string, string>>;
}

export interface CampaignRuntime {
  readonly settings: PacingSettings;
  readonly paused: boolean;
  /**
   * The core's decision for `now`, with each of its dials recorded as an attempt before this
   * returns. Paused campaigns plan nothing. Callers check `decision.reasons` for why.
   */
  plan(live: LiveState, now: number): { decision: Decision; attempts: PlannedAttempt[] };
  /** An event about an attempt (its `call` is the attempt id); persisted, then applied to the core. */
  record(event: DialerEvent): void;
  /** Attempts recorded but not ended: after a restart, each is reconciled from Asterisk's state. */
  unfinished(): PlannedAttempt[];
}

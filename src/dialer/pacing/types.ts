/**
 * The vocabulary of the pacing core: what it is told (settings, the live state, events) and what
 * it answers (a decision). Times are milliseconds since the Unix epoch (`now`, `since`);
 * durations in settings and statistics are seconds.
 */

export type Mode = 'preview' | 'progressive' | 'predictive';

export const NUMBER_TYPES = ['mobile', 'landline', 'unknown'] as const;
export type NumberType = (typeof NUMBER_TYPES)[number];

/** What an attempt can end in, for the retry rules (the model's names). */
export const RETRY_OUTCOMES = ['noAnswer', 'busy', 'machine', 'failed', 'abandoned'] as const;
export type RetryOutcome = (typeof RETRY_OUTCOMES)[number];

/** Every way a call the dialer placed can end. */
export type CallOutcome =
  /** A person was put through to an agent. */
  | 'connected'
  /** A person answered and no agent took the call in time (the profile's connect limit). */
  | 'abandoned'
  | 'busy'
  | 'noAnswer'
  /** AMD took the answer for a machine and hung up (or left the message). */
  | 'machine'
  /** Network failure, invalid number, no free channel. */
  | 'failed';

export type ProfileId = 'us-tsr' | 'uk-ofcom' | 'custom';

/** The switchable rules of a compliance profile (see profiles.ts). */
export const PROFILE_RULES = ['abandon-limit', 'connect-within', 'min-ring', 'abandon-message', 'amd-false-positive', 'no-redial-after-abandon', 'calling-hours'] as const;
export type ProfileRule = (typeof PROFILE_RULES)[number];

/** A compliance profile with the campaign's switched-off rules already applied. */
export interface ComplianceProfile {
  id: ProfileId;
  /** Highest abandoned share of live answers (0.03 = 3 %) over `windowSeconds`. */
  abandonLimit: number;
  /** The regulated measuring window; a campaign shorter than it is measured as a whole. */
  windowSeconds: number;
  /** A live answer not connected to an agent within this many seconds is abandoned. */
  connectWithinSeconds: number;
  /** Unanswered calls ring at least this long (0: no minimum). */
  minRingSeconds: number;
  /** An abandoned call gets a recorded message naming the caller. */
  abandonMessage: boolean;
  /** A person that AMD wrongly took for a machine counts as an abandoned call. */
  amdFalsePositiveIsAbandon: boolean;
  /** No redial of a number whose call was abandoned for this long, unless an agent is reserved (0: no rule). */
  noRedialAfterAbandonSeconds: number;
  /** Legal calling hours, minutes since callee-local midnight (undefined: no rule). */
  callingHours?: { from: number; to: number };
  /** Rules switched off for this campaign, each with its stated reason. */
  off: Partial<Record<ProfileRule, string>>;
}

export interface RetryRule {
  /** How many more attempts this outcome allows, per contact. */
  max: number;
  afterSeconds: number;
}

/** What the core needs to know about a campaign (built from the model by settings.ts). */
export interface PacingSettings {
  campaign: string;
  mode: Mode;
  profile: ComplianceProfile;
  /** The campaign's own abandon target (fraction), at most the profile's limit unless overridden. */
  abandonTarget: number;
  /** Calling window in the callee's local time. */
  window: {
    from: number;
    to: number;
    /** Monday = 0 ... Sunday = 6. */
    days: readonly boolean[];
    /** Local dates without calls: "MM-DD" every year, or "YYYY-MM-DD". */
    holidays: ReadonlySet<string>;
  };
  /** Time zone of contacts (and numbers) that name none. */
  timezone: string;
  retries: Readonly<Record<RetryOutcome, RetryRule>>;
  amd: {
    enabled: boolean;
    /**
     * Share of persons AMD takes for machines. Not observable live (the person hears a hang-up),
     * so the controller takes it as given when the profile counts them as abandoned.
     */
    falsePositiveRate: number;
  };
  callback: {
    sameAgent: boolean;
    /** How long past its time a callback waits for its agent. */
    graceSeconds: number;
    /** After the grace period: any ready agent takes it, or it keeps waiting for its agent. */
    then: 'any-agent' | 'wait';
  };
  preview: { seconds: number; allowSkip: boolean };
  progressive: { readSeconds: number };
  predictive: {
    /** Upper bound on calls in flight per agent working the campaign. */
    maxRatio: number;
    ringTimeoutSeconds: number;
  };
  /** Channels the campaign may use at once (undefined: no limit). */
  maxChannels?: number;
  /** What the predictor assumes before it has seen a call. */
  prior: Prior;
}

export interface Prior {
  answerRate: number;
  /** Share of answered calls AMD passes to an agent (humans, and machines it misses). */
  passRate: number;
  /** Share of calls passed to an agent that are persons (the rest: machines AMD missed). */
  humanRate: number;
  ringSeconds: number;
  amdSeconds: number;
  talkSeconds: number;
  wrapSeconds: number;
}

// ---------------------------------------------------------------------------------------------
// The live state, as the simulator or the daemon sees it.

export type AgentStatus =
  /** Logged in and waiting for a call (or, in preview, for a record). */
  | 'ready'
  | 'talking'
  | 'wrapup'
  /** On a break, in a meeting, not ready. */
  | 'paused'
  | 'offline';

export interface AgentView {
  readonly id: string;
  readonly status: AgentStatus;
  /** When the agent entered this status. */
  readonly since: number;
}

export type CallPhase =
  /** Placed, not answered yet. */
  | 'ringing'
  /** Answered; answering-machine detection is listening. */
  | 'amd'
  /** A person (or a machine AMD missed) waits for an agent. */
  | 'waiting'
  /** Put through to an agent. */
  | 'connected';

export interface CallView {
  readonly id: string;
  /** Index of the contact in the store. */
  readonly contact: number;
  readonly phase: CallPhase;
  /** When the call entered this phase. */
  readonly since: number;
  readonly placedAt: number;
  /** The agent the call was placed for (progressive, preview, callbacks); none for predictive calls. */
  readonly agent?: string;
  readonly numberType: NumberType;
}

export interface LiveState {
  readonly agents: readonly AgentView[];
  readonly calls: readonly CallView[];
}

// ---------------------------------------------------------------------------------------------
// Events the core learns from.

export type DialerEvent =
  /** The callee answered after ringSeconds; AMD (if on) then decided in amdSeconds. */
  | { type: 'answered'; at: number; call: string; contact: number; numberType: NumberType; ringSeconds: number }
  /** AMD's verdict: passed to an agent (person, or a machine it missed) or not (taken for a machine). */
  | { type: 'amd'; at: number; call: string; passed: boolean; seconds: number }
  /** The call ended; exactly one per dial. */
  | {
      type: 'ended';
      at: number;
      call: string;
      contact: number;
      number: number;
      numberType: NumberType;
      outcome: CallOutcome;
      /** Whether the call was placed with an agent reserved for it. */
      reserved: boolean;
      /** The agent who talked (outcome connected). */
      agent?: string;
      /** The agent found a machine AMD missed: not a live answer. */
      machine?: boolean;
      /** The callee asked to be called back at this time (by this agent, when the campaign keeps callbacks with their agent). */
      callback?: { at: number; agent?: string };
    }
  /** An agent finished a call and its wrap-up. */
  | { type: 'agent-done'; at: number; agent: string; talkSeconds: number; wrapSeconds: number; /** The call was a machine AMD missed (not the agent's pace). */ machine?: boolean }
  /** Preview: the agent decided on the record offered. */
  | { type: 'preview'; at: number; agent: string; action: 'dial' | 'skip' };

// ---------------------------------------------------------------------------------------------
// What the core answers.

export interface Dial {
  contact: number;
  /** Index of the number within the contact (0-3), in the configured order. */
  numberIndex: number;
  number: number;
  numberType: NumberType;
  /** The agent the call is placed for; none for a predictive call. */
  agent?: string;
  kind: 'predictive' | 'progressive' | 'preview' | 'callback';
  /** Ring at most this long. */
  ringTimeoutSeconds: number;
}

/** A record shown to an agent before its call: preview (the agent decides) or progressive (read time). */
export interface Offer {
  agent: string;
  contact: number;
  numberIndex: number;
  kind: 'preview' | 'progressive' | 'callback';
  /** Preview: the record is released then; progressive: the call is placed then. */
  until: number;
}

export interface Reason {
  code: string;
  /** Short human text; numbers rounded. */
  text: string;
}

export interface Decision {
  at: number;
  dials: Dial[];
  /** Records newly reserved for agents in this decision. */
  offers: Offer[];
  /** Calls in flight per agent working the campaign after this decision (the "dial level"). */
  level: number;
  reasons: Reason[];
}

import type { PacingSettings } from '../pacing/types.js';

/** One answer-rate change during the campaign: from `atMinutes` after the first login on, rates × factor. */
export interface Shift {
  atMinutes: number;
  factor: number;
}

/**
 * Everything a simulated campaign is made of. Rates are probabilities per attempt, times are
 * seconds (means and coefficients of variation of log-normal distributions).
 */
export interface Scenario {
  seed: number;
  /** First login, ms since the epoch; later days start at the same local time. */
  start: number;
  /** Calling days (days the campaign's window is closed in its own zone are skipped). */
  days: number;
  /** Length of the shift each day. */
  hours: number;
  /** Decisions every this many seconds (and whenever an agent becomes ready). */
  tickSeconds: number;
  agents: {
    count: number;
    talkMean: number;
    talkCv: number;
    wrapMean: number;
    wrapCv: number;
    /** Spread of the agents' own mean talk and wrap-up times (sd of the log multiplier). */
    spread: number;
    /** A break roughly every this many minutes (0: none), of about this length. */
    breakEveryMinutes: number;
    breakMinutes: number;
    /** Share of agents who log out for good `leaveAfterHours` into the first day. */
    leaveShare: number;
    leaveAfterHours: number;
  };
  contacts: {
    count: number;
    /** Shares of contacts with 1, 2, 3 and 4 numbers. */
    numbers: [number, number, number, number];
    /** Share of mobile numbers (the rest landlines). */
    mobileShare: number;
    /** Callee time zones and their shares (empty: all in the campaign's zone). */
    zones: { timezone: string; share: number }[];
    /** Priority levels (contacts spread evenly over 0..levels-1). */
    priorities: number;
    /** Share of numbers on the do-not-call list. */
    doNotCallShare: number;
    /** Spread of the contacts' own answer propensity (sd of a log multiplier; 0: all alike). */
    propensitySpread: number;
  };
  answer: {
    /** P(answered) of a mobile number, before the hourly profile and shifts. */
    rate: number;
    /** Landlines answer this many times as often as mobiles. */
    landlineFactor: number;
    /** Multiplier per local hour of day (24 values). */
    hourly: number[];
    shifts: Shift[];
    ringMean: number;
    ringCv: number;
    busyShare: number;
    failedShare: number;
    /** Share of answers that are machines, per number type. */
    machineMobile: number;
    machineLandline: number;
    /** Share of persons reached who ask to be called back, and how many minutes later. */
    callbackShare: number;
    callbackMinutes: [number, number];
  };
  amd: {
    /** Machines AMD recognises. */
    truePositive: number;
    /** Persons AMD takes for machines. */
    falsePositive: number;
    delayMean: number;
    delayCv: number;
  };
  /** Preview: how long an agent reads a record before dialling (mean seconds), and how often they skip. */
  preview: { readMean: number; skipShare: number };
  /** Channels of the trunk (0: unlimited). */
  trunkChannels: number;
  settings: PacingSettings;
}

/** A gentle day: a little lower at lunch, higher after work. */
export const DEFAULT_HOURLY = [0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 0.8, 0.9, 0.95, 1, 1, 0.9, 0.9, 1, 1, 1.05, 1.1, 1.15, 1.15, 1.1, 1, 0.8, 0.7];

export type ScenarioInput = Partial<Omit<Scenario, 'agents' | 'contacts' | 'answer' | 'amd' | 'preview' | 'settings'>> & {
  agents?: Partial<Scenario['agents']>;
  contacts?: Partial<Scenario['contacts']>;
  answer?: Partial<Scenario['answer']>;
  amd?: Partial<Scenario['amd']>;
  preview?: Partial<Scenario['preview']>;
  settings: PacingSettings;
};

export function scenario(input: ScenarioInput): Scenario {
  const agents = input.agents?.count ?? 20;
  return {
    seed: input.seed ?? 1,
    // Monday 2 March 2026, 09:00 in the campaign's zone is set by the caller; this is 09:00 in Warsaw.
    start: input.start ?? Date.parse('2026-03-02T09:00:00+01:00'),
    days: input.days ?? 1,
    hours: input.hours ?? 8,
    tickSeconds: input.tickSeconds ?? 1,
    agents: {
      count: agents,
      talkMean: 120,
      talkCv: 0.8,
      wrapMean: 15,
      wrapCv: 0.5,
      spread: 0.25,
      breakEveryMinutes: 120,
      breakMinutes: 10,
      leaveShare: 0,
      leaveAfterHours: 4,
      ...input.agents,
    },
    contacts: {
      count: 0, // 0: enough for the shift (computed by the simulator)
      numbers: [0.4, 0.35, 0.15, 0.1],
      mobileShare: 0.7,
      zones: [],
      priorities: 1,
      doNotCallShare: 0.01,
      propensitySpread: 0.5,
      ...input.contacts,
    },
    answer: {
      rate: 0.35,
      landlineFactor: 0.8,
      hourly: DEFAULT_HOURLY,
      shifts: [],
      ringMean: 11,
      ringCv: 0.5,
      busyShare: 0.06,
      failedShare: 0.04,
      machineMobile: 0.15,
      machineLandline: 0.3,
      callbackShare: 0.05,
      callbackMinutes: [30, 180],
      ...input.answer,
    },
    amd: { truePositive: 0.9, falsePositive: 0.03, delayMean: 2.5, delayCv: 0.3, ...input.amd },
    preview: { readMean: 20, skipShare: 0.05, ...input.preview },
    trunkChannels: input.trunkChannels ?? 0,
    settings: input.settings,
  };
}

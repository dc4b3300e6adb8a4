import { complianceProfile } from './profiles.js';
import type { PacingSettings, Prior, ProfileId, RetryOutcome, RetryRule } from './types.js';

/** What the predictor assumes before it has seen a single call of the campaign. */
export const DEFAULT_PRIOR: Prior = {
  answerRate: 0.3,
  passRate: 0.8,
  humanRate: 0.75,
  ringSeconds: 12,
  amdSeconds: 2.5,
  // Long: a team that talks less than assumed is only dialled for carefully until its pace is learnt.
  talkSeconds: 240,
  wrapSeconds: 15,
};

export const DEFAULT_RETRIES: Record<RetryOutcome, RetryRule> = {
  noAnswer: { max: 3, afterSeconds: 3600 },
  busy: { max: 3, afterSeconds: 600 },
  machine: { max: 1, afterSeconds: 4 * 3600 },
  failed: { max: 2, afterSeconds: 1800 },
  abandoned: { max: 2, afterSeconds: 1800 },
};

export interface SettingsInput {
  campaign?: string;
  mode?: PacingSettings['mode'];
  profile?: ProfileId;
  abandonTarget?: number;
  window?: Partial<PacingSettings['window']>;
  timezone?: string;
  retries?: Partial<Record<RetryOutcome, RetryRule>>;
  amd?: Partial<PacingSettings['amd']>;
  callback?: Partial<PacingSettings['callback']>;
  preview?: Partial<PacingSettings['preview']>;
  progressive?: Partial<PacingSettings['progressive']>;
  predictive?: Partial<PacingSettings['predictive']>;
  maxChannels?: number;
  prior?: Partial<Prior>;
  profileOff?: PacingSettings['profile']['off'];
  windowSeconds?: number;
}

const WEEKDAYS_ONLY = [true, true, true, true, true, false, false];

/** Complete settings from a few (tests, the simulator's scenarios); the model goes through settingsFromCampaign. */
export function pacingSettings(input: SettingsInput = {}): PacingSettings {
  const profileId = input.profile ?? 'us-tsr';
  const target = input.abandonTarget ?? 0.03;
  const profile = complianceProfile({ id: profileId, off: input.profileOff ?? {}, ...(input.windowSeconds !== undefined && { windowSeconds: input.windowSeconds }) });
  const s: PacingSettings = {
    campaign: input.campaign ?? 'campaign',
    mode: input.mode ?? 'predictive',
    profile,
    abandonTarget: target,
    window: {
      from: input.window?.from ?? 9 * 60,
      to: input.window?.to ?? 20 * 60,
      days: input.window?.days ?? WEEKDAYS_ONLY,
      holidays: input.window?.holidays ?? new Set(),
    },
    timezone: input.timezone ?? 'Europe/Warsaw',
    retries: { ...DEFAULT_RETRIES, ...(input.retries ?? {}) },
    amd: { enabled: input.amd?.enabled ?? false, falsePositiveRate: input.amd?.falsePositiveRate ?? 0.03 },
    callback: { sameAgent: true, graceSeconds: 300, then: 'any-agent', ...(input.callback ?? {}) },
    preview: { seconds: 30, allowSkip: true, ...(input.preview ?? {}) },
    progressive: { readSeconds: 0, ...(input.progressive ?? {}) },
    predictive: { maxRatio: 3, ringTimeoutSeconds: 25, ...(input.predictive ?? {}) },
    prior: { ...DEFAULT_PRIOR, ...(input.prior ?? {}) },
  };
  if (input.maxChannels !== undefined) s.maxChannels = input.maxChannels;
  return s;
}

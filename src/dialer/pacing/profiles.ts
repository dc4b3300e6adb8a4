import type { ComplianceProfile, ProfileId, ProfileRule } from './types.js';

const DAY = 86_400;

/**
 * The regulators' rules as the dialer applies them. Facts, in short:
 * - US Telemarketing Sales Rule, 16 CFR 310.4(b)(4): a call is abandoned when a person answers and
 *   is not connected to a sales representative within two seconds of the completed greeting; the
 *   safe harbor allows at most 3 % of calls answered by a person, measured per campaign over 30 days
 *   (or the campaign, if shorter); unanswered calls ring at least 15 seconds or four rings; an
 *   abandoned call gets a recorded message with the seller's name and number.
 * - Ofcom's statement of policy on persistent misuse (2016): at most 3 % abandoned calls per
 *   campaign in any 24 hours; a call is abandoned when not connected to a live operator within two
 *   seconds of the person starting to speak; AMD false positives (persons taken for machines) are
 *   counted as abandoned calls; an abandoned number is not called again within 72 hours unless a
 *   live operator is guaranteed.
 * - Both: consumer calls in 08:00-21:00 callee-local time.
 * `custom` keeps only what the campaign states (its abandon target and window, and calling hours).
 */
const BASE: Record<ProfileId, Omit<ComplianceProfile, 'off'>> = {
  'us-tsr': {
    id: 'us-tsr',
    abandonLimit: 0.03,
    windowSeconds: 30 * DAY,
    connectWithinSeconds: 2,
    minRingSeconds: 15,
    abandonMessage: true,
    amdFalsePositiveIsAbandon: false,
    noRedialAfterAbandonSeconds: 0,
    callingHours: { from: 8 * 60, to: 21 * 60 },
  },
  'uk-ofcom': {
    id: 'uk-ofcom',
    abandonLimit: 0.03,
    windowSeconds: DAY,
    connectWithinSeconds: 2,
    minRingSeconds: 0,
    abandonMessage: true,
    amdFalsePositiveIsAbandon: true,
    noRedialAfterAbandonSeconds: 3 * DAY,
    callingHours: { from: 8 * 60, to: 21 * 60 },
  },
  custom: {
    id: 'custom',
    abandonLimit: 0.03,
    windowSeconds: DAY,
    connectWithinSeconds: 2,
    minRingSeconds: 0,
    abandonMessage: false,
    amdFalsePositiveIsAbandon: false,
    noRedialAfterAbandonSeconds: 0,
    callingHours: { from: 8 * 60, to: 21 * 60 },
  },
};

/** Which rules each profile has, so a campaign can only switch off a rule its profile has. */
export const PROFILE_RULES_OF: Record<ProfileId, readonly ProfileRule[]> = {
  'us-tsr': ['abandon-limit', 'connect-within', 'min-ring', 'abandon-message', 'calling-hours'],
  'uk-ofcom': ['abandon-limit', 'connect-within', 'abandon-message', 'amd-false-positive', 'no-redial-after-abandon', 'calling-hours'],
  custom: ['abandon-limit', 'connect-within', 'calling-hours'],
};

export interface ProfileChoice {
  id: ProfileId;
  /** Campaign's abandon limit (fraction) and window, when it states them. */
  abandonLimit?: number;
  windowSeconds?: number;
  /** Rules switched off, with the reason for each. */
  off?: Partial<Record<ProfileRule, string>>;
}

/** The profile a campaign runs under, with its own limit and window and switched-off rules applied. */
export function complianceProfile(choice: ProfileChoice): ComplianceProfile {
  const base = BASE[choice.id];
  const off = { ...(choice.off ?? {}) };
  const p: ComplianceProfile = { ...base, off };
  if (choice.abandonLimit !== undefined) p.abandonLimit = choice.abandonLimit;
  if (choice.windowSeconds !== undefined) p.windowSeconds = choice.windowSeconds;
  if (off['abandon-limit'] !== undefined) p.abandonLimit = 1;
  if (off['connect-within'] !== undefined) p.connectWithinSeconds = Infinity;
  if (off['min-ring'] !== undefined) p.minRingSeconds = 0;
  if (off['abandon-message'] !== undefined) p.abandonMessage = false;
  if (off['amd-false-positive'] !== undefined) p.amdFalsePositiveIsAbandon = false;
  if (off['no-redial-after-abandon'] !== undefined) p.noRedialAfterAbandonSeconds = 0;
  if (off['calling-hours'] !== undefined) delete p.callingHours;
  return p;
}

/** The window the profile names, in words (for tables and reasons). */
export function describeWindow(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY} day${seconds === DAY ? '' : 's'}`;
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  return `${Math.round(seconds / 60)} min`;
}

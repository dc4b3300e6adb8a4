import { DEFAULTS } from '../normalize/defaults.js';
import { parseDuration } from '../time.js';
import type { ComplianceRuleKey } from '../input.js';
import { entries, type Rule } from './rule.js';

type Profile = 'us-tsr' | 'uk-ofcom' | 'custom';

/** The rules of each profile a campaign may switch off (abandon limit and calling hours have their own overrides). */
const SWITCHABLE: Record<Profile, readonly ComplianceRuleKey[]> = {
  'us-tsr': ['connect_within', 'min_ring', 'abandon_message'],
  'uk-ofcom': ['connect_within', 'abandon_message', 'amd_false_positive', 'no_redial_after_abandon'],
  custom: ['connect_within'],
};

/** us-tsr: unanswered calls ring at least 15 seconds (16 CFR 310.4(b)(1)(iv)). */
export const MIN_RING_SECONDS = 15;

/**
 * A campaign keeps its compliance profile: only the profile's own rules can be switched off (each
 * with its reason, in compliance.switch_off), calls ring long enough for us-tsr, a predictive
 * campaign names the message an abandoned call gets, and the abandon rate is not measured over a
 * longer (laxer) window than the profile's without abandon.override; under uk-ofcom, AMD whose
 * false positives alone (counted as abandoned) would spend the whole limit is refused.
 */
export const campaignCompliance: Rule = {
  id: 'campaign-compliance',
  description: "A campaign keeps its compliance profile (us-tsr, uk-ofcom): minimum ring time, a message for abandoned calls, the profile's window; a rule is switched off only with a reason.",
  severity: 'error',
  check(ctx) {
    for (const [name, c] of entries(ctx.raw.campaigns)) {
      const profile: Profile = c.compliance?.profile ?? (DEFAULTS.campaign.profile as Profile);
      const off = c.compliance?.switch_off ?? {};
      for (const key of Object.keys(off) as ComplianceRuleKey[]) {
        if (!SWITCHABLE[profile].includes(key)) {
          ctx.report(
            { at: off, path: [key], anchor: 'key' },
            `campaign ${name}: the ${profile} profile has no rule ${key} to switch off`,
            `Rules of ${profile} that can be switched off: ${SWITCHABLE[profile].join(', ')}. Remove ${key}, or choose the profile that has it.`,
          );
        }
      }
      const where = c.compliance ? { at: c.compliance, path: ['profile'] } : { at: c, path: ['mode'] };
      if (profile === 'us-tsr' && off.min_ring === undefined) {
        const ring = c.predictive?.ring_timeout;
        if (ring !== undefined && ring < MIN_RING_SECONDS) {
          ctx.report(
            { at: c.predictive!, path: ['ring_timeout'] },
            `campaign ${name}: calls ring ${ring} s, under the ${MIN_RING_SECONDS} s the us-tsr profile requires`,
            `Ring at least ${MIN_RING_SECONDS} s (ring_timeout: ${MIN_RING_SECONDS}), or give the reason in compliance.switch_off.min_ring.`,
          );
        }
      }
      if (profile !== 'custom' && c.mode === 'predictive' && c.abandon?.message === undefined && off.abandon_message === undefined) {
        ctx.report(
          where,
          `campaign ${name}: ${profile} requires a recorded message naming the caller on abandoned calls, and the campaign has none`,
          'Name the prompt in abandon.message (e.g. custom/sorry-we-missed-you), or give the reason in compliance.switch_off.abandon_message.',
        );
      }
      const fp = c.amd?.false_positive_percent ?? DEFAULTS.campaign.amdFalsePositivePercent;
      const target = c.abandon?.max_percent ?? DEFAULTS.campaign.abandon.maxPercent;
      const amdOn = c.amd?.enabled ?? c.mode === 'predictive';
      if (profile === 'uk-ofcom' && amdOn && off.amd_false_positive === undefined && fp >= target) {
        ctx.report(
          c.amd?.enabled !== undefined ? { at: c.amd, path: ['enabled'] } : where,
          `campaign ${name}: AMD takes ${fp} % of persons for machines, and uk-ofcom counts each as abandoned: the ${target} % limit is spent before a single call is dropped`,
          'Turn AMD off (amd.enabled: false), state a lower measured false-positive share in amd.false_positive_percent, or give the reason in compliance.switch_off.amd_false_positive.',
        );
      }
      const window = c.abandon?.window;
      const seconds = window === undefined ? undefined : parseDuration(window);
      const profileSeconds = parseDuration(DEFAULTS.campaign.profileWindow[profile]);
      if (profile !== 'custom' && seconds !== undefined && seconds > profileSeconds && c.abandon?.override === undefined) {
        ctx.report(
          { at: c.abandon!, path: ['window'] },
          `campaign ${name}: abandon rate measured over ${window}, longer than the ${DEFAULTS.campaign.profileWindow[profile]} ${profile} measures over`,
          'A longer window lets a bad day hide in a good week. Use the profile’s window (leave abandon.window out), or state why in abandon.override.',
        );
      }
    }
  },
};

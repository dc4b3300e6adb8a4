import { BASE } from '../../helpers/project.js';
import { ruleTable } from './rule-table.js';

/** BASE plus one predictive campaign (lines 38-43); the extra lines start at 44. */
function campaign(extra: string, mode = 'predictive'): string {
  return `${BASE}campaigns:
  renewals:
    mode: ${mode}
    queue: queue:support
    contacts: { source: api, timezone: America/New_York }
    window: { from: "09:00", to: "20:00" }
${extra}`;
}

const MESSAGE = '    abandon: { message: custom/sorry-we-missed-you }\n';

ruleTable('campaign-compliance', 'error', {
  valid: [
    { name: 'no profile (custom): nothing more is asked', files: campaign('') },
    { name: 'us-tsr with a message and the default 25 s of ringing', files: campaign(`    compliance: { profile: us-tsr }\n${MESSAGE}`) },
    { name: 'us-tsr ringing exactly 15 s', files: campaign(`    compliance: { profile: us-tsr }\n${MESSAGE}    predictive: { ring_timeout: 15 }\n`) },
    { name: 'uk-ofcom with a message, without AMD', files: campaign(`    compliance: { profile: uk-ofcom }\n${MESSAGE}    amd: { enabled: false }\n`) },
    { name: 'uk-ofcom with AMD that rarely takes a person for a machine', files: campaign(`    compliance: { profile: uk-ofcom }\n${MESSAGE}    amd: { enabled: true, false_positive_percent: 0.5 }\n`) },
    { name: 'a progressive campaign never abandons, so needs no message', files: campaign('    compliance: { profile: us-tsr }\n', 'progressive') },
    {
      name: 'a rule of the profile switched off with its reason',
      files: campaign('    compliance:\n      profile: us-tsr\n      switch_off:\n        min_ring: "the carrier ends unanswered calls at 12 s; agreed with counsel"\n        abandon_message: "business numbers only, no consumers on this list"\n    predictive: { ring_timeout: 12 }\n'),
    },
    { name: 'a shorter window than the profile’s', files: campaign(`    compliance: { profile: uk-ofcom }\n    abandon: { window: 12h, message: custom/sorry }\n    amd: { enabled: false }\n`) },
    { name: 'a longer window with its reason', files: campaign(`    compliance: { profile: uk-ofcom }\n    abandon: { window: 48h, message: custom/sorry, override: "weekend campaign measured as one, approved by compliance" }\n    amd: { enabled: false }\n`) },
  ],
  invalid: [
    {
      name: 'us-tsr ringing 10 s',
      files: campaign(`    compliance: { profile: us-tsr }\n${MESSAGE}    predictive: { ring_timeout: 10 }\n`),
      errors: [{ line: 46, column: 33, message: 'calls ring 10 s, under the 15 s the us-tsr profile requires', hint: 'switch_off.min_ring' }],
    },
    {
      name: 'a predictive us-tsr campaign without a message for abandoned calls',
      files: campaign('    compliance: { profile: us-tsr }\n'),
      errors: [{ line: 44, column: 28, message: 'us-tsr requires a recorded message naming the caller', hint: 'abandon.message' }],
    },
    {
      name: 'the same in block style',
      files: campaign('    compliance:\n      profile: uk-ofcom\n    amd: { enabled: false }\n'),
      errors: [{ line: 45, column: 16, message: 'uk-ofcom requires a recorded message' }],
    },
    {
      name: 'uk-ofcom with AMD at the default 3 % of persons taken for machines',
      files: campaign(`    compliance: { profile: uk-ofcom }\n${MESSAGE}    amd: { enabled: true }\n`),
      errors: [{ line: 46, column: 21, message: 'AMD takes 3 % of persons for machines, and uk-ofcom counts each as abandoned', hint: 'amd.enabled: false' }],
    },
    {
      name: 'switching off a rule the profile does not have',
      files: campaign(`    compliance:\n      profile: us-tsr\n      switch_off:\n        no_redial_after_abandon: "we redial at once, the CRM says so"\n${MESSAGE}`),
      errors: [{ line: 47, column: 9, message: 'the us-tsr profile has no rule no_redial_after_abandon to switch off', hint: 'connect_within, min_ring, abandon_message' }],
    },
    {
      name: 'min_ring under the custom profile',
      files: campaign('    compliance:\n      switch_off: { min_ring: "nobody asked us to ring long" }\n'),
      errors: [{ line: 45, column: 21, message: 'the custom profile has no rule min_ring' }],
    },
    {
      name: 'uk-ofcom measured over a week',
      files: campaign('    compliance: { profile: uk-ofcom }\n    abandon: { window: 7d, message: custom/sorry }\n    amd: { enabled: false }\n'),
      errors: [{ line: 45, column: 24, message: 'abandon rate measured over 7d, longer than the 24h uk-ofcom measures over', hint: 'abandon.override' }],
    },
  ],
});

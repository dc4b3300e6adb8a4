import { describe, expect, it } from 'vitest';
import { campaignAgents, settingsFromCampaign } from '../../../src/dialer/campaign.js';
import { BASE, check } from '../../helpers/project.js';

const project = (campaign: string) =>
  check({
    'callplan.yaml': `${BASE.replace('  carrier:\n    auth: registration', '  carrier:\n    max_channels: 30\n    auth: registration').replace('    timezone: Europe/Warsaw\n', '    timezone: Europe/Warsaw\n    holidays: [{ date: "05-03", name: Constitution Day }, { date: "12-24", name: Christmas Eve, hours: "08:00-13:00" }]\n')}campaigns:
  renewals:
    mode: predictive
    queue: queue:support
    outbound_class: office
    holidays_of: hq
    contacts: { source: api, numbers: [mobile, home] }
    window: { from: "07:30", to: "20:00", days: mon-sat, override: "B2B numbers, called at office hours agreed by contract" }
${campaign}`,
  });

describe('pacing settings from the model', () => {
  it('carries the profile, its switch-offs and overrides, the window, holidays, retries, AMD, callbacks and channels', () => {
    const { model, diagnostics } = project(`    compliance:
      profile: us-tsr
      switch_off: { min_ring: "the carrier ends unanswered calls at 12 s; agreed with counsel" }
    abandon: { max_percent: 2.5, message: custom/this-was-acme }
    amd: { enabled: true, false_positive_percent: 2 }
    retries: { busy: { max: 5, after: 5m } }
    predictive: { max_ratio: 2.5, ring_timeout: 12 }
    callback: { fallback_after: 15m, then: wait }
`);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const c = model!.campaigns[0]!;
    const s = settingsFromCampaign(model!, c);
    expect(s.profile).toMatchObject({ id: 'us-tsr', abandonLimit: 0.03, windowSeconds: 30 * 86_400, minRingSeconds: 0, abandonMessage: true });
    expect(s.profile.callingHours).toBeUndefined(); // window.override lifts the 08:00-21:00 rule
    expect(s.profile.off).toMatchObject({ 'min-ring': expect.stringContaining('carrier'), 'calling-hours': expect.stringContaining('B2B') });
    expect(s.abandonTarget).toBe(0.025);
    expect(s.window).toMatchObject({ from: 450, to: 1200, days: [true, true, true, true, true, true, false] });
    expect([...s.window.holidays]).toEqual(['05-03']); // a short day is no holiday for the dialer
    expect(s.timezone).toBe('Europe/Warsaw');
    expect(s.retries.busy).toEqual({ max: 5, afterSeconds: 300 });
    expect(s.amd).toEqual({ enabled: true, falsePositiveRate: 0.02 });
    expect(s.callback).toEqual({ sameAgent: true, graceSeconds: 900, then: 'wait' });
    expect(s.predictive).toEqual({ maxRatio: 2.5, ringTimeoutSeconds: 12 });
    expect(s.maxChannels).toBe(30);
    expect(campaignAgents(model!, c)).toEqual(['1001', '1002', '1003']);
  });
});

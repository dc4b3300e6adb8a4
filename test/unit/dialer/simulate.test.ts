import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dialer, pacingSettings, type Decision, type SettingsInput } from '../../../src/dialer/pacing/index.js';
import { contenders, FixedRatioPolicy, scenario, simulate, VicidialPolicy, World, Xoshiro128, type Contender, type ScenarioInput } from '../../../src/dialer/simulate/index.js';

/** Short campaigns: the unit suite stays fast; long ones are the benchmark's. */
function world(over: Partial<ScenarioInput> = {}, settings: SettingsInput = {}): World {
  return new World(scenario({ seed: 7, hours: 1, agents: { count: 6, talkMean: 60, breakEveryMinutes: 0 }, answer: { rate: 0.35 }, ...over, settings: pacingSettings(settings) }));
}

const byId = (id: string): Contender => contenders().find((c) => c.id === id)!;

describe('simulator', () => {
  afterEach(() => vi.restoreAllMocks());

  it('gives the same output for the same seed, byte for byte, and another for another seed', () => {
    const run = (seed: number) => JSON.stringify(['ours', 'vicidial-tapered-avail', 'issabel'].map((id) => simulate(world({ seed }), byId(id), { series: true })));
    const a = run(3);
    expect(run(3)).toBe(a);
    expect(run(4)).not.toBe(a);
  });

  it('xoshiro128** is a fixed stream for a seed', () => {
    const r = new Xoshiro128(42);
    const first = [r.nextU32(), r.nextU32(), r.nextU32()];
    const again = new Xoshiro128(42);
    expect([again.nextU32(), again.nextU32(), again.nextU32()]).toEqual(first);
    expect(new Set(first).size).toBe(3);
  });

  it('meets every policy with the same callees (common random numbers)', () => {
    const w = world();
    const progressive = simulate(w, byId('progressive'));
    const again = simulate(w, byId('progressive'));
    expect(again).toEqual(progressive);
    expect(progressive.abandoned).toBe(0); // an agent is reserved for every progressive call
    expect(progressive.callsPlaced).toBeGreaterThan(50);
  });

  it('keeps its own books: a dial the profile forbids is reported, whatever the core decided', () => {
    const w = world({}, { window: { from: 9 * 60, to: 20 * 60 } });
    const dnc = [...w.contacts.doNotCall][0]!;
    const dncContact = Math.floor((dnc - 48_500_000_000) / 4);
    const decide = Dialer.prototype.decide;
    let tampered = false;
    vi.spyOn(Dialer.prototype, 'decide').mockImplementation(function (this: Dialer, state, now, explain) {
      const d: Decision = decide.call(this, state, now, explain);
      if (!tampered && d.dials.length > 0) {
        tampered = true;
        // A number on the do-not-call list, and the same contact twice.
        d.dials.push({ contact: dncContact, numberIndex: (dnc - 48_500_000_000) % 4, number: dnc, numberType: 'mobile', kind: 'predictive', ringTimeoutSeconds: 10 });
        d.dials.push({ ...d.dials[0]! });
      }
      return d;
    });
    const r = simulate(w, byId('ours'));
    const rules = r.violations.map((v) => v.rule);
    expect(rules).toContain('do-not-call');
    expect(rules).toContain('one-call-per-contact');
    expect(rules).toContain('min-ring'); // 10 s of ringing under us-tsr
  });

  it('reports every regulated window over the limit when a policy overdials', () => {
    const w = world({ agents: { count: 6, talkMean: 60, breakEveryMinutes: 0 } });
    const r = simulate(w, { id: 'fixed-6', label: 'fixed 6', policy: () => new FixedRatioPolicy(6) });
    expect(r.abandonRate).toBeGreaterThan(0.03);
    expect(r.windowsOverLimit).toBe(1); // a one-hour campaign is one window
    expect(r.violations.find((v) => v.rule === 'abandon-limit')?.first).toMatch(/1 of 1 regulated window/);
  });

  it('measures sliding 24-hour windows when the campaign runs for days (uk-ofcom)', () => {
    const w = world({ days: 3, hours: 2 }, { profile: 'uk-ofcom' });
    const r = simulate(w, byId('ours'), { series: true });
    expect(r.windows).toBeGreaterThan(10);
    expect(r.series?.occupancy.length).toBeGreaterThan(3 * 24);
    expect(r.violations).toEqual([]);
  });

  it('keeps callbacks with their agent and on time', () => {
    const w = world({ answer: { rate: 0.5, callbackShare: 0.5, callbackMinutes: [5, 15] } });
    const r = simulate(w, byId('ours'));
    expect(r.callbacksDue).toBeGreaterThan(3);
    expect(r.callbacksOnTime).toBe(r.callbacksDue);
    expect(r.violations.filter((v) => v.rule === 'callback-kept')).toEqual([]);
  });

  it('drives every reference policy through the same interface without a rule broken (except the abandon limit)', () => {
    const w = world();
    for (const c of contenders()) {
      const r = simulate(w, c);
      expect(r.callsPlaced, c.id).toBeGreaterThan(0);
      expect(r.violations.filter((v) => v.rule !== 'abandon-limit'), c.id).toEqual([]);
    }
  });
});

describe('VICIdial reference', () => {
  it('raises its dial level while agents wait, and drops it to 1.0 under ADAPT_HARD_LIMIT when drops pass the target', () => {
    const s = pacingSettings({});
    const p = new VicidialPolicy(s, { method: 'ADAPT_HARD_LIMIT', availableOnly: false });
    const agents = Array.from({ length: 10 }, (_, i) => ({ id: `a${i}`, status: i < 5 ? ('ready' as const) : ('talking' as const), since: 0 }));
    const view = (now: number) => ({ now, settings: s, agents, freeReady: 5, reserved: new Set<string>(), active: 10, calls: [], connected: 5, cap: 100, open: 10_000, candidateType: () => 'mobile' as const, candidateContact: () => 0, beliefs: undefined as never });
    let t = 0;
    for (; t < 60_000; t += 1000) p.pace(view(t), false);
    expect(p.level).toBeGreaterThan(1.5);
    // 60 calls today, 10 answered, 5 dropped: 50 % of answers.
    for (let i = 0; i < 60; i++) p.pace({ ...view(t), freeReady: 0, agents: agents.map((a) => ({ ...a, status: 'talking' as const })) }, false);
    for (let i = 0; i < 10; i++) p.observe({ type: 'ended', at: t + i, call: `c${i}`, contact: i, number: 0, numberType: 'mobile', outcome: i < 5 ? 'abandoned' : 'connected', reserved: false });
    for (t += 60_000; t < 200_000; t += 1000) p.pace(view(t), false);
    expect(p.level).toBe(1);
  });
});

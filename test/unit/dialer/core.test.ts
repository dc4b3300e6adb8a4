import { describe, expect, it } from 'vitest';
import { Dialer, pacingSettings, type AgentView, type CallView, type Decision, type LiveState, type SettingsInput } from '../../../src/dialer/pacing/index.js';
import { Balance } from '../../../src/dialer/pacing/risk.js';
import { AbandonController } from '../../../src/dialer/pacing/controller.js';

/** Monday 2 March 2026, 10:00 in Warsaw (UTC+1). */
const MON_10 = Date.parse('2026-03-02T10:00:00+01:00');
const MIN = 60_000;

function agents(spec: Record<string, AgentView['status']>, since = MON_10 - MIN): AgentView[] {
  return Object.entries(spec).map(([id, status]) => ({ id, status, since }));
}

function dialer(input: SettingsInput = {}, contacts = 20, opts: { dnc?: Set<number>; zone?: string } = {}): Dialer {
  const d = new Dialer(pacingSettings(input), { ...(opts.dnc && { doNotCall: opts.dnc }) });
  const z = d.zone(opts.zone);
  for (let i = 0; i < contacts; i++) {
    d.addContact({ numbers: [{ number: 48_600_000_000 + 2 * i, type: 'mobile', zone: z }, { number: 48_220_000_000 + 2 * i + 1, type: 'landline', zone: z }] });
  }
  return d;
}

/** Calls in flight for the dials of a decision, as the daemon would report them. */
function callsFor(decisions: Decision[], now: number): CallView[] {
  return decisions.flatMap((dec) => dec.dials.map((d, k) => ({ id: `${dec.at}-${k}`, contact: d.contact, phase: 'ringing' as const, since: dec.at, placedAt: dec.at, numberType: d.numberType, ...(d.agent !== undefined && { agent: d.agent }) }))).filter((c) => c.since <= now);
}

describe('pacing core: progressive', () => {
  it('never has more calls in flight than ready agents, each placed for a distinct ready agent', () => {
    const d = dialer({ mode: 'progressive' }, 50);
    const team = agents({ a: 'ready', b: 'ready', c: 'talking', d: 'wrapup', e: 'paused' });
    const first = d.decide({ agents: team, calls: [] }, MON_10);
    expect(first.dials.map((x) => x.agent).sort()).toEqual(['a', 'b']);
    // The same agents, their calls still ringing: nothing more.
    const again = d.decide({ agents: team, calls: callsFor([first], MON_10) }, MON_10 + 1000);
    expect(again.dials).toEqual([]);
  });

  it('waits the read time with the record reserved, then dials it for that agent', () => {
    const d = dialer({ mode: 'progressive', progressive: { readSeconds: 20 } }, 5);
    const team = agents({ a: 'ready' });
    const first = d.decide({ agents: team, calls: [] }, MON_10);
    expect(first.dials).toEqual([]);
    expect(first.offers).toMatchObject([{ agent: 'a', kind: 'progressive', until: MON_10 + 20_000 }]);
    expect(d.decide({ agents: team, calls: [] }, MON_10 + 19_000).dials).toEqual([]);
    const later = d.decide({ agents: team, calls: [] }, MON_10 + 20_000);
    expect(later.dials).toMatchObject([{ agent: 'a', contact: first.offers[0]!.contact, kind: 'progressive' }]);
  });
});

describe('pacing core: preview', () => {
  it('dials nothing by itself: it offers records, takes them back after the preview time, and dials only what the agent asks', () => {
    const d = dialer({ mode: 'preview', preview: { seconds: 30 } }, 5);
    const team = agents({ a: 'ready', b: 'ready' });
    let now = MON_10;
    const offered = d.decide({ agents: team, calls: [] }, now);
    expect(offered.dials).toEqual([]);
    expect(offered.offers.map((o) => o.agent).sort()).toEqual(['a', 'b']);
    let latestForA = offered.offers.find((o) => o.agent === 'a')!;
    for (let t = 0; t < 120; t++) {
      now += 1000;
      const dec = d.decide({ agents: team, calls: [] }, now);
      expect(dec.dials).toEqual([]);
      latestForA = dec.offers.find((o) => o.agent === 'a') ?? latestForA;
      expect(latestForA.until).toBeGreaterThan(now - 1000); // an expired record is taken back and another offered
    }
    d.observe({ type: 'preview', at: now + 500, agent: 'a', action: 'dial' });
    const placed = d.decide({ agents: team, calls: [] }, now + 1000);
    expect(placed.dials).toHaveLength(1);
    expect(placed.dials[0]).toMatchObject({ agent: 'a', kind: 'preview', contact: latestForA.contact });
  });
});

describe('pacing core: contact rules hold in every decision', () => {
  it('calls only in the callee-local window, on the campaign days, never on a holiday', () => {
    const input: SettingsInput = { mode: 'progressive', window: { from: 9 * 60, to: 20 * 60, holidays: new Set(['03-03']) } };
    const d = new Dialer(pacingSettings(input));
    const ny = d.zone('America/New_York');
    const waw = d.zone('Europe/Warsaw');
    for (let i = 0; i < 40; i++) d.addContact({ numbers: [{ number: 1_212_555_0000 + i, zone: i % 2 ? ny : waw }] });
    const inWindow = (contact: number, at: number) => {
      const zone = contact % 2 ? 'America/New_York' : 'Europe/Warsaw';
      const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', weekday: 'short', month: '2-digit', day: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
      const get = (t: string) => parts.find((p) => p.type === t)!.value;
      const minute = Number(get('hour')) * 60 + Number(get('minute'));
      return minute >= 9 * 60 && minute < 20 * 60 && !['Sat', 'Sun'].includes(get('weekday')) && `${get('month')}-${get('day')}` !== '03-03';
    };
    // Every 20 minutes over a week, one ready agent: every dial must be in its callee's window.
    let dialled = 0;
    const seen = new Set<number>();
    for (let t = Date.parse('2026-03-01T00:00:00Z'); t < Date.parse('2026-03-08T00:00:00Z'); t += 20 * MIN) {
      const dec = d.decide({ agents: agents({ a: 'ready' }, t - MIN), calls: [] }, t);
      for (const x of dec.dials) {
        expect(inWindow(x.contact, t), `contact ${x.contact} at ${new Date(t).toISOString()}`).toBe(true);
        d.observe({ type: 'ended', at: t + 1000, call: `c${t}`, contact: x.contact, number: x.numberIndex, numberType: x.numberType, outcome: 'noAnswer', reserved: true });
        seen.add(x.contact % 2);
        dialled++;
      }
    }
    expect(dialled).toBeGreaterThan(50);
    expect([...seen].sort()).toEqual([0, 1]);
  });

  it("narrows a window to the profile's legal hours (08:00-21:00) unless the rule is switched off", () => {
    const early = pacingSettings({ mode: 'progressive', window: { from: 7 * 60, to: 22 * 60 } });
    const d = new Dialer(early);
    d.addContact({ numbers: [{ number: 48_600_000_001 }] });
    const at730 = Date.parse('2026-03-02T07:30:00+01:00');
    expect(d.decide({ agents: agents({ a: 'ready' }, at730), calls: [] }, at730).dials).toEqual([]);
    const overridden = new Dialer(pacingSettings({ mode: 'progressive', window: { from: 7 * 60, to: 22 * 60 }, profileOff: { 'calling-hours': 'B2B numbers only, agreed with legal' } }));
    overridden.addContact({ numbers: [{ number: 48_600_000_001 }] });
    expect(overridden.decide({ agents: agents({ a: 'ready' }, at730), calls: [] }, at730).dials).toHaveLength(1);
  });

  it('never dials a number on the do-not-call list; the next number of the contact is dialled instead', () => {
    const dnc = new Set([48_600_000_000, 48_600_000_002, 48_220_000_003]);
    const d = dialer({ mode: 'progressive' }, 3, { dnc });
    const dec = d.decide({ agents: agents({ a: 'ready', b: 'ready', c: 'ready', d: 'ready' }), calls: [] }, MON_10);
    const numbers = dec.dials.map((x) => x.number);
    for (const n of numbers) expect(dnc.has(n)).toBe(false);
    // Contact 0: mobile on the list → landline; contact 1: both on the list → never; contact 2: mobile.
    expect(dec.dials.map((x) => [x.contact, x.number]).sort()).toEqual([
      [0, 48_220_000_001],
      [2, 48_600_000_004],
    ]);
  });

  it('keeps the retry rules: the delay after each outcome, and no attempt beyond the maximum', () => {
    const d = dialer({ mode: 'progressive', retries: { noAnswer: { max: 2, afterSeconds: 600 } } }, 1);
    const team = agents({ a: 'ready' });
    let now = MON_10;
    const attempts: number[] = [];
    for (let step = 0; step < 200; step++, now += 30_000) {
      const dec = d.decide({ agents: team, calls: [] }, now);
      for (const x of dec.dials) {
        attempts.push(now);
        d.observe({ type: 'ended', at: now + 25_000, call: `c${now}`, contact: x.contact, number: x.numberIndex, numberType: x.numberType, outcome: 'noAnswer', reserved: true });
      }
    }
    expect(attempts).toHaveLength(3); // the first and two retries
    expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(625_000);
    expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(625_000);
  });

  it('never dials a contact taken out, even one taken out during its call', () => {
    const d = dialer({ mode: 'progressive', retries: { busy: { max: 5, afterSeconds: 0 } } }, 2);
    const team = agents({ a: 'ready' });
    const first = d.decide({ agents: team, calls: [] }, MON_10);
    const x = first.dials[0]!;
    d.removeContact(x.contact);
    d.removeContact(1 - x.contact);
    d.observe({ type: 'ended', at: MON_10 + 5000, call: 'c1', contact: x.contact, number: x.numberIndex, numberType: x.numberType, outcome: 'busy', reserved: true });
    for (let t = 1; t < 20; t++) expect(d.decide({ agents: team, calls: [] }, MON_10 + t * 60_000).dials).toEqual([]);
  });

  it('never has one contact in two calls at once', () => {
    const d = dialer({ mode: 'predictive', retries: { busy: { max: 5, afterSeconds: 0 } } }, 3);
    const team = agents({ a: 'ready', b: 'ready', c: 'ready', d: 'ready', e: 'ready', f: 'ready' });
    const decisions: Decision[] = [];
    const busy = new Set<number>();
    let now = MON_10;
    for (let step = 0; step < 40; step++, now += 1000) {
      const calls = callsFor(decisions, now).filter((c) => busy.has(c.contact));
      const dec = d.decide({ agents: team, calls }, now);
      for (const x of dec.dials) {
        expect(busy.has(x.contact), `contact ${x.contact} dialled while in a call`).toBe(false);
        busy.add(x.contact);
      }
      decisions.push(dec);
      // Every other second, the oldest call ends busy (retry allowed at once).
      if (step % 2 === 1 && busy.size > 0) {
        const c = [...busy][0]!;
        busy.delete(c);
        d.observe({ type: 'ended', at: now, call: `x${now}`, contact: c, number: 0, numberType: 'mobile', outcome: 'busy', reserved: false });
      }
    }
  });

  it('gives a callback to its own agent; after the grace period to another one, or keeps waiting', () => {
    for (const then of ['any-agent', 'wait'] as const) {
      const d = dialer({ mode: 'predictive', callback: { sameAgent: true, graceSeconds: 300, then } }, 1);
      const first = d.decide({ agents: agents({ anna: 'ready' }), calls: [] }, MON_10);
      expect(first.dials).toHaveLength(1);
      const at = MON_10 + 3600_000;
      d.observe({ type: 'ended', at: MON_10 + 60_000, call: 'c1', contact: 0, number: 0, numberType: 'mobile', outcome: 'connected', reserved: false, agent: 'anna', callback: { at, agent: 'anna' } });
      const team = (anna: AgentView['status']): LiveState => ({ agents: [...agents({ anna }, at - MIN), ...agents({ piotr: 'ready' }, at - 10 * MIN)], calls: [] });
      // Not before its time.
      expect(d.decide(team('ready'), at - 1000).dials).toEqual([]);
      // Its agent is busy: within the grace period, nobody else takes it.
      expect(d.decide(team('talking'), at + 60_000).dials).toEqual([]);
      const late = d.decide(team('talking'), at + 301_000);
      if (then === 'any-agent') {
        expect(late.dials).toMatchObject([{ contact: 0, agent: 'piotr', kind: 'callback' }]);
      } else {
        expect(late.dials).toEqual([]);
        expect(d.decide(team('ready'), at + 900_000).dials).toMatchObject([{ contact: 0, agent: 'anna', kind: 'callback' }]);
      }
    }
  });

  it('under uk-ofcom, redials an abandoned number within 72 hours only with an agent reserved for the call', () => {
    const d = dialer({ mode: 'predictive', profile: 'uk-ofcom', retries: { abandoned: { max: 5, afterSeconds: 60 } } }, 1);
    const first = d.decide({ agents: agents({ a: 'ready' }), calls: [] }, MON_10);
    expect(first.dials).toHaveLength(1);
    const x = first.dials[0]!;
    d.observe({ type: 'ended', at: MON_10 + 20_000, call: 'c1', contact: x.contact, number: x.numberIndex, numberType: x.numberType, outcome: 'abandoned', reserved: false });
    // Two minutes later: the other number of the contact, not the abandoned one.
    const next = d.decide({ agents: agents({ a: 'ready' }), calls: [] }, MON_10 + 120_000);
    expect(next.dials).toHaveLength(1);
    expect(next.dials[0]!.numberIndex).not.toBe(x.numberIndex);
    d.observe({ type: 'ended', at: MON_10 + 150_000, call: 'c2', contact: x.contact, number: next.dials[0]!.numberIndex, numberType: 'landline', outcome: 'abandoned', reserved: false });
    // Both numbers abandoned: no predictive redial for 72 hours.
    expect(d.decide({ agents: agents({ a: 'ready' }), calls: [] }, MON_10 + 3600_000).dials).toEqual([]);
  });
});

describe('pacing core: predictive', () => {
  it('places at least one call per ready agent with nothing in flight, and says why', () => {
    const d = dialer({}, 100);
    const dec = d.decide({ agents: agents({ a: 'ready', b: 'ready', c: 'ready', d: 'talking' }), calls: [] }, MON_10);
    expect(dec.dials.length).toBeGreaterThanOrEqual(3);
    // A campaign without history has no abandon to spend yet: its first calls are kept for ready agents.
    expect(dec.dials.filter((x) => x.agent !== undefined).map((x) => x.agent).sort()).toEqual(['a', 'b', 'c']);
    expect(dec.reasons.map((r) => r.code)).toContain('abandon-controller');
  });

  it('keeps calls in flight under max_ratio per working agent', () => {
    const d = dialer({ predictive: { maxRatio: 2 } }, 500);
    const team = agents(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`a${i}`, i < 5 ? 'ready' : 'talking'] as const)));
    const decisions: Decision[] = [];
    for (let t = 0; t < 20; t++) {
      const now = MON_10 + t * 1000;
      const dec = d.decide({ agents: team, calls: callsFor(decisions, now) }, now);
      decisions.push(dec);
      expect(callsFor(decisions, now).length).toBeLessThanOrEqual(20);
    }
  });

  it('decides the same way twice from the same events', () => {
    const run = () => {
      const d = dialer({}, 200);
      const out: string[] = [];
      const decisions: Decision[] = [];
      for (let t = 0; t < 30; t++) {
        const now = MON_10 + t * 1000;
        const team = agents(Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`a${i}`, (i + t) % 3 === 0 ? 'ready' : 'talking'] as const)), now - 5000 * ((t % 4) + 1));
        const dec = d.decide({ agents: team, calls: callsFor(decisions, now).slice(-12) }, now);
        decisions.push(dec);
        out.push(JSON.stringify(dec));
      }
      return out.join('\n');
    };
    expect(run()).toBe(run());
  });
});

describe('pacing core: the risk of a new call', () => {
  it('is exact for few terms and agrees with the normal approximation for many', () => {
    const exact = new Balance(1000);
    const approx = new Balance(0);
    for (const b of [exact, approx]) {
      for (let i = 0; i < 30; i++) b.supply(1);
      for (let i = 0; i < 60; i++) b.supply(0.2 + (i % 5) * 0.1);
      for (let i = 0; i < 150; i++) b.demand(0.25 + (i % 3) * 0.05);
    }
    expect(Math.abs(exact.risk() - approx.risk())).toBeLessThan(0.02);
    const small = new Balance();
    small.supply(1);
    small.demand(0.5);
    expect(small.risk()).toBeCloseTo(0.5, 10); // X = −1 + B(0.5) ≥ 0 iff the call goes live
  });

  it('shrinks the safety margin as evidence grows, and never plans above the limit', () => {
    const c = new AbandonController(0.03, 86_400);
    const rate = 0.05; // live answers a second
    const first = c.state(MON_10, rate);
    let t = MON_10;
    for (let i = 0; i < 5000; i++) c.live((t += 2000), 1, i % 50 === 0 ? 1 : 0);
    const later = c.state(t, rate);
    expect(first.target).toBeGreaterThan(0);
    expect(later.margin).toBeLessThan(first.margin);
    expect(later.target).toBeLessThanOrEqual(0.03);
    // Over budget: no risk allowed at all.
    for (let i = 0; i < 400; i++) c.live(t + i, 1, 1);
    expect(c.state(t + 1000, rate).theta).toBe(0);
  });

  it('spends no abandons against answers the list cannot bring: a short list or its last contacts take no risk', () => {
    const rate = 0.5; // agents that could take a live answer every 2 s: 1,800 in the next hour
    const unbounded = new AbandonController(0.03, 86_400).state(MON_10, rate);
    expect(unbounded.target).toBeGreaterThan(0);
    // 45 contacts left: at most 45 persons, 3 % of which is not one whole abandon to spend.
    expect(new AbandonController(0.03, 86_400).state(MON_10, rate, 45).theta).toBe(0);
    // Thousands left: the agents, not the list, bound the next hour, as before.
    expect(new AbandonController(0.03, 86_400).state(MON_10, rate, 100_000)).toEqual(unbounded);
    // The more of the list is left, the more it may risk; never above the limit.
    const targets = [200, 1000, 5000].map((open) => new AbandonController(0.03, 86_400).state(MON_10, rate, open).target);
    expect(targets[0]).toBeLessThan(targets[1]!);
    expect(targets[1]).toBeLessThanOrEqual(targets[2]!);
    expect(Math.max(...targets)).toBeLessThanOrEqual(0.03);
  });
});

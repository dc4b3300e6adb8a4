/**
 * Crash safety of the dialer's durable state, as a property over seeds: a campaign runs against
 * a small simulated world (Asterisk and the callees, which outlive the daemon), and the runtime
 * is dropped at random moments — between events, and between plan() and the originates of its
 * attempts — then reopened from the file and reconciled the way the daemon does it: an
 * unfinished attempt Asterisk knows is followed (or its end reported), one it never saw ended as
 * failed. At the end every contact must have exactly the attempts its outcomes justify.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pacingSettings, type AgentView, type CallOutcome, type CallView, type DialerEvent, type Mode, type RetryOutcome, type RetryRule } from '../../../src/dialer/pacing/index.js';
import { Xoshiro128 } from '../../../src/dialer/simulate/random.js';
import type { SqliteCampaignRuntime } from '../../../src/dialer/runtime/campaign-runtime.js';
import type { PlannedAttempt } from '../../../src/dialer/runtime/contract.js';
import { openDialerState, type DialerState } from '../../../src/dialer/runtime/open.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-crash-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.parse('2026-03-02T08:00:00Z');
const RETRIES: Record<RetryOutcome, RetryRule> = {
  busy: { max: 2, afterSeconds: 30 },
  noAnswer: { max: 2, afterSeconds: 60 },
  failed: { max: 3, afterSeconds: 10 },
  abandoned: { max: 1, afterSeconds: 45 },
  machine: { max: 0, afterSeconds: 0 },
};
const AGENTS = ['1001', '1002', '1003'];
const CONTACTS = 25;

interface WorldCall {
  attempt: PlannedAttempt;
  placedAt: number;
  /** When ringing stops: answered, or ended busy / no answer / failed. */
  ringEnd: number;
  fate: 'person' | 'busy' | 'noAnswer' | 'failed';
  talk: number;
  agent?: string;
  answeredAt?: number;
  end?: { at: number; outcome: CallOutcome; agent?: string; callback?: { at: number; agent: string } };
  /** Events the daemon has passed to the runtime (a crash may come before it does). */
  reported: Set<string>;
}

/** Asterisk and the callees: they keep going while the daemon is down. */
class World {
  readonly calls = new Map<string, WorldCall>();
  constructor(private readonly rng: Xoshiro128) {}

  originate(a: PlannedAttempt, now: number): void {
    for (const c of this.calls.values()) if (c.attempt.contactId === a.contactId && c.end === undefined) throw new Error(`contact ${a.contactId} dialled twice at once (${c.attempt.attemptId}, ${a.attemptId})`);
    const u = this.rng.next();
    const fate = u < 0.35 ? 'person' : u < 0.55 ? 'busy' : u < 0.85 ? 'noAnswer' : 'failed';
    this.calls.set(a.attemptId, { attempt: a, placedAt: now, ringEnd: now + 1000 * (1 + Math.floor(this.rng.next() * 20)), fate, talk: 1000 * (5 + Math.floor(this.rng.next() * 60)), reported: new Set() });
  }

  /** Advances every call to `now`; the agents each call reached are taken from those not talking. */
  step(now: number): void {
    for (const c of this.calls.values()) {
      if (c.end || now < c.ringEnd) continue;
      if (c.fate !== 'person') {
        c.end = { at: c.ringEnd, outcome: c.fate };
        continue;
      }
      if (c.answeredAt === undefined) {
        c.answeredAt = c.ringEnd;
        const agent = c.attempt.agent ?? AGENTS.find((x) => !this.busy(x));
        if (agent === undefined) {
          c.end = { at: c.ringEnd + 2000, outcome: 'abandoned' };
          continue;
        }
        c.agent = agent;
      }
      if (now >= c.answeredAt + c.talk) {
        const callback = this.rng.next() < 0.15 ? { at: now + 120_000, agent: c.agent! } : undefined;
        c.end = { at: c.answeredAt + c.talk, outcome: 'connected', agent: c.agent!, ...(callback && { callback }) };
      }
    }
  }

  busy(agent: string): boolean {
    for (const c of this.calls.values()) if (c.agent === agent && !c.end) return true;
    return false;
  }

  live(now: number): { agents: AgentView[]; calls: CallView[] } {
    const agents = AGENTS.map((id) => ({ id, status: this.busy(id) ? ('talking' as const) : ('ready' as const), since: T0 }));
    const calls: CallView[] = [];
    for (const c of this.calls.values()) {
      if (c.end) continue;
      const phase = c.agent ? 'connected' : c.answeredAt !== undefined ? 'waiting' : 'ringing';
      calls.push({ id: c.attempt.attemptId, contact: c.attempt.contact, phase, since: c.answeredAt ?? c.placedAt, placedAt: c.placedAt, numberType: 'mobile', ...(c.attempt.agent !== undefined && { agent: c.attempt.agent }) });
    }
    void now;
    return { agents, calls };
  }

  /** The events of a call not yet passed to the daemon, in order. */
  pending(c: WorldCall): { key: string; event: DialerEvent }[] {
    const out: { key: string; event: DialerEvent }[] = [];
    const a = c.attempt;
    if (c.answeredAt !== undefined) out.push({ key: 'answered', event: { type: 'answered', at: c.answeredAt, call: a.attemptId, contact: a.contact, numberType: 'mobile', ringSeconds: (c.answeredAt - c.placedAt) / 1000 } });
    if (c.end) {
      const e = c.end;
      out.push({ key: 'ended', event: { type: 'ended', at: e.at, call: a.attemptId, contact: a.contact, number: a.numberIndex, numberType: 'mobile', outcome: e.outcome, reserved: a.agent !== undefined, ...(e.agent !== undefined && { agent: e.agent }), ...(e.callback && { callback: e.callback }) } });
      if (e.outcome === 'connected') out.push({ key: 'agent-done', event: { type: 'agent-done', at: e.at, agent: e.agent!, talkSeconds: c.talk / 1000, wrapSeconds: 0 } });
    }
    return out.filter((x) => !c.reported.has(x.key));
  }
}

interface Run {
  crashes: number;
  neverOriginated: number;
  state: DialerState;
  world: World;
}

function run(seed: number, mode: Mode): Run {
  const dir = path.join(tmp, `${mode}-${seed}`);
  const settings = pacingSettings({ campaign: 'c', mode, profile: 'custom', abandonTarget: 0.03, retries: RETRIES, timezone: 'UTC', window: { from: 0, to: 24 * 60, days: [true, true, true, true, true, true, true] }, prior: { talkSeconds: 30, answerRate: 0.35 } });
  const rng = new Xoshiro128(seed);
  const world = new World(new Xoshiro128(seed * 7919 + 1));
  let now = T0;
  const clock = () => now;
  const first = openDialerState(dir, [settings], { clock });
  for (let i = 0; i < CONTACTS; i++) {
    const numbers = Array.from({ length: 1 + (i % 3) }, (_, k) => ({ number: String(48_500_000_000 + 10 * i + k), type: 'mobile' as const }));
    first.store.insertContact({ campaign: 'c', id: `K${i}`, priority: i % 2, numbers, fields: {}, source: 'load' }, T0);
  }
  const dropped: DialerState[] = [first];
  let state = first;
  let rt: SqliteCampaignRuntime = first.runtimes.get('c')!;
  let crashes = 0;
  let neverOriginated = 0;

  /** The daemon's start: reopen, then reconcile every unfinished attempt from what Asterisk knows. */
  const restart = () => {
    crashes++;
    state = openDialerState(dir, [settings], { clock });
    dropped.push(state);
    rt = state.runtimes.get('c')!;
    for (const a of rt.unfinished()) {
      const c = world.calls.get(a.attemptId);
      if (!c) {
        neverOriginated++;
        rt.record({ type: 'ended', at: now, call: a.attemptId, contact: a.contact, number: a.numberIndex, numberType: 'mobile', outcome: 'failed', reserved: a.agent !== undefined });
      }
      // Known to Asterisk: its events (past and future) are reported as the loop below goes on.
    }
  };

  const crashNow = () => rng.next() < 0.03;
  for (let tick = 0; tick < 4 * 3600; tick++) {
    now = T0 + tick * 1000;
    world.step(now);
    let crashed = false;
    for (const c of world.calls.values()) {
      for (const { key, event } of world.pending(c)) {
        if (crashNow()) {
          crashed = true;
          break;
        }
        rt.record(event);
        c.reported.add(key);
      }
      if (crashed) break;
    }
    if (!crashed) {
      const { attempts } = rt.plan(world.live(now), now);
      for (const a of attempts) {
        if (crashNow()) {
          crashed = true;
          break;
        }
        world.originate(a, now);
      }
    }
    if (crashed) restart();
    if (tick % 60 === 0 && tick > 0 && [...world.calls.values()].every((c) => c.end && world.pending(c).length === 0) && rt.unfinished().length === 0 && finished(rt)) break;
  }
  for (const d of dropped) if (d !== state) d.close();
  return { crashes, neverOriginated, state, world };
}

/** No contact waits for a retry or a callback any more. */
function finished(rt: SqliteCampaignRuntime): boolean {
  const n = rt.contactCounts();
  return n.pending + n.callback + n.dialing + n.reserved === 0;
}

interface AttemptRow {
  id: string;
  contact_id: string;
  number_index: number;
  numbers: string;
  planned_at: number;
  ended_at: number | null;
  outcome: string | null;
}

/** What the retry rules allow after a contact's attempts so far: another attempt (when, on which number), or none. */
function allowed(outcomes: { outcome: string; ended: number; numberIndex: number; callback?: number }[], count: number): { next: 'none' } | { next: 'retry'; notBefore: number; numberIndex: number } {
  const used: Record<string, number> = {};
  let verdict: { next: 'none' } | { next: 'retry'; notBefore: number; numberIndex: number } = { next: 'retry', notBefore: T0, numberIndex: 0 };
  for (const o of outcomes) {
    if (o.outcome === 'connected') {
      verdict = o.callback !== undefined ? { next: 'retry', notBefore: o.callback, numberIndex: o.numberIndex } : { next: 'none' };
      continue;
    }
    used[o.outcome] = (used[o.outcome] ?? 0) + 1;
    const rule = RETRIES[o.outcome as RetryOutcome];
    verdict = used[o.outcome]! > rule.max ? { next: 'none' } : { next: 'retry', notBefore: o.ended + rule.afterSeconds * 1000, numberIndex: (o.numberIndex + 1) % count };
  }
  return verdict;
}

describe('dialer state: crash safety', () => {
  for (const mode of ['progressive', 'predictive'] as const) {
    it(`${mode}: dropped at random moments and reopened, every contact has exactly the attempts its outcomes justify`, () => {
      let totalCrashes = 0;
      let totalNever = 0;
      for (const seed of [11, 23, 37, 41, 53, 67]) {
        const { crashes, neverOriginated, state, world } = run(seed, mode);
        totalCrashes += crashes;
        totalNever += neverOriginated;
        const rows = state.store.db
          .prepare('SELECT a.id, c.id AS contact_id, c.numbers, a.number_index, a.planned_at, a.ended_at, a.outcome FROM attempts a JOIN contacts c ON c.seq = a.contact ORDER BY a.planned_at, a.id')
          .all() as AttemptRow[];
        const callbacks = new Map((state.store.db.prepare('SELECT attempt, at FROM callbacks').all() as { attempt: string; at: number }[]).map((r) => [r.attempt, r.at]));
        // Nothing left unfinished, and every call Asterisk saw is in the database with its outcome.
        expect(rows.filter((r) => r.ended_at === null), `seed ${seed}`).toEqual([]);
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const [id, c] of world.calls) expect(byId.get(id)?.outcome, `seed ${seed} ${id}`).toBe(c.end!.outcome);
        // Attempts Asterisk never saw were reconciled as failed.
        for (const r of rows) if (!world.calls.has(r.id)) expect(r.outcome).toBe('failed');

        const contacts = state.store.db.prepare('SELECT id, numbers FROM contacts').all() as { id: string; numbers: string }[];
        expect(contacts).toHaveLength(CONTACTS);
        for (const c of contacts) {
          const mine = rows.filter((r) => r.contact_id === c.id);
          const count = (JSON.parse(c.numbers) as unknown[]).length;
          expect(mine.length, `seed ${seed}: ${c.id} was never dialled`).toBeGreaterThan(0);
          for (let k = 0; k < mine.length; k++) {
            const before = mine.slice(0, k).map((r) => ({ outcome: r.outcome!, ended: r.ended_at!, numberIndex: r.number_index, ...(callbacks.has(r.id) && { callback: callbacks.get(r.id)! }) }));
            const verdict = allowed(before, count);
            // Each attempt was allowed by the ones before it, on the number they lead to, not before its time,
            // and never while the previous one was still up.
            expect(verdict.next, `seed ${seed}: ${c.id} attempt ${k + 1} not justified`).toBe('retry');
            if (verdict.next === 'retry') {
              expect(mine[k]!.planned_at).toBeGreaterThanOrEqual(verdict.notBefore);
              expect(mine[k]!.number_index, `seed ${seed}: ${c.id} attempt ${k + 1}`).toBe(verdict.numberIndex);
            }
            if (k > 0) expect(mine[k]!.planned_at).toBeGreaterThanOrEqual(mine[k - 1]!.ended_at!);
          }
          // None lost: after its last attempt, the rules allow no more (reached, or retries used up).
          const all = mine.map((r) => ({ outcome: r.outcome!, ended: r.ended_at!, numberIndex: r.number_index, ...(callbacks.has(r.id) && { callback: callbacks.get(r.id)! }) }));
          expect(allowed(all, count).next, `seed ${seed}: ${c.id} left with a retry it never got`).toBe('none');
        }
        state.close();
      }
      // The property was exercised: crashes happened, some of them between plan() and the originate.
      expect(totalCrashes).toBeGreaterThan(20);
      expect(totalNever).toBeGreaterThan(0);
    });
  }
});

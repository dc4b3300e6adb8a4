import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pacingSettings, type AgentView, type LiveState, type SettingsInput } from '../../../src/dialer/pacing/index.js';
import type { PlannedAttempt } from '../../../src/dialer/runtime/contract.js';
import { openDialerState, type DialerState } from '../../../src/dialer/runtime/open.js';
import { DialerStore } from '../../../src/dialer/state/store.js';
import type { NewContact } from '../../../src/dialer/state/rows.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-runtime-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const T0 = Date.parse('2026-03-02T10:00:00Z');
const ALL_DAY: SettingsInput = { profile: 'custom', mode: 'progressive', window: { from: 0, to: 24 * 60, days: [true, true, true, true, true, true, true] }, timezone: 'UTC' };

let dirs = 0;
function freshDir(): string {
  return path.join(tmp, `s${++dirs}`);
}

function contact(i: number, numbers = 2): NewContact {
  return {
    campaign: 'collect',
    id: `C-${i}`,
    priority: 0,
    name: `Debtor ${i}`,
    numbers: Array.from({ length: numbers }, (_, k) => ({ number: String(48_600_000_000 + 10 * i + k), type: k === 0 ? ('mobile' as const) : ('landline' as const) })),
    fields: { balance: String(100 * i) },
    source: 'load',
  };
}

function open(dir: string, input: SettingsInput = {}, clock = () => T0): DialerState {
  return openDialerState(dir, [pacingSettings({ ...ALL_DAY, campaign: 'collect', ...input })], { clock });
}

function seed(dir: string, n: number): void {
  const s = open(dir);
  for (let i = 0; i < n; i++) s.store.insertContact(contact(i), T0);
  s.close();
}

function ready(...ids: string[]): AgentView[] {
  return ids.map((id) => ({ id, status: 'ready' as const, since: T0 - 60_000 }));
}

function live(agents: AgentView[], attempts: readonly PlannedAttempt[] = []): LiveState {
  return { agents, calls: attempts.map((a) => ({ id: a.attemptId, contact: a.contact, phase: 'ringing' as const, since: T0, placedAt: T0, numberType: 'mobile' as const, ...(a.agent !== undefined && { agent: a.agent }) })) };
}

function ended(a: PlannedAttempt, outcome: 'connected' | 'busy' | 'noAnswer' | 'failed', at: number, extra: object = {}) {
  return { type: 'ended' as const, at, call: a.attemptId, contact: a.contact, number: a.numberIndex, numberType: 'mobile' as const, outcome, reserved: a.agent !== undefined, ...extra };
}

describe('campaign runtime', () => {
  it('writes each dial as an attempt before plan returns it, with the data for the screen pop', () => {
    const dir = freshDir();
    seed(dir, 3);
    const s = open(dir);
    const rt = s.runtimes.get('collect')!;
    const { decision, attempts } = rt.plan(live(ready('1001', '1002')), T0);
    expect(decision.dials).toHaveLength(2);
    expect(attempts.map((a) => a.agent).sort()).toEqual(['1001', '1002']);
    const rows = s.store.db.prepare('SELECT id, contact, number, kind, agent, ended_at FROM attempts ORDER BY id').all() as { id: string; ended_at: null }[];
    expect(rows.map((r) => r.id).sort()).toEqual(attempts.map((a) => a.attemptId).sort());
    expect(rows.every((r) => r.ended_at === null)).toBe(true);
    const first = attempts.find((a) => a.contactId === 'C-0')!;
    expect(first).toMatchObject({ campaign: 'collect', number: '48600000000', numberIndex: 0, numberType: 'mobile', kind: 'progressive', data: { contactId: 'C-0', name: 'Debtor 0', balance: '0' } });
    expect(rt.unfinished().map((a) => a.attemptId).sort()).toEqual(attempts.map((a) => a.attemptId).sort());
    s.close();
  });

  it('after a crash, lists the unfinished attempts and never plans their contacts until each is ended', () => {
    const dir = freshDir();
    seed(dir, 2);
    const s = open(dir);
    const { attempts } = s.runtimes.get('collect')!.plan(live(ready('1001', '1002')), T0);
    expect(attempts).toHaveLength(2);
    s.close(); // the crash: nothing more was recorded

    const again = open(dir);
    const rt = again.runtimes.get('collect')!;
    expect(rt.unfinished().map((a) => [a.attemptId, a.contactId]).sort()).toEqual(attempts.map((a) => [a.attemptId, a.contactId]).sort());
    // Both contacts are in their (maybe still live) calls: four free agents get nothing.
    expect(rt.plan(live(ready('1001', '1002', '1003', '1004')), T0 + 1000).attempts).toEqual([]);
    // Reconciled: one never existed (failed), the other ended busy.
    rt.record(ended(rt.unfinished()[0]!, 'failed', T0 + 2000));
    rt.record(ended(rt.unfinished()[0]!, 'busy', T0 + 2000));
    expect(rt.unfinished()).toEqual([]);
    again.close();
  });

  it('rebuilds retry state from the journal: a busy contact waits its delay on its next number, a reached one is done', () => {
    const dir = freshDir();
    seed(dir, 2);
    const s = open(dir, { retries: { busy: { max: 3, afterSeconds: 600 } } });
    const rt = s.runtimes.get('collect')!;
    const { attempts } = rt.plan(live(ready('1001', '1002')), T0);
    const busy = attempts.find((a) => a.contactId === 'C-0')!;
    const talk = attempts.find((a) => a.contactId === 'C-1')!;
    rt.record(ended(busy, 'busy', T0 + 5000));
    rt.record(ended(talk, 'connected', T0 + 60_000, { agent: talk.agent }));
    s.close();

    const again = open(dir, { retries: { busy: { max: 3, afterSeconds: 600 } } });
    const rt2 = again.runtimes.get('collect')!;
    expect(rt2.contactCounts()).toMatchObject({ total: 2, reached: 1, pending: 1 });
    expect(rt2.plan(live(ready('1001')), T0 + 599_000).attempts).toEqual([]);
    const retry = rt2.plan(live(ready('1001')), T0 + 605_000).attempts;
    // The next number is the contact's landline: the attempt (and so the call in flight the core sees) says so.
    expect(retry).toMatchObject([{ contactId: 'C-0', numberIndex: 1, number: '48600000001', numberType: 'landline' }]);
    again.close();
    const third = open(dir, { retries: { busy: { max: 3, afterSeconds: 600 } } });
    expect(third.runtimes.get('collect')!.unfinished()).toMatchObject([{ contactId: 'C-0', numberType: 'landline' }]);
    third.close();
  });

  it('an end reported twice counts once', () => {
    const dir = freshDir();
    seed(dir, 1);
    const s = open(dir, { retries: { busy: { max: 1, afterSeconds: 0 } } });
    const rt = s.runtimes.get('collect')!;
    const [a] = rt.plan(live(ready('1001')), T0).attempts;
    rt.record(ended(a!, 'busy', T0 + 1000));
    rt.record(ended(a!, 'busy', T0 + 1000));
    expect(s.store.db.prepare("SELECT count(*) AS n FROM events WHERE type = 'ended'").get()).toEqual({ n: 1 });
    // One busy used of the one allowed: the contact is still dialled once more.
    expect(rt.plan(live(ready('1001')), T0 + 2000).attempts).toHaveLength(1);
    s.close();
  });

  it('keeps a callback asked for in a call with its agent across a restart', () => {
    const dir = freshDir();
    seed(dir, 1);
    const s = open(dir);
    const rt = s.runtimes.get('collect')!;
    const [a] = rt.plan(live(ready('1001')), T0).attempts;
    rt.record(ended(a!, 'connected', T0 + 60_000, { agent: '1001', callback: { at: T0 + 3_600_000, agent: '1001' } }));
    s.close();

    const again = open(dir);
    const rt2 = again.runtimes.get('collect')!;
    expect(again.store.db.prepare('SELECT agent, at, source FROM callbacks').all()).toEqual([{ agent: '1001', at: T0 + 3_600_000, source: 'call' }]);
    expect(rt2.plan(live(ready('1002')), T0 + 3_600_000).attempts).toEqual([]);
    expect(rt2.plan(live(ready('1002', '1001')), T0 + 3_601_000).attempts).toMatchObject([{ contactId: 'C-0', kind: 'callback', agent: '1001' }]);
    again.close();
  });

  it('schedules a callback over the API for the same agent, refused while the contact is in a call', () => {
    const dir = freshDir();
    seed(dir, 2);
    const s = open(dir);
    const rt = s.runtimes.get('collect')!;
    const [a] = rt.plan(live(ready('1001')), T0).attempts;
    expect(rt.scheduleCallback(a!.contactId, T0 + 600_000, '1001')).toEqual({ ok: false, reason: 'in-call' });
    expect(rt.scheduleCallback('nobody', T0 + 600_000, '1001')).toEqual({ ok: false, reason: 'unknown-contact' });
    const other = a!.contactId === 'C-0' ? 'C-1' : 'C-0';
    expect(rt.scheduleCallback(other, T0 + 600_000, '1002')).toEqual({ ok: true });
    rt.record(ended(a!, 'connected', T0 + 1000, { agent: '1001' }));
    s.close();

    const again = open(dir);
    const rt2 = again.runtimes.get('collect')!;
    expect(rt2.plan(live(ready('1001', '1002')), T0 + 300_000).attempts).toEqual([]);
    expect(rt2.plan(live(ready('1001', '1002')), T0 + 600_000).attempts).toMatchObject([{ contactId: other, kind: 'callback', agent: '1002' }]);
    again.close();
  });

  it('pushes a task once: the same task id again changes nothing; the task is dialled with its data', () => {
    const dir = freshDir();
    const s = open(dir);
    const rt = s.runtimes.get('collect')!;
    const task = { id: 'APP-1', priority: 5, name: 'Ayşe Yılmaz', numbers: [{ number: '905321234567', type: 'mobile' as const }], fields: { amount: '5000' } };
    expect(rt.pushTask(task)).toEqual({ created: true, contactId: 'APP-1' });
    expect(rt.pushTask({ ...task, name: 'changed' })).toEqual({ created: false, contactId: 'APP-1' });
    expect(s.store.contactCount('collect')).toBe(1);
    expect(rt.plan(live(ready('1001')), T0).attempts).toMatchObject([{ contactId: 'APP-1', number: '905321234567', data: { name: 'Ayşe Yılmaz', amount: '5000' } }]);
    s.close();
  });

  it('picks up contacts another process loaded while it runs', () => {
    const dir = freshDir();
    const s = open(dir);
    const rt = s.runtimes.get('collect')!;
    expect(rt.plan(live(ready('1001')), T0).attempts).toEqual([]);
    const other = open(dir); // the `dialer load` process
    other.store.insertContact(contact(7), T0);
    other.close();
    expect(rt.plan(live(ready('1001')), T0 + 1000).attempts).toMatchObject([{ contactId: 'C-7' }]);
    s.close();
  });

  it('plans nothing while paused, and the pause survives a restart', () => {
    const dir = freshDir();
    seed(dir, 2);
    const s = open(dir);
    s.runtimes.get('collect')!.setPaused(true);
    expect(s.runtimes.get('collect')!.plan(live(ready('1001')), T0)).toMatchObject({ attempts: [], decision: { reasons: [{ code: 'paused' }] } });
    s.close();
    const again = open(dir);
    const rt = again.runtimes.get('collect')!;
    expect(rt.paused).toBe(true);
    rt.setPaused(false);
    expect(rt.plan(live(ready('1001')), T0).attempts).toHaveLength(1);
    again.close();
  });

  it('picks up do-not-call numbers another process added while it runs', () => {
    const dir = freshDir();
    seed(dir, 1);
    const s = open(dir);
    const rt = s.runtimes.get('collect')!;
    const other = open(dir); // `dialer load` with the campaign's do-not-call list
    other.store.addDoNotCall('48600000000', 'file:lists/dnc.csv', T0);
    other.store.db.close();
    expect(rt.plan(live(ready('1001')), T0 + 1000).attempts).toMatchObject([{ contactId: 'C-0', number: '48600000001' }]);
    s.close();
  });

  it('never dials a number on the do-not-call list; the list survives a restart', () => {
    const dir = freshDir();
    seed(dir, 1);
    const s = open(dir);
    expect(s.doNotCall.add('48600000000', 'api', T0, 'asked')).toBe(true);
    s.close();
    const again = open(dir);
    const [a] = again.runtimes.get('collect')!.plan(live(ready('1001')), T0).attempts;
    expect(a).toMatchObject({ contactId: 'C-0', number: '48600000001' });
    again.close();
  });

  it("rebuilds each agent's learned pace from the journal and keeps a per-agent summary", () => {
    const dir = freshDir();
    seed(dir, 1);
    const s = open(dir);
    const rt = s.runtimes.get('collect')!;
    for (let k = 0; k < 20; k++) rt.record({ type: 'agent-done', at: T0 + k * 1000, agent: '1001', talkSeconds: 30, wrapSeconds: 5 });
    const pace = rt.dialer.beliefs.agentPace('1001');
    s.close();
    const again = open(dir);
    expect(again.runtimes.get('collect')!.dialer.beliefs.agentPace('1001')).toEqual(pace);
    expect(new DialerStore(again.store.db).paces('collect')).toEqual([{ campaign: 'collect', agent: '1001', calls: 20, talkSeconds: 600, wrapSeconds: 100 }]);
    again.close();
  });
});

describe('one daemon per state directory', () => {
  it('refuses to open a state another live process holds, and takes over from one that died', async () => {
    const { spawn } = await import('node:child_process');
    const { StateInUseError } = await import('../../../src/dialer/state/owner.js');
    const dir = freshDir();
    open(dir).close();
    const other = spawn('sleep', ['30']);
    await new Promise((r) => other.once('spawn', r));
    const claim = (pid: number) => {
      const s = open(dir);
      // As if that process had opened the state last.
      s.store.db.prepare("UPDATE meta SET value = json_set(value, '$.pid', ?) WHERE key = 'owner'").run(pid);
      s.store.db.close();
    };
    claim(other.pid!);
    expect(() => open(dir)).toThrow(StateInUseError);
    expect(() => open(dir)).toThrow(new RegExp(`in use by process ${other.pid} .*stop that daemon first`));
    other.kill('SIGKILL');
    await new Promise((r) => other.once('exit', r));
    const taken = open(dir);
    expect(JSON.parse((taken.store.db.prepare("SELECT value FROM meta WHERE key = 'owner'").get() as { value: string }).value)).toMatchObject({ pid: process.pid });
    taken.close();
    // Closed cleanly: no owner left behind.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(path.join(dir, 'dialer.sqlite'), { readonly: true });
    expect(db.prepare("SELECT value FROM meta WHERE key = 'owner'").get()).toBeUndefined();
    db.close();
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pacingSettings } from '../../src/dialer/pacing/index.js';
import { openDialerState } from '../../src/dialer/runtime/open.js';
import { REPO } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Starts the writer, waits until it has reported `lines` committed writes, kills it with SIGKILL; returns what it reported. */
function killAfter(dir: string, lines: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO, 'test/fixtures/dialer/kill-writer.mjs'), dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let killed = false;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (!killed && out.split('\n').length > lines) {
        killed = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (_code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`the writer ended by itself: ${err}`));
      else resolve(out.split('\n').filter((l) => l.startsWith('planned ') || l.startsWith('ended ')));
    });
  });
}

describe('dialer state: SIGKILL mid-write', () => {
  it('keeps every write a killed process reported as committed, never half a transaction, and resumes where it stopped', async () => {
    const dir = path.join(tmp, 'state');
    const seen = { planned: new Set<string>(), ended: new Set<string>() };
    for (const lines of [300, 1500, 700]) {
      for (const l of await killAfter(dir, lines)) {
        const [what, id] = l.split(' ') as ['planned' | 'ended', string];
        seen[what].add(id);
      }
      const settings = pacingSettings({ campaign: 'k', mode: 'progressive', profile: 'custom', profileOff: { 'calling-hours': 'test: plans at whatever hour it runs' }, timezone: 'UTC', window: { from: 0, to: 24 * 60, days: [true, true, true, true, true, true, true] }, retries: { busy: { max: 250, afterSeconds: 0 }, failed: { max: 250, afterSeconds: 0 } } });
      const state = openDialerState(dir, [settings]);
      const db = state.store.db;
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const attempts = new Map((db.prepare('SELECT id, ended_at FROM attempts').all() as { id: string; ended_at: number | null }[]).map((r) => [r.id, r.ended_at]));
      for (const id of seen.planned) expect(attempts.has(id), `planned ${id} lost`).toBe(true);
      for (const id of seen.ended) expect(attempts.get(id), `end of ${id} lost`).not.toBeNull();
      // An end is in the attempts table exactly when its journal entry is: never half of the transaction.
      const journal = new Set((db.prepare("SELECT attempt FROM events WHERE type = 'ended'").all() as { attempt: string }[]).map((r) => r.attempt));
      for (const [id, endedAt] of attempts) expect(journal.has(id), id).toBe(endedAt !== null);
      // What was in flight at the kill is listed for reconciliation, and its contacts are not planned again until then.
      const rt = state.runtimes.get('k')!;
      const open = rt.unfinished();
      expect(open.map((a) => a.attemptId).sort()).toEqual([...attempts].filter(([, e]) => e === null).map(([id]) => id).sort());
      const inFlight = new Set(open.map((a) => a.contactId));
      const agents = Array.from({ length: 400 }, (_, i) => ({ id: `x${i}`, status: 'ready' as const, since: 0 }));
      const { attempts: next } = rt.plan({ agents, calls: [] }, Date.now());
      expect(next.filter((a) => inFlight.has(a.contactId))).toEqual([]);
      expect(next.length + inFlight.size).toBe(400);
      // Reconcile as the daemon does (never originated: failed), and end the calls just planned, so the next run starts clean.
      for (const a of [...open, ...next]) rt.record({ type: 'ended', at: Date.now(), call: a.attemptId, contact: a.contact, number: a.numberIndex, numberType: 'mobile', outcome: 'failed', reserved: true });
      expect(rt.unfinished()).toEqual([]);
      state.close();
    }
    expect(seen.ended.size).toBeGreaterThan(1000);
    // Thousands of fsynced transactions (synchronous=FULL) in three processes: slow on a busy disk.
  }, 120_000);
});

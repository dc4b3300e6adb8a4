import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { STATE_FILE } from '../../src/dialer/state/database.js';
import { E2E_ENV } from './harness/callplan-build.js';
import { CALLEE } from './harness/callee.js';
import { startDialerPbx } from './harness/dialer-pbx.js';
import { perFile } from './harness/lifecycle.js';

/**
 * Crash safety with the real binary: `callplan dialer run` is killed with SIGKILL at seeded
 * random moments while it dials a progressive campaign through a real Asterisk, and started
 * again each time. At the end every contact has exactly the attempts its outcomes justify, none
 * was in two calls at once, none was dialled without an attempt on record, none was lost.
 */
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const SEED = 20261125;
const KILLS = 6;
const TOKEN = 'crash-test-api-token-0123456789abcdef';

const PROJECT = (p: { sip: number; ami: number; carrier: string }) => `version: 1
name: e2e-crash
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${p.sip}, ami_port: ${p.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  office: { timezone: UTC, hours: { mon-sun: "00:00-24:00" } }
trunks:
  carrier: { auth: ip, host: ${p.carrier.split(':')[0]}, port: ${p.carrier.split(':')[1]}, addresses: [127.0.0.2] }
users:
  - { extension: "1001", name: Anna, site: office, devices: [{ type: softphone, name: desk }] }
  - { extension: "1002", name: Piotr, site: office, devices: [{ type: softphone, name: desk }] }
queues:
  sales:
    members: { primary: [user:1001, user:1002] }
outbound:
  routes:
    world: { patterns: ["_00X."], trunks: [carrier], strip: 2, prepend: "+" }
  classes:
    dialer: [world]
campaigns:
  sales:
    mode: progressive
    queue: queue:sales
    outbound_class: dialer
    contacts: { source: api, numbers: [phone] }
    window: { from: "00:00", to: "23:59", days: mon-sun, override: "end-to-end test: calls SIPp on loopback at any hour" }
    progressive: { read_time: 0 }
    amd: { enabled: false }
    retries: { busy: { max: 1, after: 1s }, failed: { max: 30, after: 1s }, abandoned: { max: 30, after: 1s } }
`;

/** Contacts: persons who talk 1.5 s and hang up, and two numbers that are always busy. */
const NUMBERS = Array.from({ length: 12 }, (_, i) => `48221000${String(300 + i).padStart(3, '0')}${i === 3 || i === 8 ? CALLEE.busy : CALLEE.hangsUp}`);

function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const env = perFile(
  () =>
    startDialerPbx({
      name: 'crash',
      project: PROJECT,
      phones: { '1001': { ringMs: 100 }, '1002': { ringMs: 100 } },
      callee: { ringMs: 300, talkMs: 1_500 },
      contacts: (runtimes) => NUMBERS.forEach((n, i) => runtimes.get('sales')!.pushTask({ id: `K-${i}`, priority: 0, name: `Contact ${i}`, numbers: [{ number: n, type: 'mobile' }], fields: {} })),
    }),
  120_000,
);

function startProcess(): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>; stderr: () => string; dialing: () => Promise<void> } {
  const child = spawn(process.execPath, [BIN, 'dialer', 'run', env().build, '--state', env().stateDir, '--api-port', '0'], { env: { ...process.env, ...E2E_ENV, CALLPLAN_DIALER_API_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr = (stderr + c.toString()).slice(-20_000)));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  // Ready once it says it is dialing (after it reconciled): kill moments count from there, so no kill falls in start-up.
  const dialing = async () => {
    for (const deadline = Date.now() + 20_000; !/dialing \d+ campaign/.test(stderr); ) {
      if (Date.now() > deadline) throw new Error(`the daemon did not start dialing:\n${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  return { child, exited, stderr: () => stderr, dialing };
}

interface AttemptRow {
  id: string;
  contact: string;
  number: string;
  planned_at: number;
  ended_at: number | null;
  outcome: string | null;
}

function attempts(): AttemptRow[] {
  const db = new Database(path.join(env().stateDir, STATE_FILE), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT a.id, c.id AS contact, a.number, a.planned_at, a.ended_at, a.outcome FROM attempts a JOIN contacts c ON c.seq = a.contact ORDER BY a.planned_at, a.id').all() as AttemptRow[];
  } finally {
    db.close();
  }
}

const finished = (rows: AttemptRow[]) =>
  NUMBERS.every((n, i) => {
    const mine = rows.filter((r) => r.contact === `K-${i}`);
    return n.endsWith(CALLEE.busy) ? mine.filter((r) => r.outcome === 'busy').length === 2 : mine.some((r) => r.outcome === 'connected');
  }) && rows.every((r) => r.outcome !== null);

describe('the dialer daemon killed with SIGKILL at random moments', () => {
  it('loses no contact and no outcome, and never dials a contact twice at once', async () => {
    const rnd = random(SEED);
    const logs: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      const p = startProcess();
      await p.dialing();
      await new Promise((r) => setTimeout(r, 100 + Math.floor(rnd() * 2_400)));
      p.child.kill('SIGKILL');
      const end = await p.exited;
      expect(end.signal, p.stderr()).toBe('SIGKILL');
      logs.push(p.stderr());
    }
    const last = startProcess();
    // Started (and reconciled) before anything else: every attempt may be finished already, and a
    // SIGTERM before the daemon is up would end it by the signal instead of its graceful stop.
    await last.dialing();
    const deadline = Date.now() + 60_000;
    while (!finished(attempts()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    last.child.kill('SIGTERM');
    const end = await last.exited;
    logs.push(last.stderr());
    const rows = attempts();
    // Not vacuous: some kill left calls on Asterisk that a later run followed or took the outcome of.
    expect(logs.join('\n')).toMatch(/is still up in Asterisk: following it|is not on Asterisk: ended/);
    expect(finished(rows), `${logs.join('\n----\n').slice(-6_000)}\n${JSON.stringify(rows, null, 1).slice(-4_000)}`).toBe(true);
    expect(end.code, last.stderr()).toBe(0);

    // Exactly what the outcomes justify: a person is reached once; a busy number twice (one retry); the rest failed (killed before the call existed).
    for (const [i, n] of NUMBERS.entries()) {
      const mine = rows.filter((r) => r.contact === `K-${i}`);
      const counts = (o: string) => mine.filter((r) => r.outcome === o).length;
      if (n.endsWith(CALLEE.busy)) expect(counts('busy'), `K-${i}`).toBe(2);
      else expect(counts('connected'), `K-${i}`).toBe(1);
      expect(counts('connected') + counts('busy') + counts('failed') + counts('abandoned') + counts('noAnswer'), `K-${i}`).toBe(mine.length);
      // Never two calls at once: each attempt starts after the previous one ended; nothing after the contact was reached.
      for (let j = 1; j < mine.length; j++) expect(mine[j]!.planned_at, `K-${i} attempt ${j}`).toBeGreaterThanOrEqual(mine[j - 1]!.ended_at!);
      const reached = mine.findIndex((r) => r.outcome === 'connected');
      if (reached >= 0) expect(reached, `K-${i}`).toBe(mine.length - 1);
    }
    // Every call the callee saw has its attempt on record: INVITEs per number between the attempts that reached the callee and all attempts.
    const invites = env().callees.received().filter((m) => m.method === 'INVITE');
    for (const n of NUMBERS) {
      const seen = invites.filter((m) => m.firstLine.includes(`+${n}@`)).length;
      const mine = rows.filter((r) => r.number === n);
      expect(seen, n).toBeLessThanOrEqual(mine.length);
      expect(seen, n).toBeGreaterThanOrEqual(mine.filter((r) => r.outcome !== 'failed').length);
    }
  }, 110_000);
});

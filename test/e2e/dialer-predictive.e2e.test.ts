import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDaemon, type RunningDaemon } from '../../src/dialer/daemon/run.js';
import { E2E_ENV } from './harness/callplan-build.js';
import type { CallplanPbx } from './harness/callplan-pbx.js';
import { CALLEE } from './harness/callee.js';
import { startDialerPbx } from './harness/dialer-pbx.js';
import { perFile } from './harness/lifecycle.js';

/**
 * A predictive campaign on a real Asterisk, with four SIPp agents and callees that answer (and
 * hang up after a short talk), are busy, or ring out, in a mix: the abandon rate the daemon
 * reports over its regulated window stays at or under the campaign's target. And the calling
 * window holds in the callee's time: contacts whose time zone is outside the window now are not
 * dialled, the others are. The zones are chosen when the test runs (fixed-offset Etc/GMT zones,
 * one where it is mid-window now, one where it is the middle of the night), so it holds at any
 * wall-clock time.
 */
const AGENTS = ['1001', '1002', '1003', '1004'];

/** A fixed-offset zone whose local hour now is within [from, to), or undefined. */
function zoneAt(from: number, to: number): string {
  for (let offset = -12; offset <= 14; offset++) {
    // Etc/GMT zones count the other way round: Etc/GMT-3 is UTC+3.
    const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
    const hour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', hourCycle: 'h23' }).format(new Date()));
    if (hour >= from && hour < to) return zone;
  }
  throw new Error(`no fixed-offset zone has a local hour in [${from}, ${to}) now`);
}
// Two hours of margin on both sides of the 09:00-17:00 window (and of the 08:00-21:00 legal hours): a run crossing an hour changes nothing.
const OPEN_ZONE = zoneAt(11, 15);
const CLOSED_ZONE = zoneAt(1, 6);

const PROJECT = (p: { sip: number; ami: number; carrier: string }) => `version: 1
name: e2e-predictive
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${p.sip}, ami_port: ${p.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  office: { timezone: UTC, hours: { mon-sun: "00:00-24:00" } }
trunks:
  carrier: { auth: ip, host: ${p.carrier.split(':')[0]}, port: ${p.carrier.split(':')[1]}, addresses: [127.0.0.2] }
users:
${AGENTS.map((a) => `  - { extension: "${a}", name: Agent ${a}, site: office, devices: [{ type: softphone, name: desk }] }`).join('\n')}
queues:
  sales:
    members: { primary: [${AGENTS.map((a) => `user:${a}`).join(', ')}] }
    wrapup: 1
outbound:
  routes:
    world: { patterns: ["_00X."], trunks: [carrier], strip: 2, prepend: "+" }
  classes:
    dialer: [world]
campaigns:
  pred:
    mode: predictive
    queue: queue:sales
    caller_id: "+48221000099"
    outbound_class: dialer
    contacts: { source: api, numbers: [phone], timezone: ${OPEN_ZONE} }
    window: { from: "09:00", to: "17:00", days: mon-sun }
    amd: { enabled: false }
    abandon: { max_percent: 3, message: beep }
    predictive: { max_ratio: 2, ring_timeout: 5 }
`;

const TOKEN = 'predictive-e2e-api-token-0123456789abcdef';
/** Callees of the open zone: persons who talk 1.5 s, busy lines and numbers nobody answers, in a fixed mix (6 : 2 : 1). */
const MIX = [CALLEE.hangsUp, CALLEE.hangsUp, CALLEE.busy, CALLEE.hangsUp, CALLEE.hangsUp, CALLEE.noAnswer, CALLEE.hangsUp, CALLEE.busy, CALLEE.hangsUp];
const OPEN = 45;
const CLOSED = 4;

interface Env {
  pbx: CallplanPbx;
  daemon: RunningDaemon;
  logs: string[];
  stop(): Promise<void>;
}

const env = perFile<Env>(async () => {
  const d = await startDialerPbx({
    name: 'predictive',
    project: PROJECT,
    phones: Object.fromEntries(AGENTS.map((a) => [a, { ringMs: 100 }])),
    callee: { ringMs: 200, talkMs: 1_500 },
    contacts: (runtimes) => {
      const rt = runtimes.get('pred')!;
      for (let i = 0; i < OPEN; i++) rt.pushTask({ id: `O-${i}`, priority: 0, numbers: [{ number: `482210${String(i).padStart(4, '0')}${MIX[i % MIX.length]}`, type: 'mobile' }], fields: {} });
      // Asleep: their own time zone is outside the window now (the campaign's is inside it).
      for (let i = 0; i < CLOSED; i++) rt.pushTask({ id: `N-${i}`, priority: 100, timezone: CLOSED_ZONE, numbers: [{ number: `482219${String(i).padStart(4, '0')}${CALLEE.hangsUp}`, type: 'mobile' }], fields: {} });
    },
  });
  try {
    const logs: string[] = [];
    const daemon = await startDaemon({ build: d.build, stateDir: d.stateDir, env: { ...E2E_ENV, CALLPLAN_DIALER_API_TOKEN: TOKEN }, log: (l) => logs.push(l), backoff: { initialMs: 200, maxMs: 1_000 }, api: { port: 0 } });
    d.onStop(() => daemon.stop());
    return { pbx: d.pbx, daemon, logs, stop: d.stop };
  } catch (e) {
    await d.stop();
    throw e;
  }
}, 120_000);

const attempts = () => env().daemon.state.store.db.prepare("SELECT c.id AS contact, a.outcome FROM attempts a JOIN contacts c ON c.seq = a.contact WHERE a.campaign = 'pred'").all() as { contact: string; outcome: string | null }[];

interface Stats {
  campaigns: { name: string; contacts: { pending: number; dialing: number }; abandon: { rate: number | null; target: number; liveAnswers: number; abandoned: number; windowSeconds: number } }[];
}
async function stats(): Promise<Stats['campaigns'][number]> {
  const r = await fetch(`${env().daemon.apiUrl}/v1/stats`, { headers: { authorization: `Bearer ${TOKEN}` } });
  return ((await r.json()) as Stats).campaigns.find((c) => c.name === 'pred')!;
}

describe('a predictive campaign on a real Asterisk', () => {
  it('keeps the abandon rate over the regulated window at or under its target, over a mix of answers, busy lines and no answers', async () => {
    // Until every open-zone contact had its first attempt ended (busy and no-answer ones may wait for a retry).
    const deadline = Date.now() + 75_000;
    for (;;) {
      const a = attempts();
      const done = new Set(a.filter((x) => x.contact.startsWith('O-') && x.outcome !== null).map((x) => x.contact));
      if (done.size >= OPEN && a.every((x) => x.outcome !== null)) break;
      if (Date.now() > deadline) throw new Error(`timed out: ${done.size}/${OPEN} contacts dialled\n${env().logs.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const s = await stats();
    const outcomes = attempts().map((a) => a.outcome!);
    const count = (o: string) => outcomes.filter((x) => x === o).length;
    // Enough persons for the rate to mean something: every person callee of the list answered.
    expect(s.abandon.liveAnswers).toBeGreaterThanOrEqual(MIX.filter((d) => d === CALLEE.hangsUp).length * Math.floor(OPEN / MIX.length));
    expect(s.abandon.target).toBe(0.03);
    expect(s.abandon.abandoned / s.abandon.liveAnswers).toBeLessThanOrEqual(s.abandon.target);
    expect(s.abandon.rate).toBe(s.abandon.abandoned / s.abandon.liveAnswers);
    // The daemon's window is what the database holds: live answers are the connected and abandoned calls.
    expect(s.abandon.liveAnswers).toBe(count('connected') + count('abandoned'));
    expect(s.abandon.abandoned).toBe(count('abandoned'));
    // The mix was dialled as it is: busy lines were busy, unanswered numbers rang out.
    expect(count('busy')).toBeGreaterThan(0);
    expect(count('noAnswer')).toBeGreaterThan(0);
  }, 90_000);

  it('holds the calling window in the callee\'s time: the contacts asleep in their time zone were never dialled', async () => {
    const dialled = new Set(attempts().map((a) => a.contact));
    expect([...dialled].filter((c) => c.startsWith('N-'))).toEqual([]);
    // Although they come first by priority, and the campaign had agents free for them.
    for (let i = 0; i < OPEN; i++) expect(dialled.has(`O-${i}`)).toBe(true);
    const rt = env().daemon.state.runtimes.get('pred')!;
    expect(rt.contactCounts()).toMatchObject({ pending: expect.any(Number) });
    expect(rt.contactCounts().pending).toBeGreaterThanOrEqual(CLOSED);
  });
});

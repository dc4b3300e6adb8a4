import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCampaignsFile } from '../../src/dialer/campaigns-file.js';
import { managerSecret, startDaemon, type RunningDaemon } from '../../src/dialer/daemon/run.js';
import { connectAmi } from '../../src/provision/ami.js';
import { E2E_ENV } from './harness/callplan-build.js';
import type { CallplanPbx } from './harness/callplan-pbx.js';
import { CALLEE } from './harness/callee.js';
import { startDialerPbx } from './harness/dialer-pbx.js';
import { perFile } from './harness/lifecycle.js';
import { type SippUas } from './harness/sipp.js';

/**
 * `callplan dialer run` (the daemon, in-process) against a real Asterisk running what callplan
 * builds: agents are registered SIPp phones that answer; callees are one SIPp behind the trunk
 * (the number's last digit says how it behaves: a person who hangs up after 1.5 s, busy ...).
 */
const PROJECT = (p: { sip: number; ami: number; carrier: string }) => `version: 1
name: e2e-daemon
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
  - { extension: "1003", name: Slow, site: office, devices: [{ type: softphone, name: desk }] }
queues:
  sales:
    members: { primary: [user:1001, user:1002] }
  slow:
    members: { primary: [user:1003] }
outbound:
  routes:
    world: { patterns: ["_00X."], trunks: [carrier], strip: 2, prepend: "+" }
  classes:
    dialer: [world]
campaigns:
  sales:
    mode: progressive
    queue: queue:sales
    caller_id: "+48221000099"
    outbound_class: dialer
    contacts: { source: api, numbers: [phone], fields: [case] }
    window: { from: "00:00", to: "23:59", days: mon-sun, override: "end-to-end test: calls SIPp on loopback at any hour" }
    progressive: { read_time: 0 }
    amd: { enabled: false }
    retries: { busy: { max: 1, after: 1h } }
    callback: { same_agent: true, fallback_after: 1h, then: wait }
  slow:
    mode: progressive
    queue: queue:slow
    outbound_class: dialer
    contacts: { source: api, numbers: [phone] }
    window: { from: "00:00", to: "23:59", days: mon-sun, override: "end-to-end test: calls SIPp on loopback at any hour" }
    progressive: { read_time: 0 }
    amd: { enabled: false }
    abandon: { message: beep }
`;

const TOKEN = 'daemon-e2e-api-token-0123456789abcdef';

interface Env {
  pbx: CallplanPbx;
  callees: SippUas;
  build: string;
  stateDir: string;
  daemon: RunningDaemon;
  logs: string[];
  stop(): Promise<void>;
}

const env = perFile<Env>(async () => {
  const d = await startDialerPbx({
    name: 'daemon',
    project: PROJECT,
    phones: { '1001': { ringMs: 100 }, '1002': { ringMs: 100 }, '1003': { ringMs: 4_000 } },
    callee: { ringMs: 200, talkMs: 1_500 },
    // Every sales callee is a person who hangs up after 1.5 s, but one is busy.
    contacts: (runtimes) => {
      const numbers = ['48221000104', '48221000114', '48221000121', '48221000134', '48221000144', '48221000154'];
      numbers.forEach((n, i) => runtimes.get('sales')!.pushTask({ id: `S-${i}`, priority: 10 - i, name: `Debtor ${i}`, numbers: [{ number: n, type: 'mobile' }], fields: { case: `K-${i}` } }));
      runtimes.get('slow')!.pushTask({ id: 'W-0', priority: 0, name: 'Waits', numbers: [{ number: `4822100020${CALLEE.person}`, type: 'mobile' }], fields: {} });
    },
  });
  try {
    const logs: string[] = [];
    const daemon = await startDaemon({ build: d.build, stateDir: d.stateDir, env: { ...E2E_ENV, CALLPLAN_DIALER_API_TOKEN: TOKEN }, log: (l) => logs.push(l), backoff: { initialMs: 200, maxMs: 1_000 }, api: { port: 0 } });
    d.onStop(() => daemon.stop());
    return { pbx: d.pbx, callees: d.callees, build: d.build, stateDir: d.stateDir, daemon, logs, stop: d.stop };
  } catch (e) {
    await d.stop();
    throw e;
  }
}, 120_000);

const outcomes = (campaign: string) =>
  env().daemon.state.store.db.prepare("SELECT c.id AS contact, a.outcome, a.talk_agent AS agent FROM attempts a JOIN contacts c ON c.seq = a.contact WHERE a.campaign = ? ORDER BY a.planned_at, a.rowid").all(campaign) as { contact: string; outcome: string | null; agent: string | null }[];

async function until(what: string, ok: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${env().logs.slice(-30).join('\n')}\n${JSON.stringify(outcomes('sales'))}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Calls up on Asterisk for a campaign: the Local channels that dial its callees. */
async function callsUp(campaign: string): Promise<number> {
  const out = await env().pbx.ast.rx('core show channels concise');
  return out.split('\n').filter((l) => l.startsWith(`Local/`) && l.includes(`@cp-dialer-${campaign}-out-`) && l.split('!')[0]!.endsWith(';2')).length;
}

describe('the dialer daemon on a real Asterisk', () => {
  it('progressive: never more calls up than ready agents; every contact dialled once with its outcome', async () => {
    let most = 0;
    const sampling = (async () => {
      while (outcomes('sales').filter((o) => o.outcome !== null).length < 6) {
        most = Math.max(most, await callsUp('sales'));
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    await until('six sales attempts ended', () => outcomes('sales').filter((o) => o.outcome !== null).length >= 6, 50_000);
    await sampling;
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(2);
    const ended = outcomes('sales').filter((o) => o.outcome !== null);
    expect(new Set(ended.map((o) => o.contact)).size).toBe(6);
    expect(ended.find((o) => o.contact === 'S-2')!.outcome).toBe('busy');
    expect(ended.filter((o) => o.outcome === 'connected').map((o) => o.agent).sort()).toEqual(expect.arrayContaining(['1001', '1002']));
    expect(ended.filter((o) => o.outcome === 'connected')).toHaveLength(5);
  }, 60_000);

  it("brings the contact to the agent's phone as SIP headers", () => {
    const invites = ['1001', '1002'].flatMap((ext) => env().pbx.phones[ext]!.received().filter((m) => m.method === 'INVITE' && m.text.includes('X-CP-Campaign: sales')));
    expect(invites.length).toBeGreaterThanOrEqual(5);
    const ids = invites.map((m) => /X-CP-Contact-Id: (\S+)/.exec(m.text)?.[1]);
    expect(new Set(ids)).toEqual(new Set(['S-0', 'S-1', 'S-3', 'S-4', 'S-5']));
    const first = invites.find((m) => m.text.includes('X-CP-Contact-Id: S-0'))!;
    expect(first.text).toMatch(/X-CP-Data: .*case=K-0/);
  });

  it('an answered callee whose agent does not take the call within 2 s hears the message and is counted abandoned', async () => {
    await until('the slow campaign\'s attempt to end', () => outcomes('slow').some((o) => o.outcome !== null));
    expect(outcomes('slow')[0]).toMatchObject({ contact: 'W-0', outcome: 'abandoned' });
    // The callee's channel (the Local channel of the slow campaign) played the campaign's abandon message.
    await env().pbx.ast.waitForLog(/cp-dialer-slow-out-[^\n]*;1> Playing 'beep\./, { timeoutMs: 5_000, from: 0 });
  });

  it('serves its statistics over the API, with the agents Asterisk reports, to the token only', async () => {
    const url = `${env().daemon.apiUrl}/v1/stats`;
    expect((await fetch(url)).status).toBe(401);
    const r = await fetch(url, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(r.status).toBe(200);
    const stats = (await r.json()) as { agents: { list: { id: string; state: string; campaigns: string[] }[] }; campaigns: { name: string; contacts: { reached: number } }[] };
    expect(stats.agents.list.map((a) => a.id).sort()).toEqual(['1001', '1002', '1003']);
    expect(stats.agents.list.find((a) => a.id === '1001')!.campaigns).toEqual(['sales']);
    expect(stats.campaigns.find((c) => c.name === 'sales')!.contacts.reached).toBeGreaterThanOrEqual(5);
  });

  it('a callback lands on the agent who asked for it', async () => {
    const rt = env().daemon.state.runtimes.get('sales')!;
    const before = env().pbx.phones['1002']!.received().filter((m) => m.method === 'INVITE').length;
    expect(rt.scheduleCallback('S-4', Date.now(), '1002')).toEqual({ ok: true });
    await until('the callback to end', () => outcomes('sales').filter((o) => o.contact === 'S-4').length === 2 && outcomes('sales').filter((o) => o.contact === 'S-4').every((o) => o.outcome !== null));
    const callback = outcomes('sales').filter((o) => o.contact === 'S-4')[1]!;
    expect(callback).toMatchObject({ outcome: 'connected', agent: '1002' });
    const invites = env().pbx.phones['1002']!.received().filter((m) => m.method === 'INVITE').slice(before);
    expect(invites.some((m) => m.text.includes('X-CP-Contact-Id: S-4'))).toBe(true);
  });

  it("sets an agent not ready with a reason over the API, sees a QueuePause another AMI client sent, and ready again", async () => {
    const api = env().daemon.apiUrl!;
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const agent = async (id: string) => ((await (await fetch(`${api}/v1/stats`, { headers })).json()) as { agents: { list: { id: string; state: string; reason?: string }[] } }).agents.list.find((a) => a.id === id)!;
    const put = (body: object) => fetch(`${api}/v1/agents/1003/state`, { method: 'PUT', headers, body: JSON.stringify(body) });
    const consult = await put({ state: 'not-ready', reason: 'consultation' });
    expect(consult.status).toBe(200);
    expect(await consult.json()).toEqual({ agent: '1003', state: 'not-ready', reason: 'consultation', queues: ['slow'] });
    await untilAsync('1003 paused (consultation) in /v1/stats', async () => {
      const a = await agent('1003');
      return a.state === 'paused' && a.reason === 'consultation';
    });
    // Asterisk itself holds the pause with its reason: the queue offers the agent nothing.
    expect(await env().pbx.ast.rx('queue show slow')).toMatch(/Local\/1003@cp-queue-members\/n.*\(paused:consultation/);
    // A reason the project does not have names the field.
    const bad = await put({ state: 'not-ready', reason: 'lunch' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { 'invalid-params': { name: string }[] })['invalid-params'][0]!.name).toBe('body.reason');
    // Another AMI client (a CRM, a supervisor's tool) pauses the agent with its own reason: the daemon's view follows.
    const file = parseCampaignsFile(env().pbx.files.get('dialer/campaigns.json')!, 'campaigns.json');
    const other = await connectAmi({ host: '127.0.0.1', port: env().pbx.ast.ports.ami, username: file.ami.username, secret: managerSecret(file, E2E_ENV), timeoutMs: 5_000 });
    try {
      expect((await other.action({ Action: 'QueuePause', Interface: 'Local/1003@cp-queue-members/n', Paused: 'true', Reason: 'break' })).Response).toBe('Success');
    } finally {
      await other.close();
    }
    await untilAsync('1003 paused (break) in /v1/stats', async () => {
      const a = await agent('1003');
      return a.state === 'paused' && a.reason === 'break';
    });
    expect((await put({ state: 'ready' })).status).toBe(200);
    await untilAsync('1003 ready in /v1/stats', async () => (await agent('1003')).state === 'ready');
    expect(await env().pbx.ast.rx('queue show slow')).not.toMatch(/Local\/1003@cp-queue-members\/n.*paused/);
  });
});

async function untilAsync(what: string, ok: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${env().logs.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

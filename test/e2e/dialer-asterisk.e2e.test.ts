import { describe, expect, it } from 'vitest';
import { connectAmi, type Ami, type AmiMessage } from '../../src/provision/ami.js';
import { secretResolver } from '../../src/secrets/resolve.js';
import { secretValues } from '../../src/secrets/refs.js';
import { AMI_USER } from '../../src/targets/asterisk/names.js';
import { check } from '../helpers/project.js';
import { devicePassword, E2E_ENV } from './harness/callplan-build.js';
import { startCallplanPbx, problemsWithOurFiles } from './harness/callplan-pbx.js';
import { CALLEE, calleeScenario } from './harness/callee.js';
import { perFile } from './harness/lifecycle.js';
import { runSipp, sippReport, startSippUas } from './harness/sipp.js';
import { callerView, uacReplay } from './harness/replay.js';

/**
 * The campaign contexts the Asterisk target writes, on a real Asterisk, driven by hand through
 * the manager as the dialer's own AMI user (what `callplan dialer run` does, without the daemon):
 * callees are one SIPp behind a trunk (the number's last digit says how it behaves), agents are
 * registered SIPp phones.
 */
const PROJECT = (p: { sip: number; ami: number; carrier: string }) => `version: 1
name: e2e-dialer
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${p.sip}, ami_port: ${p.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
  external_dialer: "\${env:VENDOR_AMI_SECRET}"
sites:
  office: { timezone: Europe/Warsaw, hours: { mon-sun: "00:00-24:00" } }
trunks:
  carrier: { auth: ip, host: ${p.carrier.split(':')[0]}, port: ${p.carrier.split(':')[1]}, addresses: [127.0.0.2] }
agent_statuses:
  available: { ready: true }
  break: { ready: false }
  consultation: { ready: false }
users:
  - { extension: "1001", name: Anna, site: office, devices: [{ type: softphone, name: desk }] }
  - { extension: "1002", name: Piotr, site: office, devices: [{ type: softphone, name: desk }] }
queues:
  sales:
    members: { primary: [user:1001, user:1002] }
    ring_timeout: 10
    wrapup: 0                      # agents take the next call at once (tests follow each other)
  robo:
    members: { primary: [user:1002] }
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
    contacts: { source: api, numbers: [phone], fields: [case_id, name] }
    window: { from: "08:00", to: "21:00" }
    abandon: { message: beep }
  robo:
    mode: predictive
    queue: queue:robo
    outbound_class: dialer
    contacts: { source: api, numbers: [phone] }
    window: { from: "08:00", to: "21:00" }
    amd: { enabled: true, on_machine: hangup }
`;

/** The other vendor's manager secret, as its operator would set it. */
const ENV = { ...E2E_ENV, VENDOR_AMI_SECRET: 'Vendor-Dialer-7r2Kq9xW4mZp' };

interface Recorded {
  events: AmiMessage[];
}

const env = perFile(async () => {
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const callees = await startSippUas({ scenario: calleeScenario({ ringMs: 200, talkMs: 1_500 }), localIp: '127.0.0.2' });
    stops.push(() => callees.stop());
    let yaml = '';
    const pbx = await startCallplanPbx({
      name: 'dialer',
      requireModules: ['app_queue.so', 'app_amd.so', 'func_global.so'],
      project: ({ ports }) => (yaml = PROJECT({ sip: ports.sip, ami: ports.ami, carrier: callees.address })),
      phones: { '1001': { ringMs: 100 }, '1002': { ringMs: 100 } },
      env: ENV,
    });
    stops.push(() => pbx.stop());
    const model = check({ 'callplan.yaml': yaml }, ENV).model!;
    const secret = secretResolver(model, secretValues(ENV)).resolver.derived(`ami:${AMI_USER}`);
    const recorded: Recorded = { events: [] };
    const ami = await connectAmi({ host: '127.0.0.1', port: pbx.ast.ports.ami, username: AMI_USER, secret, timeoutMs: 5_000, onEvent: (e) => recorded.events.push(e) });
    stops.push(() => ami.close());
    return { ast: pbx.ast, pbx, ami, callees, recorded, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}, 120_000);

let next = 0;
/** The ActionID of each attempt's Originate: its OriginateResponse carries it. */
const actionIds = new Map<string, string>();
/** Originates a campaign call as the daemon does; returns the attempt id. */
async function originate(ami: Ami, o: { campaign: string; number: string; agent?: string; data?: Record<string, string>; contactId?: string; timeoutMs?: number }): Promise<string> {
  const attempt = `t${process.pid}-${++next}`;
  const vars = [`CP_ATTEMPT=${attempt}`, `CP_CONTACT_ID=${encodeURIComponent(o.contactId ?? `c-${next}`)}`, `CP_DATA=${new URLSearchParams(o.data ?? {}).toString()}`];
  if (o.agent) vars.push(`CP_AGENT=${o.agent}`);
  const r = await ami.action({
    Action: 'Originate',
    Channel: `Local/${o.number}@cp-dialer-${o.campaign}-out/n`,
    Context: `cp-dialer-${o.campaign}`,
    Exten: 's',
    Priority: '1',
    Timeout: String(o.timeoutMs ?? 8_000),
    Async: 'true',
    Variable: vars.join(','),
  });
  expect(r.Response, JSON.stringify(r)).toBe('Success');
  actionIds.set(attempt, r.ActionID!);
  return attempt;
}

/** The dialer's events of one attempt, waiting until `until` holds. */
async function eventsOf(attempt: string, until: (events: AmiMessage[]) => boolean, timeoutMs = 15_000): Promise<AmiMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = env().recorded.events.filter((e) => e.Attempt === attempt || (e.Event === 'OriginateResponse' && e.ActionID === actionIds.get(attempt)));
    if (until(events) || Date.now() > deadline) return events;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const phases = (events: AmiMessage[]) => events.filter((e) => e.Event === 'UserEvent' && e.UserEvent === 'CallplanDialer').map((e) => e.Phase);
const ended = (events: AmiMessage[]) => events.find((e) => e.Phase === 'ended' || (e.Phase === 'dialstatus' && e.Status !== 'ANSWER') || (e.Event === 'OriginateResponse' && e.Response === 'Failure'));

describe('the campaign contexts on a real Asterisk', () => {
  it('loads the campaign contexts, AMD and a dialer user that may read user events', async () => {
    const { ast } = env();
    const sales = await ast.rx('dialplan show s@cp-dialer-sales');
    expect(sales).toContain('Gosub(cp-dialer-answered,s,1)');
    const answered = await ast.rx('dialplan show s@cp-dialer-answered');
    expect(answered).toMatch(/AMD\(\)/);
    expect(answered).toContain('Queue(${CP_QUEUE},,,,${CP_CONNECT},,cp-dialer-connected)');
    const out = await ast.rx('dialplan show cp-dialer-sales-out');
    expect(out).toContain('Set(CALLERID(num)=+48221000099)');
    expect(await ast.rx('module show like app_amd')).toMatch(/app_amd\.so\s.*Running/);
    const user = await ast.rx(`manager show user ${AMI_USER}`);
    expect(user).toMatch(/read perm: .*user/);
    expect(user).not.toMatch(/(read|write) perm: .*system/);
    expect(await ast.rx('dialplan show *941@internal')).toContain('Gosub(cp-agent,s,1(break))');
    expect(problemsWithOurFiles(ast.log())).toEqual([]);
  });

  it('puts an answered person through to an agent, with the contact in SIP headers on the agent\'s INVITE', async () => {
    const { ami, pbx } = env();
    const attempt = await originate(ami, { campaign: 'sales', number: `4822100010${CALLEE.hangsUp}`, contactId: 'case 7/1', data: { case_id: 'K-2024-17', name: 'Jan Kowalski' } });
    const events = await eventsOf(attempt, (es) => ended(es) !== undefined);
    expect(phases(events)).toEqual(['answered', 'waiting', 'connected', 'ended']);
    const end = ended(events)!;
    expect(end.Outcome).toBe('connected');
    expect(['1001', '1002']).toContain(end.Agent);
    const invite = pbx.phones[end.Agent!]!.received().filter((m) => m.method === 'INVITE' && m.text.includes(`X-CP-Attempt: ${attempt}`));
    expect(invite).toHaveLength(1);
    expect(invite[0]!.text).toContain('X-CP-Contact-Id: case%207%2F1');
    expect(invite[0]!.text).toContain('X-CP-Campaign: sales');
    expect(invite[0]!.text).toContain('X-CP-Data: case_id=K-2024-17&name=Jan+Kowalski');
  });

  it('sends a call placed for an agent to that agent', async () => {
    const { ami } = env();
    for (const agent of ['1002', '1001']) {
      const attempt = await originate(ami, { campaign: 'sales', number: `4822100011${CALLEE.hangsUp}`, agent });
      const events = await eventsOf(attempt, (es) => ended(es) !== undefined);
      expect(ended(events)).toMatchObject({ Outcome: 'connected', Agent: agent });
    }
  });

  it('abandons a person no agent takes within 2 s: the message, the outcome as an event and in AstDB', async () => {
    const { ami, ast } = env();
    for (const ext of ['1001', '1002']) expect((await ami.action({ Action: 'QueuePause', Interface: `Local/${ext}@cp-queue-members/n`, Paused: 'true', Reason: 'break' })).Response).toBe('Success');
    try {
      const from = ast.log().length;
      const attempt = await originate(ami, { campaign: 'sales', number: `4822100012${CALLEE.person}` });
      const events = await eventsOf(attempt, (es) => ended(es) !== undefined);
      expect(phases(events)).toEqual(['answered', 'waiting', 'abandoned', 'ended']);
      expect(ended(events)!.Outcome).toBe('abandoned');
      // The callee heard the message naming the caller (the campaign's abandon.message).
      await ast.waitForLog(/Playing 'beep\./, { timeoutMs: 3_000, from });
      const db = await ami.list({ Action: 'DBGet', Family: `cp-dialer-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`, Key: attempt });
      expect(db.events[0]?.Val).toMatch(/^abandoned\/\/\d+$/);
    } finally {
      for (const ext of ['1001', '1002']) await ami.action({ Action: 'QueuePause', Interface: `Local/${ext}@cp-queue-members/n`, Paused: 'false' });
    }
  });

  it('reports a busy callee and a trunk that never answers through the Originate', async () => {
    const { ami } = env();
    const busy = await originate(ami, { campaign: 'sales', number: `4822100013${CALLEE.busy}` });
    const events = await eventsOf(busy, (es) => ended(es) !== undefined);
    expect(events.find((e) => e.Phase === 'dialstatus')).toMatchObject({ Status: 'BUSY' });
    const noAnswer = await originate(ami, { campaign: 'sales', number: `4822100013${CALLEE.noAnswer}`, timeoutMs: 2_000 });
    const unanswered = await eventsOf(noAnswer, (es) => es.some((e) => e.Event === 'OriginateResponse'));
    expect(unanswered.find((e) => e.Event === 'OriginateResponse')).toMatchObject({ Response: 'Failure', Reason: '3' });
    expect(phases(unanswered)).toEqual([]);
  });

  it("lets another vendor's dialer originate through its own AMI user into a queue, and nothing more", async () => {
    const { ast, pbx } = env();
    const user = await ast.rx('manager show user callplan-external-dialer');
    expect(user).toMatch(/read perm: call,agent/);
    expect(user).not.toMatch(/system|command|config/);
    const vendor = await connectAmi({ host: '127.0.0.1', port: ast.ports.ami, username: 'callplan-external-dialer', secret: ENV.VENDOR_AMI_SECRET, timeoutMs: 5_000 });
    try {
      const before = ['1001', '1002'].map((x) => pbx.phones[x]!.received().filter((m) => m.method === 'INVITE').length);
      const r = await vendor.action({ Action: 'Originate', Channel: `Local/4822100015${CALLEE.hangsUp}@cp-external-dialer/n`, Context: 'cp-external-dialer-answered', Exten: 's', Priority: '1', Timeout: '8000', Variable: 'CP_QUEUE=sales', Async: 'false' });
      expect(r.Response, JSON.stringify(r)).toBe('Success');
      const deadline = Date.now() + 10_000;
      const after = () => ['1001', '1002'].map((x) => pbx.phones[x]!.received().filter((m) => m.method === 'INVITE').length);
      while (after().every((n, i) => n === before[i]) && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
      expect(after().reduce((a, b) => a + b)).toBe(before.reduce((a, b) => a + b) + 1);
      // Its user may not run CLI commands through the manager.
      expect((await vendor.action({ Action: 'Command', Command: 'core show version' })).Response).toBe('Error');
    } finally {
      await vendor.close();
    }
  });

  it('pauses an agent with a reason from the phone (*942 consultation): no queue offers them a call until *91', async () => {
    const { ast, ami, pbx } = env();
    const dial = (code: string) =>
      runSipp({ scenario: uacReplay({ from: '1001-desk', auth: true, awaitByeMs: 5_000 }), target: `127.0.0.1:${ast.ports.sip}`, service: code, auth: { username: '1001-desk', password: devicePassword(pbx.files, '1001-desk') } });
    const member = async () => (await ami.list({ Action: 'QueueStatus', Queue: 'sales' })).events.find((e) => e.Event === 'QueueMember' && e.Name === 'Anna')!;
    // The calls of earlier tests are over (an agent still talking would not be offered this one).
    for (const deadline = Date.now() + 10_000; (await ast.rx('core show channels concise')).trim() !== '' && Date.now() < deadline; ) await new Promise((res) => setTimeout(res, 100));
    const r = await dial('*942');
    expect(callerView(r), sippReport(r)).toMatchObject({ answered: true, byeFromAsterisk: true });
    expect(await member()).toMatchObject({ Paused: '1', PausedReason: 'consultation' });
    // A queue call (for nobody in particular) now goes to the other agent.
    const attempt = await originate(ami, { campaign: 'sales', number: `4822100016${CALLEE.hangsUp}` });
    expect(ended(await eventsOf(attempt, (es) => ended(es) !== undefined))).toMatchObject({ Outcome: 'connected', Agent: '1002' });
    const back = await dial('*91');
    expect(callerView(back), sippReport(back)).toMatchObject({ answered: true, byeFromAsterisk: true });
    expect(await member()).toMatchObject({ Paused: '0' });
  });

  it('hangs up on an answering machine that AMD recognises', async () => {
    const { ami } = env();
    const attempt = await originate(ami, { campaign: 'robo', number: `4822100014${CALLEE.machine}` });
    const events = await eventsOf(attempt, (es) => ended(es) !== undefined, 20_000);
    expect(phases(events)).toEqual(['answered', 'amd', 'machine', 'ended']);
    expect(events.find((e) => e.Phase === 'amd')).toMatchObject({ Status: 'MACHINE' });
    expect(ended(events)!.Outcome).toBe('machine');
  });
});

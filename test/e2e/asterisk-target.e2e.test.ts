import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { devicePassword } from './harness/callplan-build.js';
import { invitesTo, problemsWithOurFiles, startCallplanPbx } from './harness/callplan-pbx.js';
import { perFile } from './harness/lifecycle.js';
import { uacCall, uacExpectFailure, uasAnswer, uasReject } from './harness/scenarios.js';
import { runSipp, sippReport, startSippUas } from './harness/sipp.js';

/**
 * The asterisk/ tree callplan builds, loaded by a real Asterisk, routing real SIP calls: phones
 * and carriers are SIPp processes on loopback (carriers on their own addresses, 127.0.0.2 and
 * 127.0.0.3, so only they are identified as trunks).
 */
const PROJECT = (p: { sip: number; ami: number; good: string; bad: string; recordings: string }) => `version: 1
name: e2e
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${p.sip}, ami_port: ${p.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  always-open:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
  never-open:
    timezone: Asia/Sakhalin        # no hours: closed at every hour of its own day
  switchable:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
    override: true                 # supervisors force it open or closed with *281NN / *282NN
trunks:
  good: { auth: ip, host: ${p.good.split(':')[0]}, port: ${p.good.split(':')[1]}, addresses: [127.0.0.2] }
  bad: { auth: ip, host: ${p.bad.split(':')[0]}, port: ${p.bad.split(':')[1]}, addresses: [127.0.0.3] }
groups:
  team: { site: always-open, supervisor: user:1001 }
users:
  - { extension: "1001", name: Anna, site: always-open, group: team, outbound: office, devices: [{ type: softphone, name: desk }] }
  - { extension: "1002", name: Piotr, site: always-open, group: team, devices: [{ type: softphone, name: desk }] }
  - extension: "1003"
    name: Ewa
    site: always-open
    group: team                    # colleagues 1001 and 1002 cover her calls
    devices: [{ type: softphone, name: desk }]
    no_answer: { after: 2, then: [group] }
queues:
  support:
    extension: "600"
    members: { primary: [user:1001], backup: [user:1002] }
    backup_after: 30
    ring_timeout: 10
  slow-primary:
    extension: "601"
    members: { primary: [user:1003], backup: [user:1002] }   # 1003 never answers in time
    backup_after: 2
    ring_timeout: 3                # penalty rules apply between ring attempts
inbound:
  - name: follow the sun
    did: "+48221000001"
    open:
      - { site: never-open, to: user:1003 }
      - { site: always-open, to: user:1002 }
  - name: support line
    did: "+48221000002"
    to: queue:support
  - name: switchable line
    did: "+48221000003"
    open: [{ site: switchable, to: user:1002 }]
    closed: user:1001
supervisors:
  - { user: user:1003, queues: [queue:support], modes: [listen] }
outbound:
  routes:
    national: { patterns: ["_0XXXXXXXXX"], trunks: [bad, good] }
  classes:
    office: [national]
recording:
  directory: ${p.recordings}
  policies:
    - { name: support-calls, queues: [queue:support], directions: [inbound] }
    - { name: anna-outside, users: [user:1001], directions: [outbound] }
`;

const env = perFile(async () => {
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const good = await startSippUas({ scenario: uasAnswer({}), localIp: '127.0.0.2' });
    stops.push(() => good.stop());
    const bad = await startSippUas({ scenario: uasReject(503, 'Service Unavailable'), localIp: '127.0.0.3' });
    stops.push(() => bad.stop());
    const pbx = await startCallplanPbx({
      name: 'target',
      requireModules: ['app_queue.so'],
      project: ({ ports, dir, chrootDir }) => {
        // Recordings go to a folder Asterisk sees inside its chroot and the test reads from outside.
        mkdirSync(path.join(dir, 'recordings'), { recursive: true });
        return PROJECT({ sip: ports.sip, ami: ports.ami, good: good.address, bad: bad.address, recordings: `${chrootDir}/recordings` });
      },
      phones: { '1001': {}, '1002': {}, '1003': { ringMs: 20_000 } },
    });
    stops.push(() => pbx.stop());
    return { ast: pbx.ast, files: pbx.files, good, bad, phones: pbx.phones, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
});

const ast = () => env().ast;

/** A call placed by a phone: authenticates as its device and dials `number`, staying on for holdMs. */
function callFrom(ext: string, number: string, holdMs = 200) {
  const device = `${ext}-desk`;
  return runSipp({ scenario: uacCall({ from: device, auth: true, holdMs }), target: `127.0.0.1:${ast().ports.sip}`, service: number, auth: { username: device, password: devicePassword(env().files, device) } });
}

/** A call from the carrier's address to one of our numbers (no authentication: identified by IP). */
function callFromCarrier(number: string, scenario = uacCall({ from: 'carrier', holdMs: 200 })) {
  return runSipp({ scenario, target: `127.0.0.1:${ast().ports.sip}`, service: number, localIp: '127.0.0.2' });
}

describe('the generated asterisk/ tree on a real Asterisk', () => {
  it('loads exactly the endpoints, DIDs and queue members the model describes', async () => {
    const endpoints = await ast().rx('pjsip show endpoints');
    // Rows read " Endpoint:  1001-desk/1001 ..."; the header row's name is "<Endpoint/CID...>".
    const names = [...endpoints.matchAll(/^\s*Endpoint:\s+([^<\s/]+)/gm)].map((m) => m[1]).sort();
    expect(names).toEqual(['1001-desk', '1002-desk', '1003-desk', 'trunk-bad', 'trunk-good']);
    const dids = await ast().rx('dialplan show from-trunk');
    expect(dids).toContain("'+48221000001'");
    expect(dids).toContain("'48221000002'");
    const queue = await ast().rx('queue show support');
    expect(queue).toMatch(/Local\/1001@cp-queue-members\/n.*with penalty 0|Anna.*\(Local\/1001@cp-queue-members\/n.*\)/);
    expect(queue).toMatch(/Piotr[\s\S]*?penalty 10|with penalty 10/);
    expect(problemsWithOurFiles(ast().log())).toEqual([]);
  });

  it('connects a registered user calling another user', async () => {
    const before = invitesTo(env().phones['1002']!);
    const r = await callFrom('1001', '1002');
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().phones['1002']!)).toBe(before + 1);
  });

  it('challenges an unauthenticated INVITE to an outside number and reaches no trunk', async () => {
    const before = invitesTo(env().good) + invitesTo(env().bad);
    const r = await runSipp({ scenario: uacExpectFailure(401, { from: 'intruder' }), target: `127.0.0.1:${ast().ports.sip}`, service: '0221234567' });
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().good) + invitesTo(env().bad)).toBe(before);
  });

  it('refuses a carrier calling a number that is not one of our DIDs (no way out through a trunk)', async () => {
    const before = invitesTo(env().good) + invitesTo(env().bad);
    const r = await callFromCarrier('0221234567', uacExpectFailure(404, { from: 'carrier' }));
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().good) + invitesTo(env().bad)).toBe(before);
  });

  it('follows the sun: the first site is closed in its own time zone, the open one takes the call', async () => {
    const closed = invitesTo(env().phones['1003']!);
    const open = invitesTo(env().phones['1002']!);
    const r = await callFromCarrier('+48221000001');
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().phones['1002']!)).toBe(open + 1);
    expect(invitesTo(env().phones['1003']!)).toBe(closed);
  });

  it('rings the primary queue member, not the backup, before backup_after', async () => {
    const primary = invitesTo(env().phones['1001']!);
    const backup = invitesTo(env().phones['1002']!);
    const r = await callFromCarrier('48221000002');
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().phones['1001']!)).toBe(primary + 1);
    expect(invitesTo(env().phones['1002']!)).toBe(backup);
  });

  it('records a queue call per policy, named by date, queue, agent and call id, with a JSON sidecar', async () => {
    const dir = path.join(ast().dir, 'recordings');
    const before = new Set(readdirSync(dir));
    const r = await callFromCarrier('+48221000002', uacCall({ from: '48601234567', holdMs: 1500 }));
    expect(r.code, sippReport(r)).toBe(0);
    const deadline = Date.now() + 5_000;
    let added: string[] = [];
    while (Date.now() < deadline) {
      added = readdirSync(dir).filter((f) => !before.has(f)).sort();
      if (added.length === 2) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    expect(added, ast().log().split('\n').filter((l) => /cp-record|MixMonitor|FILE|queue-support|cp-queue-members|Dial\(/.test(l)).slice(-40).join('\n')).toHaveLength(2);
    const [sidecar, audio] = added as [string, string];
    expect(audio).toMatch(/^\d{8}-\d{6}_support_1001_\d+\.\d+\.wav$/);
    expect(sidecar).toBe(audio.replace(/\.wav$/, '.json'));
    const meta = JSON.parse(readFileSync(path.join(dir, sidecar), 'utf8'));
    expect(meta).toMatchObject({ direction: 'inbound', caller: '48601234567', callee: '+48221000002', queue: 'support', agent: '1001', campaign: '' });
    expect(meta.file).toBe(`${ast().chrootDir}/recordings/${audio}`);
    expect(audio).toContain(meta.uniqueid);
  });

  it("records a user's outside call when a policy covers their outbound calls", async () => {
    const dir = path.join(ast().dir, 'recordings');
    const before = new Set(readdirSync(dir));
    const r = await callFrom('1001', '0221234567', 1500);
    expect(r.code, sippReport(r)).toBe(0);
    const deadline = Date.now() + 5_000;
    let added: string[] = [];
    while (Date.now() < deadline && added.length < 2) {
      added = readdirSync(dir).filter((f) => !before.has(f)).sort();
      await new Promise((res) => setTimeout(res, 100));
    }
    const [sidecar, audio] = added as [string, string];
    expect(audio).toMatch(/^\d{8}-\d{6}_direct_1001_\d+\.\d+\.wav$/);
    expect(JSON.parse(readFileSync(path.join(dir, sidecar), 'utf8'))).toMatchObject({ direction: 'outbound', agent: '1001', callee: '0221234567', queue: '' });
  });

  it('does not record calls no policy covers (an internal call)', async () => {
    const dir = path.join(ast().dir, 'recordings');
    const before = readdirSync(dir).length;
    const r = await callFrom('1001', '1002');
    expect(r.code, sippReport(r)).toBe(0);
    expect(readdirSync(dir).length).toBe(before);
  });

  it('lets a supervisor force a site closed and back with feature codes, shown on a BLF hint', async () => {
    const open = invitesTo(env().phones['1002']!);
    const closed = invitesTo(env().phones['1001']!);
    expect((await callFrom('1003', '*28201')).code).toBe(0);
    expect(await ast().rx('core show hints')).toMatch(/override-switchable@\S+\s*: Custom:callplan-override-switchable\s+State:InUse/);
    const duringOverride = await callFromCarrier('+48221000003');
    expect(duringOverride.code, sippReport(duringOverride)).toBe(0);
    expect(invitesTo(env().phones['1001']!)).toBe(closed + 1);
    expect(invitesTo(env().phones['1002']!)).toBe(open);

    expect((await callFrom('1003', '*28001')).code).toBe(0);
    expect(await ast().rx('core show hints')).toMatch(/override-switchable@\S+\s*: Custom:callplan-override-switchable\s+State:(Idle|NotInUse)/);
    const onSchedule = await callFromCarrier('+48221000003');
    expect(onSchedule.code, sippReport(onSchedule)).toBe(0);
    expect(invitesTo(env().phones['1002']!)).toBe(open + 1);
  });

  it('lets a supervisor listen to an agent on a queue call of a queue they watch, and nothing more', async () => {
    const from = ast().log().length;
    const queueCall = callFromCarrier('+48221000002', uacCall({ from: '48601234567', holdMs: 4000 }));
    await ast().waitForLog(/Executing \[s@cp-answered:1\]/, { from, timeoutMs: 5000 });
    const spy = await callFrom('1003', '*2221001', 1500);
    expect(spy.code, sippReport(spy)).toBe(0);
    await ast().waitForLog(/Spying on channel PJSIP\/1001-desk-/, { from, timeoutMs: 5000 });
    expect((await queueCall).code).toBe(0);
    // Whisper was not granted: the code does not exist on the supervisor's phone.
    const whisper = await runSipp({
      scenario: uacExpectFailure(404, { from: '1003-desk', auth: true }),
      target: `127.0.0.1:${ast().ports.sip}`,
      service: '*2231001',
      auth: { username: '1003-desk', password: devicePassword(env().files, '1003-desk') },
    });
    expect(whisper.code, sippReport(whisper)).toBe(0);
    // And an ordinary user has no supervisor codes at all.
    expect(await ast().rx('dialplan show *2221001@users-office')).toMatch(/There is no existence|0 extensions/);
    expect(await ast().rx('dialplan show *28201@users-office')).toMatch(/There is no existence|0 extensions/);
  });

  it('pulls the backup member in after backup_after seconds (queuerules.conf)', async () => {
    const backup = invitesTo(env().phones['1002']!);
    const started = Date.now();
    const r = await callFrom('1001', '601', 300);
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().phones['1002']!)).toBe(backup + 1);
    // Not before backup_after: the primary alone was rung first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(invitesTo(env().phones['1003']!)).toBeGreaterThan(0);
  });

  it('fails over from a trunk answering 503 to the next trunk', async () => {
    const bad = invitesTo(env().bad);
    const good = invitesTo(env().good);
    const r = await callFrom('1001', '0221234567');
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().bad)).toBe(bad + 1);
    expect(invitesTo(env().good)).toBe(good + 1);
  });

  it('forwards an unanswered call after no_answer.after seconds to her group, leaving her own phone out', async () => {
    const forwarded = invitesTo(env().phones['1002']!);
    const own = invitesTo(env().phones['1003']!);
    const from = ast().log().length;
    const r = await callFrom('1001', '1003');
    expect(r.code, sippReport(r)).toBe(0);
    expect(invitesTo(env().phones['1002']!)).toBe(forwarded + 1);
    // Rung once directly, not again by the group step.
    expect(invitesTo(env().phones['1003']!)).toBe(own + 1);
    await ast().waitForLog(/Executing \[s@cp-ring-group:8\] Gosub\("PJSIP\/1001-desk-[0-9a-f]+", "cp-ring,s,1\(PJSIP\/1001-desk&PJSIP\/1002-desk,2,/, { from });
  });
});

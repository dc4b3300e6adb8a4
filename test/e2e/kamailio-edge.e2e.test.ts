import { describe, expect, it } from 'vitest';
import type { Model } from '../../src/model/types.js';
import { buildFiles } from '../../src/project/build.js';
import { devicePassword } from '../../src/secrets/device-password.js';
import { secretValues } from '../../src/secrets/refs.js';
import { secretResolver } from '../../src/secrets/resolve.js';
import { check } from '../helpers/project.js';
import { startAsterisk, type Asterisk } from './harness/asterisk.js';
import { E2E_ENV } from './harness/callplan-build.js';
import { dispatcherStates, invite, options, sipFlood, sipRequest, startKamailio, type Kamailio } from './harness/kamailio.js';
import { perFile } from './harness/lifecycle.js';
import { releasePorts, reservePorts } from './harness/ports.js';
import { register, uacCall, uacExpectFailure, uasAnswer, XML_HEAD } from './harness/scenarios.js';
import { runSipp, sippReport, startSippUas, type SippResult, type SippUas } from './harness/sipp.js';

/**
 * The Kamailio edge callplan builds, in front of two Asterisk nodes built from the same project:
 * real Kamailio (Debian's package) on 127.0.0.10, the nodes on 127.0.0.11 and 127.0.0.12 (the
 * Asterisk chroot), SIPp phones and a carrier on their own loopback addresses. Nodes are probed
 * every second here (CP_PING_INTERVAL) and a silent node fails over after 1.5 s.
 */
const EDGE = '127.0.0.10';
const NODE_IPS = ['127.0.0.11', '127.0.0.12'] as const;
const CARRIER = '127.0.0.20';
/** A carrier we register with (registration trunk, no listed address). */
const REGISTRAR = '127.0.0.21';
const DID = '+48221000100';
const REG_NUMBER = '48221000200';

interface Ports {
  edge: number;
  nodes: { sip: number; ami: number }[];
  carrier: number;
  registrar: number;
}

/** pbx-1 carries almost every carrier call (weight 100 to 1), so where a call went says something. */
const PROJECT = (p: Ports) => `version: 1
name: edge-e2e
nodes:
  edge: { role: kamailio, address: ${EDGE}, sip_port: ${p.edge} }
  pbx-1: { role: asterisk, address: ${NODE_IPS[0]}, sip_port: ${p.nodes[0]!.sip}, ami_port: ${p.nodes[0]!.ami}, weight: 100 }
  pbx-2: { role: asterisk, address: ${NODE_IPS[1]}, sip_port: ${p.nodes[1]!.sip}, ami_port: ${p.nodes[1]!.ami}, weight: 1 }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  always-open:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: ${CARRIER}, port: ${p.carrier}, addresses: [${CARRIER}] }
  registered: { auth: registration, host: ${REGISTRAR}, port: ${p.registrar}, username: "${REG_NUMBER}", password: "\${env:REG_PASSWORD}" }
users:
  - { extension: "1001", name: Anna, site: always-open, outbound: office, devices: [{ type: softphone, name: a }] }
  - { extension: "1002", name: Piotr, site: always-open, devices: [{ type: softphone, name: b }] }
ivr:
  main:
    prompt: beep
    options:
      "1": user:1002
    timeout: 30
    retries: 1
    on_timeout: hangup
inbound:
  - { name: hotline, did: "${DID}", to: ivr:main }
  - { name: second line, did: "+${REG_NUMBER}", to: ivr:main }
outbound:
  routes:
    national: { patterns: ["_0XXXXXXXXX"], trunks: [carrier] }
  classes:
    office: [national]
`;

const ENV = { ...E2E_ENV, REG_PASSWORD: 'Rg7!vK2mQ9xL4tW8pZ3n' };

function build(ports: Ports): { model: Model; files: Map<string, string> } {
  const result = check({ 'callplan.yaml': PROJECT(ports) }, ENV);
  if (!result.model) throw new Error(`test project is invalid:\n${result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message} [${d.rule}]`).join('\n')}`);
  return { model: result.model, files: buildFiles(result.model, secretValues(ENV)) };
}

/** A registrar that accepts every REGISTER, answering with the Contact it was sent. */
const REGISTRAR_SCENARIO = `${XML_HEAD}<scenario name="registrar">
  <recv request="REGISTER"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Contact:];expires=3600
      Expires: 3600
      Content-Length: 0
    ]]>
  </send>
</scenario>
`;

/** The files under `dir/` of a build, by their name inside it. */
function tree(files: Map<string, string>, dir: string): Record<string, string> {
  return Object.fromEntries([...files].filter(([f]) => f.startsWith(`${dir}/`)).map(([f, c]) => [f.slice(dir.length + 1), c]));
}

const env = perFile(async () => {
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };
  try {
    const edgePort = await reservePorts(1);
    stops.push(async () => releasePorts(edgePort, 1));
    const carrier = await startSippUas({ scenario: uasAnswer({}), localIp: CARRIER });
    stops.push(() => carrier.stop());
    const registrar = await startSippUas({ scenario: REGISTRAR_SCENARIO, localIp: REGISTRAR });
    stops.push(() => registrar.stop());
    const ports: Ports = { edge: edgePort, nodes: [{ sip: 5060, ami: 5038 }, { sip: 5060, ami: 5038 }], carrier: carrier.port, registrar: registrar.port };
    const nodes: Asterisk[] = [];
    for (const [i, name] of ['pbx-1', 'pbx-2'].entries()) {
      const ast = await startAsterisk({
        name: `edge-${name}`,
        requireModules: ['res_pjsip_acl.so'],
        configs: (ctx) => {
          ports.nodes[i] = { sip: ctx.ports.sip, ami: ctx.ports.ami };
          return tree(build(ports).files, `nodes/${name}/asterisk`);
        },
      });
      stops.push(() => ast.stop());
      nodes.push(ast);
    }
    const { model, files } = build(ports);
    const kamailio = await startKamailio({
      name: 'edge',
      files: tree(files, 'nodes/edge/kamailio'),
      defines: { CP_PING_INTERVAL: 1, CP_PING_FAILURES: 1, CP_PING_SUCCESSES: 1, CP_NODE_TIMEOUT_MS: 1500, CP_BAN_SECONDS: 3, CP_AUTH_FAILURES: 3 },
    });
    stops.push(() => kamailio.stop());
    const { resolver } = secretResolver(model, secretValues(ENV));
    const password = (device: string) => devicePassword(model.users.flatMap((u) => u.devices).find((d) => d.id === device)!, resolver);
    return { model, files, kamailio, nodes, carrier, registrar, ports, password, stop: stopAll };
  } catch (e) {
    await stopAll();
    throw e;
  }
}, 120_000);

const edge = (): Kamailio => env().kamailio;
const nodeUri = (i: number) => `sip:${NODE_IPS[i]}:${env().ports.nodes[i]!.sip}`;

/** Which node sent a final response or request: by the address in its Contact. */
function nodeOf(text: string): number | undefined {
  const contact = /^Contact:.*@?(127\.0\.0\.1[12]):/im.exec(text);
  return contact ? NODE_IPS.indexOf(contact[1] as (typeof NODE_IPS)[number]) : undefined;
}

function answeredBy(r: SippResult): number | undefined {
  const ok = r.messages.find((m) => m.direction === 'received' && m.status === 200 && /INVITE/.test(/^CSeq:.*$/im.exec(m.text)?.[0] ?? ''));
  return ok ? nodeOf(ok.text) : undefined;
}

/** The carrier calls the hotline (from its listed address), stays `holdMs` in the menu and hangs up. */
function carrierCall(holdMs = 300) {
  return runSipp({ scenario: uacCall({ from: 'carrier', holdMs }), target: edge().address, service: DID, localIp: CARRIER, timeoutMs: 30_000 });
}

/** A registered phone: SIPp on its own address, registered through the edge, answering calls. */
async function startPhone(device: string, ip: string): Promise<SippUas> {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const dir = mkdtempSync('/tmp/callplan-edge-phone-');
  writeFileSync(`${dir}/answer.xml`, uasAnswer({}));
  return startSippUas({
    scenario: register({ user: '[service]', auth: '[authentication]', expiresSeconds: 600 }),
    target: edge().address,
    service: device,
    auth: { username: device, password: env().password(device) },
    calls: 1,
    localIp: ip,
    args: ['-oocsf', `${dir}/answer.xml`],
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function states(): Promise<Record<string, string>> {
  return dispatcherStates(await edge().rpc('dispatcher.list'));
}

describe('the Kamailio edge in front of two Asterisk nodes', () => {
  it('probes both nodes in with OPTIONS', async () => {
    const s = await waitFor('both nodes active', async () => {
      const now = await states();
      return now[nodeUri(0)] === 'AP' && now[nodeUri(1)] === 'AP' ? now : undefined;
    });
    expect(Object.keys(s)).toHaveLength(2);
  });

  it('registers phones through the edge on every node, with the edge’s Path, and rings them through it', async () => {
    const b = await startPhone('1002-b', '127.0.0.42');
    try {
      for (const ast of env().nodes) {
        // Registered, and qualified through the edge: the node reaches the phone only along its Path.
        const contact = await waitFor('1002-b registered and reachable', async () => {
          const m = /Contact:\s+(1002-b\/sip:1002-b@127\.0\.0\.42:\d+)\s+\S+\s+Avail\b/.exec(await ast.rx('pjsip show aor 1002-b'));
          return m?.[1];
        });
        expect(await ast.rx(`pjsip show contact ${contact}`)).toMatch(new RegExp(`path\\s*:\\s*<sip:${EDGE.replace(/\./g, '\\.')}:${env().ports.edge};lr;received=`));
      }
      const caller = await runSipp({
        scenario: uacCall({ from: '1001-a', auth: true, holdMs: 300 }),
        target: edge().address,
        service: '1002',
        auth: { username: '1001-a', password: env().password('1001-a') },
        localIp: '127.0.0.41',
      });
      expect(caller.code, sippReport(caller)).toBe(0);
      const home = answeredBy(caller);
      const ring = b.received().find((m) => m.method === 'INVITE');
      expect(ring, 'the phone was rung').toBeDefined();
      const vias = [...ring!.text.matchAll(/^Via: SIP\/2\.0\/UDP ([0-9.]+):(\d+)/gim)].map((m) => m[1]);
      // Through the edge, from the caller's home node.
      expect(vias[0]).toBe(EDGE);
      expect(vias[1]).toBe(NODE_IPS[home ?? -1] ?? vias[1]);
      expect(NODE_IPS).toContain(vias[1]);
      expect(ring!.text).toMatch(new RegExp(`^Record-Route: <sip:${EDGE.replace(/\./g, '\\.')}:${env().ports.edge};lr`, 'im'));
    } finally {
      await b.stop();
    }
  });

  it('sends a carrier’s call to the IVR on a node, identified by the trunk the edge names', async () => {
    const from = env().nodes.map((n) => n.log().length);
    const r = await carrierCall();
    expect(r.code, sippReport(r)).toBe(0);
    const node = answeredBy(r)!;
    expect(node).toBeGreaterThanOrEqual(0);
    const log = env().nodes[node]!.log().slice(from[node]);
    expect(log).toMatch(/PJSIP\/trunk-carrier-/);
    expect(log).toMatch(/ivr-main/);
  });

  it('drains a node: running calls continue to the end, new calls go to the other node', async () => {
    // pbx-1 takes nearly all carrier calls: start one that lasts, then drain pbx-1.
    const long = carrierCall(6_000);
    await waitFor('the long call on pbx-1', async () => ((await env().nodes[0]!.rx('core show channels')).match(/trunk-carrier/) ? true : undefined));
    await edge().rpc('dispatcher.set_state', 'd', '1', nodeUri(0));
    try {
      expect((await states())[nodeUri(0)]).toMatch(/^D/);
      for (let i = 0; i < 3; i++) {
        const r = await carrierCall();
        expect(r.code, sippReport(r)).toBe(0);
        expect(answeredBy(r)).toBe(1);
      }
      const first = await long;
      expect(first.code, sippReport(first)).toBe(0);
      expect(answeredBy(first)).toBe(0);
    } finally {
      await edge().rpc('dispatcher.set_state', 'ap', '1', nodeUri(0));
    }
  });

  it('moves calls to the next node when one stops answering, and probes it back in when it answers again', async () => {
    // No probes while pbx-1 is frozen: only the calls themselves can find out.
    await edge().rpc('dispatcher.ping_active', '0');
    const frozen = env().nodes[0]!;
    process.kill(frozen.pid, 'SIGSTOP');
    try {
      const from = edge().log().length;
      for (let i = 0; i < 3; i++) {
        const r = await carrierCall();
        expect(r.code, sippReport(r)).toBe(0);
        expect(answeredBy(r)).toBe(1);
      }
      await edge().waitForLog(/did not answer INVITE: out of service/, { from });
      expect((await states())[nodeUri(0)]).toMatch(/^I/);
    } finally {
      process.kill(frozen.pid, 'SIGCONT');
      await edge().rpc('dispatcher.ping_active', '1');
    }
    await waitFor('pbx-1 probed back in', async () => ((await states())[nodeUri(0)] === 'AP' ? true : undefined));
    const answered = [];
    for (let i = 0; i < 3; i++) {
      const r = await carrierCall();
      expect(r.code, sippReport(r)).toBe(0);
      answered.push(answeredBy(r));
    }
    expect(answered).toContain(0);
  });

  it('registers the nodes with a carrier through the edge, and takes that carrier’s calls to the number registered', async () => {
    // Both nodes register through the edge (their outbound proxy); the carrier sees the edge only.
    const registers = await waitFor('both nodes’ REGISTERs', async () => {
      const got = env().registrar.received().filter((m) => m.method === 'REGISTER');
      return got.length >= 2 ? got : undefined;
    });
    const edgeContact = new RegExp(`^Contact: <sip:${REG_NUMBER}@${EDGE.replace(/\./g, '\\.')}:${env().ports.edge};line=(\\w+)>`, 'im');
    for (const r of registers) {
      expect(r.text, r.text).toMatch(edgeContact);
      expect(r.text).toMatch(new RegExp(`^Via: SIP/2\\.0/UDP ${EDGE.replace(/\./g, '\\.')}:`, 'im'));
    }
    for (const ast of env().nodes) {
      await waitFor('the registration to be Registered', async () => ((await ast.rx('pjsip show registrations')).match(/trunk-registered-reg\/\S+\s+\S+\s+Registered\b/) ? true : undefined));
    }
    // The carrier calls the Contact it was given: from an address the edge does not list.
    const line = edgeContact.exec(registers[0]!.text)![1]!;
    const r = await runSipp({
      scenario: uacCall({ from: 'carrier', holdMs: 300 }).replace(/sip:\[service\]@\[remote_ip\]:\[remote_port\] SIP/g, `sip:[service]@[remote_ip]:[remote_port];line=${line} SIP`),
      target: edge().address,
      service: REG_NUMBER,
      localIp: REGISTRAR,
      timeoutMs: 30_000,
    });
    expect(r.code, sippReport(r)).toBe(0);
    const node = answeredBy(r)!;
    expect(env().nodes[node]!.log()).toMatch(/PJSIP\/trunk-registered-/);
  });

  it('refuses a call to an outside number from an address that is neither a carrier nor an authenticated phone', async () => {
    const before = env().carrier.received().length;
    const r = await runSipp({ scenario: uacExpectFailure(407, { from: 'stranger' }), target: edge().address, service: '0221234567', localIp: '127.0.0.30' });
    expect(r.code, sippReport(r)).toBe(0);
    // A forged in-dialog INVITE (To tag, Route to the edge) aimed at the carrier is not relayed either.
    const forged = await sipRequest({ from: '127.0.0.30', to: edge().address, request: invite({ to: edge().address, number: '0221234567', host: env().carrier.address, inDialogVia: edge().address }) });
    expect(forged?.status).toBe(403);
    // Nor can anyone reach a node without the edge.
    const direct = await sipRequest({ from: '127.0.0.30', to: `${NODE_IPS[0]}:${env().ports.nodes[0]!.sip}`, request: invite({ to: `${NODE_IPS[0]}:${env().ports.nodes[0]!.sip}`, number: '0221234567', fromUser: '1001-a' }), timeoutMs: 1_500 });
    expect(direct === undefined || direct.status >= 400).toBe(true);
    expect(env().carrier.received().length).toBe(before);
  });

  it('bans a flooding address, and lets it in again when the ban expires', async () => {
    const to = edge().address;
    const flooder = '127.0.0.31';
    const answered = await sipFlood({ from: flooder, to, count: 300, request: options({ to }) });
    expect(answered).toBeLessThan(300);
    expect(await sipRequest({ from: flooder, to, request: options({ to }) })).toBeUndefined();
    // Others are not affected.
    expect((await sipRequest({ from: '127.0.0.35', to, request: options({ to }) }))?.status).toBe(200);
    await waitFor('the ban to expire', async () => ((await sipRequest({ from: flooder, to, request: options({ to }) }))?.status === 200 ? true : undefined), 30_000);
  });

  it('drops a scanner’s user agent', async () => {
    const to = edge().address;
    expect(await sipRequest({ from: '127.0.0.32', to, request: options({ to, userAgent: 'friendly-scanner' }) })).toBeUndefined();
  });

  it('bans an address after repeated failed authentications', async () => {
    const to = edge().address;
    const attempt = () =>
      runSipp({ scenario: register({ user: '[service]', auth: '[authentication]', expiresSeconds: 0 }), target: to, service: '1001-a', auth: { username: '1001-a', password: 'wrong-password' }, localIp: '127.0.0.33', timeoutMs: 8_000, recvTimeoutMs: 2_000 });
    for (let i = 0; i < 3; i++) await attempt();
    expect(await sipRequest({ from: '127.0.0.33', to, request: options({ to }) })).toBeUndefined();
  });
});

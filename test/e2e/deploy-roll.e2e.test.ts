import { appendFileSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildFiles } from '../../src/project/build.js';
import { secretValues } from '../../src/secrets/refs.js';
import { check } from '../helpers/project.js';
import { E2E_ENV } from './harness/callplan-build.js';
import { callplanAsync, report, startDeployNode, type DeployNode } from './harness/deploy-node.js';
import { dispatcherStates, startKamailio, type Kamailio } from './harness/kamailio.js';
import { perFile } from './harness/lifecycle.js';
import { releasePorts, reservePorts } from './harness/ports.js';
import { uacCall } from './harness/scenarios.js';
import { runSipp, sippReport, startSippCalls, type SippResult } from './harness/sipp.js';
import { startSshd, type Sshd } from './harness/sshd.js';

/**
 * The rolling deploy behind the edge: two Asterisk nodes, each behind its own real sshd, behind
 * the real Kamailio edge (reached over a third sshd for kamcmd), while a carrier calls through the
 * edge at a steady rate (2 s calls). A change rolls over both nodes without a failed call; a
 * release the first node rejects is rolled back there and stops the roll before the second node.
 */
const EDGE = '127.0.0.10';
const CARRIER = '127.0.0.20';
const DID = '+48221000600';

interface Env {
  nodes: [DeployNode, DeployNode];
  edgeSshd: Sshd;
  kamailio: Kamailio;
  edgePort: number;
  stop(): Promise<void>;
}

/** v1: the hotline goes to the main menu; v2: to a second one; v3: v2 with another menu timeout. */
const yaml = (e: Omit<Env, 'stop'> | { nodes: [DeployNode, DeployNode]; edgeSshd: Sshd; edgePort: number; kamailio?: Kamailio }, v: 1 | 2 | 3) => `version: 1
name: e2e-deploy-roll
nodes:
  edge:
    role: kamailio
    address: ${EDGE}
    sip_port: ${e.edgePort}
    ssh: { host: 127.0.0.1, port: ${e.edgeSshd.port}, user: root, host_key: "${e.edgeSshd.fingerprint}" }
    deploy: { kamcmd: "kamcmd -s unix:${e.kamailio ? `${e.kamailio.dir}/run/ctl.sock` : '/nowhere'}" }
${nodeYaml(e.nodes[0], 'pbx-1')}${nodeYaml(e.nodes[1], 'pbx-2')}secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  always-open:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: ${CARRIER}, addresses: [${CARRIER}] }
users:
  - { extension: "1001", name: Anna, site: always-open, devices: [{ type: softphone, name: a }] }
ivr:
  main: { prompt: beep, options: { "1": user:1001 }, timeout: 30, retries: 1, on_timeout: hangup }
  second: { prompt: beep, options: { "1": user:1001 }, timeout: ${v === 3 ? 25 : 30}, retries: 1, on_timeout: hangup }
inbound:
  - { name: hotline, did: "${DID}", to: ivr:${v === 1 ? 'main' : 'second'} }
  - { name: other line, did: "+48221000601", to: ivr:${v === 1 ? 'second' : 'main'} }
`;

/**
 * A node's entry. Right after a node starts behind the edge, Asterisk may log that the edge
 * challenged a request it sent with no endpoint (its first qualify through the edge, at times):
 * the host's business here, not the release's.
 */
const nodeYaml = (n: DeployNode, name: string) => n.nodeYaml({ name }).replace('ignore_errors: [', 'ignore_errors: ["There were no auth ids available", ');

/** The files under `dir/` of a build, by their name inside it. */
const tree = (files: Map<string, string>, dir: string): Record<string, string> => Object.fromEntries([...files].filter(([f]) => f.startsWith(`${dir}/`)).map(([f, c]) => [f.slice(dir.length + 1), c]));

/** One key for every host: the first sshd's client key is authorized on the others too (deploy takes one --identity). */
const authorize = (identity: string, sshd: Sshd) => appendFileSync(`${dirname(sshd.identity)}/authorized_keys`, readFileSync(`${identity}.pub`));

const env = perFile(async (): Promise<Env> => {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const edgePort = await reservePorts(1);
    stops.push(async () => releasePorts(edgePort, 1));
    const n1 = await startDeployNode('roll-1', { requireModules: ['res_pjsip_acl.so'], rtpPorts: 200 });
    stops.push(() => n1.stop());
    const n2 = await startDeployNode('roll-2', { requireModules: ['res_pjsip_acl.so'], rtpPorts: 200 });
    stops.push(() => n2.stop());
    const edgeSshd = await startSshd({ name: 'roll-edge' });
    stops.push(() => edgeSshd.stop());
    authorize(n1.sshd.identity, n2.sshd);
    authorize(n1.sshd.identity, edgeSshd);
    const partial = { nodes: [n1, n2] as [DeployNode, DeployNode], edgeSshd, edgePort };
    const built = check({ 'callplan.yaml': yaml(partial, 1) }, E2E_ENV);
    if (!built.model) throw new Error(`test project is invalid:\n${built.diagnostics.map((d) => `${d.line}:${d.column} ${d.message} [${d.rule}]`).join('\n')}`);
    const kamailio = await startKamailio({
      name: 'roll-edge',
      files: tree(buildFiles(built.model, secretValues(E2E_ENV)), 'nodes/edge/kamailio'),
      defines: { CP_PING_INTERVAL: 1, CP_PING_FAILURES: 1, CP_PING_SUCCESSES: 1, CP_NODE_TIMEOUT_MS: 1500, CP_RELOAD_DELTA: 0 },
    });
    stops.push(() => kamailio.stop());
    const e = { ...partial, kamailio };
    // The first release on both nodes, rolled behind the edge like any other. It needs a restart:
    // behind an edge, res_pjsip identifies calls by the edge's trunk header first, an order it
    // takes only when it starts.
    const first = await callplanAsync(['deploy', n1.project(yaml(e, 1)), '--node', 'pbx-1', '--node', 'pbx-2', '--allow-restart', '--identity', n1.sshd.identity], { timeoutMs: 120_000 });
    if (first.code !== 0) throw new Error(`first deploy failed: ${report(first)}`);
    await waitFor('both nodes in rotation', async () => Object.values(await states(kamailio)).filter((f) => f === 'AP').length === 2);
    return { ...e, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}, 150_000);

async function states(k: Kamailio): Promise<Record<string, string>> {
  return dispatcherStates(await k.rpc('dispatcher.list'));
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const current = (n: DeployNode) => readlinkSync(`${n.root}/current`).replace('releases/', '');
const history = (n: DeployNode) => readFileSync(`${n.root}/history.jsonl`, 'utf8').trim().split('\n');
const args = () => ['--identity', env().nodes[0].sshd.identity];
/** Both Asterisk nodes, in order. Not --all: that deploys the edge's own release too, last (deploy-edge.e2e.test.ts); this Kamailio reads its files from its own folder. */
const NODES = ['--node', 'pbx-1', '--node', 'pbx-2'];

/** The carrier calls the hotline through the edge at 3 calls a second, each up 2 s, until told to finish. */
async function steadyCalls(): Promise<{ finish(): Promise<SippResult> }> {
  const calls = await startSippCalls({ scenario: uacCall({ from: 'carrier', holdMs: 2_000 }), target: `${EDGE}:${env().edgePort}`, service: DID, localIp: CARRIER, rate: 3, recvTimeoutMs: 15_000 });
  // Calls are up on both nodes before the roll starts.
  try {
    await waitFor('calls up on both nodes', async () => (await Promise.all(env().nodes.map(async (n) => /[1-9]\d* active call/.test(await n.ast.rx('core show channels count'))))).every(Boolean));
  } catch (e) {
    const r = await calls.finish();
    throw new Error(`${(e as Error).message}: ${(await Promise.all(env().nodes.map((n) => n.ast.rx('core show channels count')))).join(' / ')}\n${sippReport(r).slice(0, 3_000)}\n--- edge\n${env().kamailio.log().slice(-3_000)}\n--- nodes\n${env().nodes.map((n) => n.ast.log().slice(-3_000)).join('\n---\n')}`);
  }
  return calls;
}

/** SIPp's final counts: every call it placed succeeded. */
function expectNoFailedCall(r: SippResult): void {
  expect(r.code, sippReport(r)).toBe(0);
  const screen = readFileSync(r.screenLog, 'utf8');
  const last = screen.slice(screen.lastIndexOf('Successful call'));
  expect(Number(/Successful call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(last)?.[1]), screen.slice(-2_000)).toBeGreaterThan(10);
  expect(Number(/Failed call\s*\|\s*\d+\s*\|\s*(\d+)/.exec(last)?.[1]), screen.slice(-2_000)).toBe(0);
}

describe('rolling deploy behind the Kamailio edge (real Kamailio, two Asterisk nodes over sshd, SIPp)', () => {
  it('deploys one node at a time, drained first, while calls flow: no call fails, both nodes end on the new release, new calls follow the new plan', async () => {
    const e = env();
    const before = e.nodes.map(current);
    // --dry-run says what the roll will do at the edge, and does nothing.
    const dry = await callplanAsync(['deploy', e.nodes[0].project(yaml(e, 2)), ...NODES, ...args(), '--dry-run', '--drain-timeout', '20']);
    expect(dry.code, report(dry)).toBe(0);
    expect(dry.stdout.match(/behind edge: would be taken out of rotation while it is deployed \(until its calls end, at most 20 s\), then put back/g)).toHaveLength(2);
    expect(e.nodes.map(current)).toEqual(before);
    const calls = await steadyCalls();
    const r = await callplanAsync(['deploy', e.nodes[0].project(yaml(e, 2)), ...NODES, ...args(), '--drain-timeout', '20'], { timeoutMs: 120_000 });
    const done = await calls.finish();
    expect(r.code, report(r)).toBe(0);
    // In order: pbx-1 out, switched, back; only then pbx-2.
    const steps = r.stdout.split('\n').filter((l) => /taking it out of rotation|switching current|putting it back in rotation/.test(l)).map((l) => l.replace(/: (\w+ \w+).*/, ': $1'));
    expect(steps).toEqual(['pbx-1: taking it', 'pbx-1: switching current', 'pbx-1: putting it', 'pbx-2: taking it', 'pbx-2: switching current', 'pbx-2: putting it']);
    // pbx-1 had calls up: the deploy waited for them to end (they were 2 s calls; the timeout was 20 s).
    expect(r.stdout).toMatch(/^pbx-1: waiting for its calls to end: \d+ calls? up/m);
    expect(r.stdout).not.toMatch(/still up when the drain timeout passed/);
    expect(r.stdout).toMatch(/pbx-1: deployed release [0-9a-f]{16} \(was [0-9a-f]{16}\): .*module reload pbx_config\.so/);
    expect(r.stdout).toMatch(/pbx-2: deployed release [0-9a-f]{16} \(was [0-9a-f]{16}\): .*module reload pbx_config\.so/);
    expect(r.stdout.match(/drained at edge for the deploy, back in rotation/g)).toHaveLength(2);
    expectNoFailedCall(done);

    const after = e.nodes.map(current);
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(Object.values(await states(e.kamailio))).toEqual(['AP', 'AP']);
    // A new call follows the new plan: the second menu, on whichever node took it.
    const logs = e.nodes.map((n) => n.ast.log().length);
    const next = await runSipp({ scenario: uacCall({ from: 'carrier', holdMs: 500 }), target: `${EDGE}:${e.edgePort}`, service: DID, localIp: CARRIER, timeoutMs: 20_000 });
    expect(next.code, sippReport(next)).toBe(0);
    expect(e.nodes.map((n, i) => n.ast.log().slice(logs[i])).join('\n')).toMatch(/ivr-second/);
  }, 120_000);

  it('a release the first node rejects is rolled back there, which goes back in rotation, and the roll stops before the second node: no call fails', async () => {
    const e = env();
    const dir = e.nodes[0].project(yaml(e, 3));
    const build = `${dir}/build-bad`;
    const b = await callplanAsync(['build', dir, '--out', build]);
    expect(b.code, report(b)).toBe(0);
    // pbx-1's pjsip.conf gets an option Asterisk does not know: the reload refuses that endpoint, the check fails.
    const pjsip = `${build}/nodes/pbx-1/asterisk/pjsip.conf`;
    writeFileSync(pjsip, `${readFileSync(pjsip, 'utf8')}\n[3099-desk]\ntype = endpoint\ncontext = from-users\nno_such_option = yes\n`);
    const before = e.nodes.map(current);
    const history2 = history(e.nodes[1]);

    const calls = await steadyCalls();
    const r = await callplanAsync(['deploy', dir, '--build', build, ...NODES, ...args(), '--drain-timeout', '20'], { timeoutMs: 120_000 });
    const done = await calls.finish();
    expect(r.code, report(r)).toBe(3);
    expect(r.stdout).toMatch(/pbx-1: release [0-9a-f]{16} failed its checks; rolled back to [0-9a-f]{16}, which runs again:/);
    expect(r.stdout).toContain('drained at edge for the deploy, back in rotation on its previous release');
    expect(r.stdout).toContain('roll stopped: deployed: none; failed: pbx-1; not touched: pbx-2');
    expect(r.stdout).not.toMatch(/^pbx-2: /m);
    expectNoFailedCall(done);

    expect(e.nodes.map(current)).toEqual(before);
    expect(history(e.nodes[1])).toEqual(history2);
    expect(Object.values(await states(e.kamailio))).toEqual(['AP', 'AP']);
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { buildAsterisk, devicePassword } from './harness/callplan-build.js';
import { invitesTo } from './harness/callplan-pbx.js';
import { callplanAsync, report, startDeployNode, type DeployNode } from './harness/deploy-node.js';
import { uacScript } from './harness/dtmf.js';
import { perFile } from './harness/lifecycle.js';
import { startPhone, type Phone } from './harness/phone.js';
import { runSipp, sippReport } from './harness/sipp.js';

/**
 * A deploy while 50 calls are up: users, a queue and the dialplan change under them. Every call
 * completes (SIPp: 0 failed), and a call placed after the deploy follows the new plan.
 */
const yaml = (node: DeployNode, v: 1 | 2) => `version: 1
name: e2e-deploy-calls
nodes:
${node.nodeYaml()}secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  office:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: 127.0.0.2, addresses: [127.0.0.2] }
users:
  - { extension: "3001", name: Olga, site: office, devices: [{ type: softphone, name: desk }] }
  - { extension: "3002", name: Borys, site: office, devices: [{ type: softphone, name: desk }] }
${v === 2 ? '  - { extension: "3003", name: Celina, site: office, devices: [{ type: softphone, name: desk }] }\n' : ''}queues:
  support: { members: { primary: [user:3001${v === 2 ? ', user:3003' : ''}] }, ring_timeout: ${v === 2 ? 25 : 15} }
inbound:
  - { did: "+48221000500", to: user:3001 }
  - { did: "+48221000501", to: ${v === 2 ? 'user:3002' : 'queue:support'} }
`;

interface Env {
  node: DeployNode;
  phones: Record<string, Phone>;
  stop(): Promise<void>;
}

const env = perFile(async (): Promise<Env> => {
  const node = await startDeployNode('deploy-calls', { requireModules: ['app_queue.so'], rtpPorts: 512 });
  const phones: Record<string, Phone> = {};
  const stop = async () => {
    for (const p of Object.values(phones)) await p.stop();
    await node.stop();
  };
  try {
    const first = await callplanAsync(['deploy', node.project(yaml(node, 1)), '--identity', node.sshd.identity]);
    if (first.code !== 0) throw new Error(`first deploy failed: ${report(first)}`);
    const { files } = buildAsterisk(yaml(node, 1));
    for (const ext of ['3001', '3002']) phones[ext] = await startPhone({ device: `${ext}-desk`, password: devicePassword(files, `${ext}-desk`), registrar: `127.0.0.1:${node.ast.ports.sip}` });
    return { node, phones, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}, 120_000);

const carrier = (did: string, o: { calls?: number; pauseMs: number }) =>
  runSipp({
    scenario: uacScript({ from: 'carrier', steps: [{ pauseMs: o.pauseMs }], end: 'bye' }),
    target: `127.0.0.1:${env().node.ast.ports.sip}`,
    service: did,
    localIp: '127.0.0.2',
    calls: o.calls ?? 1,
    limit: o.calls ?? 1,
    rate: 25,
    recvTimeoutMs: 60_000,
    timeoutMs: 120_000,
  });

describe('deploy under 50 calls (real sshd, Asterisk, SIPp)', () => {
  it('every call up during the deploy completes, and new calls follow the new plan', async () => {
    const { node, phones } = env();
    const calls = carrier('+48221000500', { calls: 50, pauseMs: 25_000 });
    const active = async () => Number(/(\d+) active calls?/.exec(await node.ast.rx('core show channels count'))?.[1] ?? 0);
    const deadline = Date.now() + 20_000;
    while ((await active()) < 50) {
      if (Date.now() > deadline) throw new Error(`only ${await active()} of 50 calls up:\n${await node.ast.rx('core show channels count')}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    const r = await callplanAsync(['deploy', node.project(yaml(node, 2)), '--identity', node.sshd.identity], { timeoutMs: 60_000 });
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(/deployed release .*module reload res_pjsip\.so.*queue reload .*module reload pbx_config\.so/);
    // Still 50 calls up after the deploy: none was dropped by it.
    expect(await active()).toBeGreaterThanOrEqual(50);

    // A new call to the second number follows the new plan: user 3002 instead of the queue.
    const b = invitesTo(phones['3002']!);
    const next = await carrier('+48221000501', { pauseMs: 300 });
    expect(next.code, sippReport(next)).toBe(0);
    expect(invitesTo(phones['3002']!)).toBe(b + 1);
    expect(await node.ast.rx('pjsip show endpoints')).toContain('3003-desk');

    const done = await calls;
    expect(done.code, sippReport(done)).toBe(0);
    expect(done.stdout + done.stderr).not.toMatch(/Failed call[^\n]*\|\s*[1-9]/);
  });
});

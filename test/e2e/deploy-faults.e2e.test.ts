import { spawn } from 'node:child_process';
import { readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAsterisk, devicePassword } from './harness/callplan-build.js';
import { invitesTo } from './harness/callplan-pbx.js';
import { callplanAsync, report, startDeployNode, type DeployNode } from './harness/deploy-node.js';
import { uacScript } from './harness/dtmf.js';
import { perFile } from './harness/lifecycle.js';
import { startPhone, type Phone } from './harness/phone.js';
import { runSipp, sippReport } from './harness/sipp.js';

/**
 * Deploys that must not go through: a release Asterisk rejects at reload (rolled back by itself,
 * the call that was up goes on), and a node locked by another deploy.
 */
interface Env {
  node: DeployNode;
  phone: Phone;
  dir: string;
  stop(): Promise<void>;
}

const yaml = (node: DeployNode, o: { ringTimeout?: number } = {}) => `version: 1
name: e2e-deploy-faults
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
queues:
  support: { members: { primary: [user:3001] }, ring_timeout: ${o.ringTimeout ?? 15} }
inbound:
  - { did: "+48221000400", to: user:3001 }
`;

const env = perFile(async (): Promise<Env> => {
  const node = await startDeployNode('deploy-faults', { requireModules: ['app_queue.so'] });
  try {
    const dir = node.project(yaml(node));
    const first = await callplanAsync(['deploy', dir, '--identity', node.sshd.identity]);
    if (first.code !== 0) throw new Error(`first deploy failed: ${report(first)}`);
    const { files } = buildAsterisk(yaml(node));
    const phone = await startPhone({ device: '3001-desk', password: devicePassword(files, '3001-desk'), registrar: `127.0.0.1:${node.ast.ports.sip}` });
    return { node, phone, dir, stop: async () => (await phone.stop(), await node.stop()) };
  } catch (e) {
    await node.stop();
    throw e;
  }
});
const args = () => ['--identity', env().node.sshd.identity];

describe('deploy faults on a real Asterisk', () => {
  it('a release Asterisk rejects at reload is rolled back by itself: exit 3, the log says why, the running call goes on', async () => {
    const { node, phone, dir } = env();
    const before = readlinkSync(`${node.root}/current`);
    // A build whose pjsip.conf has an option Asterisk does not know: the reload refuses that endpoint.
    const build = `${dir}/build-bad`;
    const b = await callplanAsync(['build', dir, '--out', build]);
    expect(b.code, report(b)).toBe(0);
    writeFileSync(`${build}/asterisk/pjsip.conf`, `${readFileSync(`${build}/asterisk/pjsip.conf`, 'utf8')}\n[3099-desk]\ntype = endpoint\ncontext = from-users\nno_such_option = yes\n`);

    const invites = invitesTo(phone);
    const call = runSipp({
      scenario: uacScript({ from: 'carrier', steps: [{ pauseMs: 8_000 }], end: 'bye' }),
      target: `127.0.0.1:${node.ast.ports.sip}`,
      service: '+48221000400',
      localIp: '127.0.0.2',
      recvTimeoutMs: 20_000,
      timeoutMs: 30_000,
    });
    await waitFor(async () => /1 active call/.test(await node.ast.rx('core show calls')), 5_000);
    const r = await callplanAsync(['deploy', dir, '--build', build, ...args()]);
    expect(r.code, report(r)).toBe(3);
    expect(r.stdout).toMatch(/pbx: release [0-9a-f]{16} failed its checks; rolled back to [0-9a-f]{16}, which runs again:/);
    expect(r.stdout).toMatch(/Asterisk logged: .*ERROR.*no_such_option/);
    expect(r.stdout).toContain('1 endpoints of the release missing in Asterisk (pjsip list endpoints): 3099-desk');
    expect(readlinkSync(`${node.root}/current`)).toBe(before);
    const history = readFileSync(`${node.root}/history.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { action: string; result: string; reason?: string });
    expect(history.slice(-2).map((h) => `${h.action} ${h.result}`)).toEqual(['deploy failed', 'auto-rollback applied']);
    expect(history.at(-2)!.reason).toMatch(/no_such_option/);

    const done = await call;
    expect(done.code, sippReport(done)).toBe(0);
    expect(invitesTo(phone)).toBe(invites + 1);
    // The node still takes calls as before.
    const after = await runSipp({ scenario: uacScript({ from: 'carrier', steps: [{ pauseMs: 300 }], end: 'bye' }), target: `127.0.0.1:${node.ast.ports.sip}`, service: '+48221000400', localIp: '127.0.0.2' });
    expect(after.code, sippReport(after)).toBe(0);
  });

  it('a node locked by another deploy: a deploy waits for the lock, or gives up after --lock-timeout, naming the holder', async () => {
    const { node } = env();
    writeFileSync(`${node.root}/.lock.owner`, 'anna@laptop since 2026-11-25T18:00:00.000Z\n');
    const holder = spawn('flock', [`${node.root}/.lock`, 'sleep', '10'], { stdio: 'ignore' });
    try {
      await waitFor(async () => (await callplanAsync(['deploy', env().dir, ...args(), '--lock-timeout', '0'])).code === 11, 3_000);
      const refused = await callplanAsync(['deploy', env().dir, ...args(), '--lock-timeout', '1']);
      expect(refused.code, report(refused)).toBe(11);
      expect(refused.stdout).toContain('pbx: not deployed, nothing changed: node pbx is locked by another deploy (anna@laptop since 2026-11-25T18:00:00.000Z); waited');
      // Waiting long enough, the deploy goes through once the holder lets go.
      const changed = env().node.project(yaml(node, { ringTimeout: 20 }));
      const waited = await callplanAsync(['deploy', changed, ...args(), '--lock-timeout', '30']);
      expect(waited.code, report(waited)).toBe(0);
      expect(waited.stdout).toMatch(/deployed release .*queue reload parameters/);
    } finally {
      holder.kill('SIGKILL');
    }
  });
});

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

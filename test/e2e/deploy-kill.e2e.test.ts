import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAsterisk, devicePassword } from './harness/callplan-build.js';
import { callplanAsync, report, startDeployNode, type DeployNode } from './harness/deploy-node.js';
import { uacScript } from './harness/dtmf.js';
import { perFile } from './harness/lifecycle.js';
import { startPhone, type Phone } from './harness/phone.js';
import { runSipp, sippReport } from './harness/sipp.js';

/**
 * The deploy process killed with SIGKILL after each of its steps in turn (when it announces the
 * next one): the node keeps one whole release (`current` intact against its manifest, Asterisk
 * running all of one version: its queue and its users together), takes calls, and the next
 * deploy completes. Versions alternate, and each round's is new, so every killed deploy has
 * every step to do.
 */
const yaml = (node: DeployNode, v: 'alpha' | 'beta', round = 0) => `version: 1
name: e2e-deploy-kill
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
  - { extension: "3001", name: Olga ${round}, site: office, devices: [{ type: softphone, name: desk }] }
${v === 'beta' ? '  - { extension: "3003", name: Celina, site: office, devices: [{ type: softphone, name: desk }] }\n' : ''}queues:
  ${v}: { members: { primary: [user:3001] } }
inbound:
  - { did: "+48221000600", to: user:3001 }
`;

interface Env {
  node: DeployNode;
  phone: Phone;
  stop(): Promise<void>;
}

const env = perFile(async (): Promise<Env> => {
  const node = await startDeployNode('deploy-kill', { requireModules: ['app_queue.so'] });
  try {
    const first = await callplanAsync(['deploy', node.project(yaml(node, 'alpha')), '--identity', node.sshd.identity]);
    if (first.code !== 0) throw new Error(`first deploy failed: ${report(first)}`);
    const { files } = buildAsterisk(yaml(node, 'alpha'));
    const phone = await startPhone({ device: '3001-desk', password: devicePassword(files, '3001-desk'), registrar: `127.0.0.1:${node.ast.ports.sip}` });
    return { node, phone, stop: async () => (await phone.stop(), await node.stop()) };
  } catch (e) {
    await node.stop();
    throw e;
  }
}, 120_000);

/** The step lines deploy prints; killing when one appears kills it right after the step before. */
const STEPS = ['taking the lock', 'reading the release on the node', 'uploading', 'verifying checksums', 'switching current', 'checking the node', 'recording the release', 'removing old releases'];

/** Which version Asterisk runs, once it runs exactly one (bounded: a reload started on the host may be finishing). */
async function running(node: DeployNode): Promise<'alpha' | 'beta'> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const queues = await node.ast.rx('queue show');
    const endpoints = await node.ast.rx('pjsip show endpoints');
    const alpha = /^alpha has/m.test(queues);
    const beta = /^beta has/m.test(queues);
    const celina = endpoints.includes('3003-desk');
    if (alpha && !beta && !celina) return 'alpha';
    if (beta && !alpha && celina) return 'beta';
    if (Date.now() > deadline) throw new Error(`Asterisk runs no whole version:\n${queues}\n${endpoints}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('deploy killed after each step (real sshd and Asterisk)', () => {
  it.each(STEPS.map((s, i) => [s, i] as const))('killed when it starts "%s": one whole release, calls go on, the next deploy completes', async (step, i) => {
    const { node } = env();
    const target = i % 2 === 0 ? 'beta' : 'alpha';
    const other = target === 'beta' ? 'alpha' : 'beta';
    expect(await running(node)).toBe(other);
    const dir = node.project(yaml(node, target, i + 1)); // a release never uploaded before
    let killed = false;
    const r = await callplanAsync(['deploy', dir, '--identity', node.sshd.identity], {
      onLine: (line, kill) => {
        if (!killed && line.startsWith(`pbx: ${step}`)) {
          killed = true;
          kill();
        }
      },
    });
    expect(r.signal, report(r)).toBe('SIGKILL');

    // Whole: current points at a release whose files all match its manifest, and Asterisk runs one version.
    const current = readlinkSync(`${node.root}/current`);
    expect(current).toMatch(/^releases\/[0-9a-f]{16}$/);
    expect(() => execFileSync('sha256sum', ['-c', '--quiet', '--strict', 'SHA256SUMS'], { cwd: `${node.root}/${current}`, stdio: 'pipe' })).not.toThrow();
    expect([other, target]).toContain(await running(node));
    const call = await runSipp({ scenario: uacScript({ from: 'carrier', steps: [{ pauseMs: 200 }], end: 'bye' }), target: `127.0.0.1:${node.ast.ports.sip}`, service: '+48221000600', localIp: '127.0.0.2' });
    expect(call.code, sippReport(call)).toBe(0);

    // The next deploy (its lock free again: it went with the dead deploy's connection) completes.
    const next = await callplanAsync(['deploy', dir, '--identity', node.sshd.identity, '--lock-timeout', '10']);
    expect(next.code, report(next)).toBe(0);
    expect(await running(node)).toBe(target);
    // The history's last word is the release current points at, applied.
    const last = JSON.parse(readFileSync(`${node.root}/history.jsonl`, 'utf8').trim().split('\n').at(-1)!) as { release: string; result: string };
    expect(`releases/${last.release}`).toBe(readlinkSync(`${node.root}/current`));
    expect(last.result).toBe('applied');
  });
});

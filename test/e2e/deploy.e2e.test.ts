import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { buildAsterisk, devicePassword } from './harness/callplan-build.js';
import { callplanAsync, report, startDeployNode, type DeployNode } from './harness/deploy-node.js';
import { perFile } from './harness/lifecycle.js';

/**
 * `callplan deploy`, `status` and `rollback` over a real sshd to a real Asterisk: host keys,
 * the first deploy, a change with its least reloads, drift, the lock.
 */
const env = perFile(() => startDeployNode('deploy', { requireModules: ['app_queue.so'] }));
const node = (): DeployNode => env();

function project(o: { hostKey?: string; queueTimeout?: number; extraUser?: boolean; systemctl?: string; archiveEvery?: string; olga?: string } = {}): string {
  return `version: 1
name: e2e-deploy
nodes:
${node().nodeYaml({ ...(o.hostKey !== undefined && { hostKey: o.hostKey }), ...(o.systemctl !== undefined && { systemctl: o.systemctl }) })}secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  office:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: 127.0.0.2, addresses: [127.0.0.2] }
users:
  - { extension: "3001", name: ${o.olga ?? 'Olga'}, site: office, devices: [{ type: softphone, name: desk }] }
  - { extension: "3002", name: Borys, site: office, devices: [{ type: softphone, name: desk }] }
${o.extraUser ? '  - { extension: "3003", name: Celina, site: office, devices: [{ type: softphone, name: desk }] }\n' : ''}queues:
  support: { members: { primary: [user:3001, user:3002] }, ring_timeout: ${o.queueTimeout ?? 15} }
inbound:
  - { did: "+48221000300", to: queue:support }
${o.archiveEvery ? `recording:\n  archive: { url: "ftp://127.0.0.1/rec", username: rec, password: "\${env:ARCHIVE_PASSWORD}", every: ${o.archiveEvery} }\n` : ''}`;
}

const keyArgs = () => ['--identity', node().sshd.identity];

// Each deploy reloads a real Asterisk and waits for its log to settle: ~15-20 s on a quiet 2-core machine.
describe('deploy over SSH to a real Asterisk', () => {
  it('a host key other than the pinned one is refused before anything is sent', async () => {
    const dir = node().project(project({ hostKey: node().sshd.otherFingerprint }));
    const logFrom = node().sshd.log().length;
    const r = await callplanAsync(['deploy', dir, ...keyArgs(), '--allow-restart']);
    expect(r.code, report(r)).toBe(11);
    expect(r.stdout).toContain(`host key of 127.0.0.1:${node().sshd.port} is ${node().sshd.fingerprint}, not the ${node().sshd.otherFingerprint} pinned in the model`);
    expect(r.stdout).toContain('hint: If the host was reinstalled');
    // The server saw a connection that never authenticated, and nothing was created on it.
    const log = node().sshd.log().slice(logFrom);
    expect(log).toMatch(/Connection from 127\.0\.0\.1/);
    expect(log).not.toMatch(/Accepted publickey/);
    expect(existsSync(node().root)).toBe(false);
  });

  it('a host missing from known_hosts (no pin) is refused too, and accepted once listed', async () => {
    const yaml = project().replace(/, host_key: "[^"]+"/, '');
    const dir = node().project(yaml);
    const empty = `${dir}/known_hosts`;
    writeFileSync(empty, '');
    const r = await callplanAsync(['status', dir, ...keyArgs(), '--known-hosts', empty]);
    expect(r.code, report(r)).toBe(11);
    expect(r.stdout).toMatch(/host key of 127\.0\.0\.1:\d+ \(SHA256:\S+\) is unknown/);
    const ok = await callplanAsync(['status', dir, ...keyArgs(), '--known-hosts', node().sshd.knownHosts]);
    expect(ok.code, report(ok)).toBe(0);
    expect(ok.stdout).toContain('pbx: nothing deployed yet');
  });

  it('the first deploy uploads the release, switches current, reloads and checks the node', async () => {
    const dir = node().project(project());
    const r = await callplanAsync(['deploy', dir, ...keyArgs()]);
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(/pbx: deployed release [0-9a-f]{16}: \d+ files changed, reloads: module reload res_pjsip\.so, /);
    const release = readlinkSync(`${node().root}/current`);
    expect(release).toMatch(/^releases\/[0-9a-f]{16}$/);
    const manifest = JSON.parse(readFileSync(`${node().root}/current/manifest.json`, 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(manifest.files)).toContain('asterisk/pjsip.conf');
    expect(await node().ast.rx('pjsip show endpoints')).toContain('3001-desk');
    expect(await node().ast.rx('queue show support')).toMatch(/support has 0 calls/);

    const status = await callplanAsync(['status', dir, ...keyArgs()]);
    expect(status.code, report(status)).toBe(0);
    expect(status.stdout).toContain(`pbx: release ${release.slice('releases/'.length)}, `);
    expect(status.stdout).toContain('no drift: every file is as deployed');
  });

  it('--dry-run is the plan against the release on the node, secrets masked, and changes nothing', async () => {
    const yaml = project({ queueTimeout: 25, extraUser: true });
    const dir = node().project(yaml);
    const before = readlinkSync(`${node().root}/current`);
    const r = await callplanAsync(['deploy', dir, ...keyArgs(), '--dry-run']);
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(/against release [0-9a-f]{16} on node pbx/);
    expect(r.stdout).toContain('3003');
    expect(r.stdout).toContain('module reload pbx_config.so');
    expect(r.stdout).toMatch(/pbx: would deploy release [0-9a-f]{16} over [0-9a-f]{16}; nothing was changed \(dry run\)/);
    const secret = devicePassword(buildAsterisk(yaml).files, '3003-desk');
    expect(r.stdout).not.toContain(secret);
    expect(readlinkSync(`${node().root}/current`)).toBe(before);
    expect(await node().ast.rx('pjsip show endpoints')).not.toContain('3003-desk');
  });

  it('plan without --against is the same plan against the node, in plan\'s formats, with --detailed-exitcode', async () => {
    const yaml = project({ queueTimeout: 25, extraUser: true });
    const dir = node().project(yaml);
    const before = readlinkSync(`${node().root}/current`);
    const r = await callplanAsync(['plan', dir, ...keyArgs(), '--format', 'json', '--detailed-exitcode']);
    expect(r.code, report(r)).toBe(10);
    const out = JSON.parse(r.stdout) as { nodes: Array<{ node: string; against: string; changed: boolean; drift: unknown; semantic: { changes: Array<{ kind: string; id: string; change: string }> } }> };
    expect(out.nodes.map((n) => n.node)).toEqual(['pbx']);
    expect(out.nodes[0]!.against).toBe(`release ${before.split('/').pop()} on node pbx`);
    expect(out.nodes[0]!.changed).toBe(true);
    expect(out.nodes[0]!.drift).toBeNull();
    expect(out.nodes[0]!.semantic.changes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'user', id: '3003', change: 'added' })]));
    expect(r.stdout).not.toContain(devicePassword(buildAsterisk(yaml).files, '3003-desk'));
    const md = await callplanAsync(['plan', dir, ...keyArgs(), '--format', 'markdown']);
    expect(md.code, report(md)).toBe(0);
    expect(md.stdout).toMatch(/^### callplan plan: .* against release [0-9a-f]{16} on node pbx/);
    expect(readlinkSync(`${node().root}/current`)).toBe(before);
  });

  it('a change uploads only what changed, runs only its reloads, and the same build again does nothing', async () => {
    const dir = node().project(project({ queueTimeout: 25, extraUser: true }));
    const r = await callplanAsync(['deploy', dir, ...keyArgs()]);
    expect(r.code, report(r)).toBe(0);
    const done = r.stdout.split('\n').find((l) => l.startsWith('pbx: deployed release'))!;
    expect(done).toMatch(/reloads: module reload res_pjsip\.so, .*queue reload \w+, module reload pbx_config\.so, \d+ bytes sent/);
    expect(done).not.toContain('module reload manager');
    expect(await node().ast.rx('pjsip show endpoints')).toContain('3003-desk');
    const again = await callplanAsync(['deploy', dir, ...keyArgs()]);
    expect(again.code, report(again)).toBe(0);
    expect(again.stdout).toMatch(/is running already; nothing to do/);
    // For tools, stdout is one JSON document; the progress lines go to stderr.
    const json = await callplanAsync(['deploy', dir, ...keyArgs(), '--format', 'json']);
    expect(json.code, report(json)).toBe(0);
    expect((JSON.parse(json.stdout) as { nodes: Array<{ status: string }> }).nodes.map((n) => n.status)).toEqual(['unchanged']);
    expect(json.stderr).toContain('pbx: connecting');
    const plan = await callplanAsync(['plan', dir, ...keyArgs(), '--detailed-exitcode']);
    expect(plan.code, report(plan)).toBe(0);
    expect(plan.stdout).toContain('pbx: release');
  });

  it('a change that leaves a file the same size is applied too (Asterisk compares size and mtime only)', async () => {
    const dir = node().project(project());
    const first = await callplanAsync(['deploy', dir, ...keyArgs()]);
    expect(first.code, report(first)).toBe(0);
    expect(await node().ast.rx('pjsip show endpoint 3001-desk')).toMatch(/callerid\s*:\s*"Olga" <3001>/);
    const before = statSync(`${node().root}/current/asterisk/pjsip.conf`).size;
    // Olga → Olia: pjsip.conf changes, its size does not. A reload reads a file again only when
    // its size or mtime changed (main/config.c): the uploaded file must not keep the archive's mtime.
    const r = await callplanAsync(['deploy', node().project(project({ olga: 'Olia' })), ...keyArgs()]);
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(/reloads: module reload res_pjsip\.so/);
    expect(statSync(`${node().root}/current/asterisk/pjsip.conf`).size).toBe(before);
    expect(await node().ast.rx('pjsip show endpoint 3001-desk')).toMatch(/callerid\s*:\s*"Olia" <3001>/);
  });

  it('a file edited by hand on the host is drift: reported by status, deploy refuses it without --force', async () => {
    const file = `${node().root}/current/asterisk/queues.conf`;
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n; tuned by hand\n`);
    const dir = node().project(project({ queueTimeout: 30, extraUser: true }));
    const status = await callplanAsync(['status', dir, ...keyArgs()]);
    expect(status.stdout, report(status)).toContain('    changed  asterisk/queues.conf');
    const plan = await callplanAsync(['plan', dir, ...keyArgs(), '--format', 'markdown']);
    expect(plan.stdout, report(plan)).toContain('> **pbx: files changed on the host by hand** (deploy refuses without --force): `asterisk/queues.conf`');
    const r = await callplanAsync(['deploy', dir, ...keyArgs()]);
    expect(r.code, report(r)).toBe(11);
    expect(r.stdout).toContain('were changed on the host by hand: asterisk/queues.conf (changed)');
    expect(readFileSync(file, 'utf8')).toContain('; tuned by hand');
    const forced = await callplanAsync(['deploy', dir, ...keyArgs(), '--force']);
    expect(forced.code, report(forced)).toBe(0);
    expect(forced.stdout).toContain('overwrote files changed by hand (--force): asterisk/queues.conf');
    expect(readFileSync(`${node().root}/current/asterisk/queues.conf`, 'utf8')).not.toContain('tuned by hand');
  });

  it("the release's systemd units: restarted after the switch once installed on the host, reported as not installed before", async () => {
    // No systemd runs in this sandbox: deploy.systemctl points at a stand-in that records what it
    // is asked (and what current points at then) and knows the units listed in its folder.
    const dir = mkdtempSync(`${tmpdir()}/callplan-systemctl-`);
    const shim = `${dir}/systemctl`;
    writeFileSync(shim, `#!/bin/sh\necho "$* -> $(readlink ${node().root}/current)" >> ${dir}/calls\n[ "$1" = cat ] && { [ -e ${dir}/installed/$2 ] || exit 1; }\nexit 0\n`, { mode: 0o755 });
    const env = { ARCHIVE_PASSWORD: 'e2e-archive-Pw-9xQ2' };
    const first = await callplanAsync(['deploy', node().project(project({ systemctl: shim, archiveEvery: '15m' })), ...keyArgs()], { env });
    expect(first.code, report(first)).toBe(0);
    expect(first.stdout).toContain('not installed on the host, so not restarted: callplan-archive.timer');
    mkdirSync(`${dir}/installed`);
    for (const u of ['callplan-archive.service', 'callplan-archive.timer']) writeFileSync(`${dir}/installed/${u}`, '');
    writeFileSync(`${dir}/calls`, '');
    const r = await callplanAsync(['deploy', node().project(project({ systemctl: shim, archiveEvery: '30m' })), ...keyArgs()], { env });
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toContain('restarted: callplan-archive.timer');
    const release = readlinkSync(`${node().root}/current`);
    const calls = readFileSync(`${dir}/calls`, 'utf8').split('\n').filter((l) => !l.startsWith('cat '));
    expect(calls.filter(Boolean)).toEqual([`daemon-reload -> ${release}`, `restart callplan-archive.timer -> ${release}`]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('changed files go as their changed lines, rebuilt exactly on the host; against a base whose manifest was rewritten by hand they go whole', async () => {
    const local = (yaml: string, file: string) => buildAsterisk(yaml).files.get(file)!;
    const v1 = project({ queueTimeout: 41, extraUser: true });
    const base = await callplanAsync(['deploy', node().project(v1), ...keyArgs()]);
    expect(base.code, report(base)).toBe(0);
    const v2 = project({ queueTimeout: 42, extraUser: true });
    const r = await callplanAsync(['deploy', node().project(v2), ...keyArgs()]);
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(/^pbx: uploading \d+ of \d+ files \(1 as their changed lines\)$/m);
    expect(readFileSync(`${node().root}/current/asterisk/queues.conf`, 'utf8')).toBe(local(v2, 'asterisk/queues.conf'));

    // The host's manifest of the running release, reformatted: the edits of manifest.json no longer apply; deploy sends the files whole.
    const manifest = `${node().root}/current/manifest.json`;
    writeFileSync(manifest, JSON.stringify(JSON.parse(readFileSync(manifest, 'utf8'))));
    const v3 = project({ queueTimeout: 43, extraUser: true });
    const again = await callplanAsync(['deploy', node().project(v3), ...keyArgs()]);
    expect(again.code, report(again)).toBe(0);
    expect(readFileSync(`${node().root}/current/asterisk/queues.conf`, 'utf8')).toBe(local(v3, 'asterisk/queues.conf'));
    expect(JSON.parse(readFileSync(`${node().root}/current/manifest.json`, 'utf8'))).toMatchObject({ release: readlinkSync(`${node().root}/current`).split('/').pop() });
  }, 180_000);
}, 90_000);

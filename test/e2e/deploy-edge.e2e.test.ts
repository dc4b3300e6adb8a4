import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { callplanAsync, report } from './harness/deploy-node.js';
import { dispatcherStates, requireKamailio } from './harness/kamailio.js';
import { perFile } from './harness/lifecycle.js';
import { releasePorts, reservePorts } from './harness/ports.js';
import { startSshd, type Sshd } from './harness/sshd.js';

/**
 * Deploying the Kamailio edge's own files over SSH: a real sshd in front of Debian's Kamailio,
 * which runs the release callplan put on the host (every path of its config through
 * `<root>/current/kamailio/`, as docs/deploy.md tells an operator to set it up). Its
 * `deploy.restart` is a script of the test that restarts that Kamailio the way
 * `systemctl restart kamailio` would. No Asterisk runs: the edge's checks are about Kamailio.
 */
const EDGE = '127.0.0.10';

interface Env {
  sshd: Sshd;
  dir: string;
  root: string;
  sipPort: number;
  /** Ports nothing listens on: the Asterisk nodes' SIP and SSH. */
  free: number;
  stop(): Promise<void>;
}

const env = perFile(async (): Promise<Env> => {
  requireKamailio();
  const dir = mkdtempSync(`${tmpdir()}/callplan-deploy-edge-`);
  const sipPort = await reservePorts(1);
  const free = await reservePorts(4);
  const sshd = await startSshd({ name: 'deploy-edge' });
  const root = `${dir}/root`;
  const k = `${root}/current/kamailio`;
  // What systemctl restart kamailio does for a packaged Kamailio: stop it, start it on the files it is configured with.
  writeFileSync(
    `${dir}/restart-kamailio`,
    `#!/bin/sh
D=${dir}
if [ -f "$D/kamailio.pid" ]; then
  pid=$(cat "$D/kamailio.pid"); kill "$pid" 2>/dev/null; i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
fi
mkdir -p "$D/run" && rm -f "$D/run/ctl.sock"
exec kamailio -f ${k}/kamailio.cfg -P "$D/kamailio.pid" -Y "$D/run" -m 64 -M 8 -E \\
  -A 'CP_DISPATCHER_LIST="${k}/dispatcher.list"' -A 'CP_ADDRESS_LIST="${k}/address.list"' \\
  -A 'CP_DB_URL="text://${k}/db"' -A 'CP_CTL_SOCKET="unix:${dir}/run/ctl.sock"' -A CP_CHILDREN=2 -A CP_RELOAD_DELTA=0 \\
  >> "$D/kamailio.log" 2>&1
`,
  );
  chmodSync(`${dir}/restart-kamailio`, 0o755);
  const stop = async () => {
    const pid = existsSync(`${dir}/kamailio.pid`) ? Number(readFileSync(`${dir}/kamailio.pid`, 'utf8')) : 0;
    if (pid) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // gone
      }
      for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
    }
    // Its workers, should the main process have died first.
    spawnSync('pkill', ['-KILL', '-f', `${k}/kamailio.cfg`]);
    await sshd.stop();
    releasePorts(sipPort, 1);
    releasePorts(free, 4);
    if (!process.env.CALLPLAN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
  };
  return { sshd, dir, root, sipPort, free, stop };
}, 60_000);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** v1: one node, one carrier address; v2: a second node and a second address. */
const yaml = (e: Env, v: 1 | 2) => `version: 1
name: e2e-deploy-edge
nodes:
  edge:
    role: kamailio
    address: ${EDGE}
    sip_port: ${e.sipPort}
    ssh: { host: 127.0.0.1, port: ${e.sshd.port}, user: root, host_key: "${e.sshd.fingerprint}" }
    deploy: { root: ${e.root}, kamcmd: "kamcmd -s unix:${e.dir}/run/ctl.sock", restart: "${e.dir}/restart-kamailio" }
${node(e, 1)}${v === 2 ? node(e, 2) : ''}secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  office:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: 127.0.0.20, addresses: [127.0.0.20${v === 2 ? ', 127.0.0.21' : ''}] }
users:
  - { extension: "1001", name: Anna, site: office, devices: [{ type: softphone, name: a }] }
inbound:
  - { did: "+48221000700", to: user:1001 }
`;

/** An Asterisk node nobody runs: the edge's dispatcher lists it, deploy cannot reach it. */
const node = (e: Env, i: 1 | 2) => `  pbx-${i}:
    role: asterisk
    address: 127.0.0.${i}
    sip_port: ${e.free + i - 1}
    ssh: { host: 127.0.0.1, port: ${e.free + 1 + i}, user: root, host_key: "${e.sshd.fingerprint}" }
`;

const projects: string[] = [];
const project = (text: string) => {
  const d = mkdtempSync(`${env().dir}/project-`);
  writeFileSync(`${d}/callplan.yaml`, text);
  projects.push(d);
  return d;
};
const deploy = (args: string[]) => callplanAsync(['deploy', ...args, '--identity', env().sshd.identity], { timeoutMs: 90_000 });
const kamcmd = (...args: string[]) => execFileSync('kamcmd', ['-s', `unix:${env().dir}/run/ctl.sock`, ...args], { encoding: 'utf8', timeout: 10_000 });
const current = () => readlinkSync(`${env().root}/current`).replace('releases/', '');
const kamailioPid = () => Number(readFileSync(`${env().dir}/kamailio.pid`, 'utf8'));
const dest = (i: number) => `sip:127.0.0.${i}:${env().free + i - 1}`;

describe('deploy of the Kamailio edge over SSH (real sshd, real Kamailio)', () => {
  it('a first deploy needs a restart (kamailio.cfg): refused without --allow-restart; with it Kamailio starts on the release and passes its check', async () => {
    const dir = project(yaml(env(), 1));
    const refused = await deploy([dir, '--node', 'edge']);
    expect(refused.code, report(refused)).toBe(11);
    expect(refused.stdout).toMatch(/edge: not deployed, nothing changed: node edge: this change needs a restart of Kamailio: kamailio\/kamailio\.cfg/);
    expect(existsSync(`${env().root}/current`)).toBe(false);

    const r = await deploy([dir, '--node', 'edge', '--allow-restart']);
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(/^edge: restarting/m);
    expect(r.stdout).toMatch(/edge: deployed release [0-9a-f]{16}: \d+ files changed, restarted/);
    expect(Object.keys(dispatcherStates(kamcmd('dispatcher.list')))).toEqual([dest(1)]);
    // The release holds the edge's files only: no phone's secrets, no Asterisk configuration.
    const manifest = JSON.parse(readFileSync(`${env().root}/current/manifest.json`, 'utf8')) as { files: Record<string, string> };
    expect(Object.keys(manifest.files).every((f) => f.startsWith('kamailio/'))).toBe(true);
  });

  it('a change to the nodes and carriers is applied with their RPCs, no restart; a node drained by hand stays drained', async () => {
    const pid = kamailioPid();
    kamcmd('dispatcher.set_state', 'd', '1', dest(1));
    const r = await deploy([project(yaml(env(), 2)), '--node', 'edge']);
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(/edge: deployed release [0-9a-f]{16} \(was [0-9a-f]{16}\): \d+ files changed, reloads: permissions\.addressReload, dispatcher\.reload/);
    expect(kamailioPid()).toBe(pid);
    const states = dispatcherStates(kamcmd('dispatcher.list'));
    expect(Object.keys(states).sort()).toEqual([dest(1), dest(2)]);
    expect(states[dest(1)]).toMatch(/^D/);
    expect(kamcmd('permissions.addressDump')).toContain('127.0.0.21');

    // status reads the edge like a node: its release, and a file changed there by hand as drift.
    const file = `${env().root}/current/kamailio/address.list`;
    const deployed = readFileSync(file, 'utf8');
    writeFileSync(file, `${deployed}1 10.9.9.9 32 0 by-hand\n`);
    const s = await callplanAsync(['status', projects.at(-1)!, '--node', 'edge', '--identity', env().sshd.identity]);
    writeFileSync(file, deployed);
    expect(s.stdout, report(s)).toContain(current());
    expect(s.stdout).toMatch(/kamailio\/address\.list.*changed|changed.*kamailio\/address\.list/);
  });

  it('a release whose list Kamailio does not take in whole is switched back by itself: exit 3, the previous lists run again', async () => {
    const dir = project(yaml(env(), 1));
    const build = `${dir}/build`;
    const b = await callplanAsync(['build', dir, '--out', build]);
    expect(b.code, report(b)).toBe(0);
    const list = `${build}/nodes/edge/kamailio/dispatcher.list`;
    writeFileSync(list, `${readFileSync(list, 'utf8')}1 sip:[not-an-address 8 0\n`);
    const before = current();
    const r = await deploy([dir, '--build', build, '--node', 'edge']);
    expect(r.code, report(r)).toBe(3);
    expect(r.stdout).toMatch(/edge: release [0-9a-f]{16} failed its checks; rolled back to [0-9a-f]{16}, which runs again:/);
    // Kamailio skips a destination it cannot parse and reloads the rest: the check finds it missing.
    expect(r.stdout).toContain("1 node(s) of the release missing in Kamailio's dispatcher (dispatcher.list): sip:[not-an-address");
    expect(current()).toBe(before);
    expect(Object.keys(dispatcherStates(kamcmd('dispatcher.list'))).sort()).toEqual([dest(1), dest(2)]);
  });

  it('rollback --node edge goes back to the release before, with the same RPCs and check', async () => {
    const before = current();
    const history = readFileSync(`${env().root}/history.jsonl`, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { release: string; result: string });
    const previous = history.filter((h) => h.result === 'applied' && h.release !== before).at(-1)!.release;
    const r = await callplanAsync(['rollback', projects.at(-1)!, '--node', 'edge', '--identity', env().sshd.identity]);
    expect(r.code, report(r)).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`edge: rolled back to release ${previous} \\(was ${before}\\): \\d+ files changed, reloads: permissions\\.addressReload, dispatcher\\.reload`));
    expect(current()).toBe(previous);
    // The first release listed one node and one carrier address.
    expect(Object.keys(dispatcherStates(kamcmd('dispatcher.list')))).toEqual([dest(1)]);
    expect(kamcmd('permissions.addressDump')).not.toContain('127.0.0.21');
  });

  it('--all deploys the Asterisk nodes first: a node that cannot be deployed stops the roll before the edge', async () => {
    const before = current();
    const r = await callplanAsync(['deploy', project(yaml(env(), 2)), '--all', '--identity', env().sshd.identity, '--connect-timeout', '3000'], { timeoutMs: 90_000 });
    expect(r.code, report(r)).toBe(11);
    expect(r.stdout).toMatch(/^pbx-1: not deployed, nothing changed/m);
    expect(r.stdout).toMatch(/roll stopped: deployed: none; failed: pbx-1; not touched: pbx-2, edge/);
    expect(current()).toBe(before);
  });
});

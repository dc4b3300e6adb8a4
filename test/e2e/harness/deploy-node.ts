import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startAsterisk, type Asterisk, type AsteriskContext } from './asterisk.js';
import { E2E_ENV } from './callplan-build.js';
import { CHROOT } from './env.js';
import { releasePorts, reservePorts } from './ports.js';
import { startSshd, type Sshd } from './sshd.js';

/**
 * A deploy target on loopback: a real sshd (root, its own host key) in front of a real Asterisk
 * in the chroot. The host's release root is <instance>/callplan; Asterisk's config folder holds,
 * for every file callplan writes, a stub `#tryinclude`-ing <root>/current/asterisk/<file> (the
 * layout docs/deploy.md recommends), so it reads whatever release `current` points at when it
 * reloads. Before the first deploy those files do not exist: Asterisk runs empty, and the first
 * deploy (which binds the PJSIP transports) needs --allow-restart.
 */
export const CALLPLAN_FILES = ['pjsip.conf', 'pjsip_notify.conf', 'extensions.conf', 'queues.conf', 'queuerules.conf', 'voicemail.conf', 'confbridge.conf', 'musiconhold.conf', 'manager.conf'];

export interface DeployNode {
  ast: Asterisk;
  sshd: Sshd;
  /** Host path of the release root. */
  root: string;
  /** The node's entry for callplan.yaml (under `nodes:`, indented by two), pinned to the real host key unless told otherwise. */
  /** `systemctl`: the command deploy runs systemctl with on the host (deploy.systemctl). */
  nodeYaml(o?: { hostKey?: string; name?: string; systemctl?: string }): string;
  /** Writes a project (callplan.yaml) into a fresh folder and returns its path. */
  project(yaml: string): string;
  stop(): Promise<void>;
}

/** `rtpPorts`: a larger RTP range than the harness's 60 ports (each call with media takes two per leg). */
export async function startDeployNode(name: string, o: { requireModules?: string[]; rtpPorts?: number } = {}): Promise<DeployNode> {
  const sshd = await startSshd({ name });
  let ast: Asterisk | undefined;
  const dirs: string[] = [];
  const rtp = o.rtpPorts ? await reservePorts(o.rtpPorts) : undefined;
  try {
    ast = await startAsterisk({
      name,
      requireModules: ['res_pjsip.so', 'pbx_config.so', ...(o.requireModules ?? [])],
      configs: ({ chrootDir }: AsteriskContext) => ({
        ...Object.fromEntries(CALLPLAN_FILES.map((f) => [f, `#tryinclude "${chrootDir}/callplan/current/asterisk/${f}"\n`])),
        ...(rtp !== undefined && { 'rtp.conf': `[general]\nrtpstart=${rtp}\nrtpend=${rtp + o.rtpPorts! - 1}\n` }),
      }),
    });
    const a = ast;
    const root = `${a.dir}/callplan`;
    return {
      ast: a,
      sshd,
      root,
      nodeYaml: ({ hostKey = sshd.fingerprint, name: node = 'pbx', systemctl } = {}) =>
        `  ${node}:
    role: asterisk
    address: 127.0.0.1
    sip_port: ${a.ports.sip}
    ami_port: ${a.ports.ami}
    ssh: { host: 127.0.0.1, port: ${sshd.port}, user: root, host_key: "${hostKey}" }
    deploy:
      root: ${root}
      asterisk: "chroot ${CHROOT} asterisk -C ${a.chrootDir}/etc/asterisk.conf"
      log: ${a.dir}/log/full
      ignore_errors: ["/usr/share/asterisk/moh: No such file or directory"]   # the chroot has no hold music
${systemctl !== undefined ? `      systemctl: ${systemctl}\n` : ''}`,
      project(yaml) {
        const dir = mkdtempSync(`${tmpdir()}/callplan-deploy-project-`);
        dirs.push(dir);
        writeFileSync(`${dir}/callplan.yaml`, yaml);
        return dir;
      },
      async stop() {
        await a.stop();
        await sshd.stop();
        if (rtp !== undefined) releasePorts(rtp, o.rtpPorts!);
        for (const d of dirs) rmSync(d, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await ast?.stop();
    await sshd.stop();
    if (rtp !== undefined) releasePorts(rtp, o.rtpPorts!);
    throw e;
  }
}

const BIN = fileURLToPath(new URL('../../../bin/run.js', import.meta.url));

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI as a child process (asynchronous: SIPp and the harness keep running meanwhile),
 * with the test's master secret; `onLine` sees each line of its output as it comes, and may
 * kill it. Bounded.
 */
export function callplanAsync(args: string[], o: { env?: Record<string, string>; timeoutMs?: number; onLine?: (line: string, kill: () => void) => void } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...E2E_ENV, SSH_AUTH_SOCK: '', ...o.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let partial = '';
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(kill, o.timeoutMs ?? 120_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      partial += d.toString();
      let nl;
      while ((nl = partial.indexOf('\n')) >= 0) {
        const line = partial.slice(0, nl);
        partial = partial.slice(nl + 1);
        o.onLine?.(line, kill);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

export const report = (r: CliRun): string => `exit ${r.code}${r.signal ? ` (${r.signal})` : ''}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

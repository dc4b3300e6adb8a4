import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { requireE2ePrerequisites } from './env.js';
import { releasePorts, reservePorts } from './ports.js';

/**
 * A real OpenSSH server (Debian's openssh-server, installed by install.sh; its system service is
 * never started) on 127.0.0.1 and a reserved port, with its own config, host key and one
 * authorized client key, for root: deploy runs commands as root on the host, and the Asterisk
 * under test lives in the chroot of the host's file system, so every path and the command prefix
 * (`chroot … asterisk -C …`) work from a plain root shell.
 */
export interface Sshd {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: 'root';
  /** The client's private key file (OpenSSH format, no passphrase), authorized for root. */
  readonly identity: string;
  /** The server's host key as `ssh-keygen -lf` prints it: SHA256:… */
  readonly fingerprint: string;
  /** A known_hosts file naming this server (`[127.0.0.1]:PORT ssh-ed25519 …`). */
  readonly knownHosts: string;
  /** A fingerprint of another key, for "wrong host key" tests. */
  readonly otherFingerprint: string;
  /** sshd's log (-e: to stderr) so far: connections, authentications, commands. */
  log(): string;
  /** Stops sessions, then the listener; removes the folder. Idempotent. */
  stop(): Promise<void>;
}

const running = new Map<number, ChildProcess>();
process.on('exit', () => {
  for (const pid of running.keys()) killTree(pid, 'SIGKILL');
});

export async function startSshd(o: { name?: string; bootTimeoutMs?: number } = {}): Promise<Sshd> {
  requireE2ePrerequisites();
  if (!existsSync('/usr/sbin/sshd')) throw new Error('/usr/sbin/sshd missing: run `bash test/e2e/install.sh` as root (it installs openssh-server)');
  const dir = mkdtempSync(`${tmpdir()}/callplan-sshd-${(o.name ?? 'ssh').replace(/[^\w-]/g, '')}-`);
  const port = await reservePorts(1);
  let output = '';
  let child: ChildProcess | undefined;
  let exitInfo: string | undefined;
  let stopping: Promise<void> | undefined;

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child?.pid) {
        // Sessions run in their own sessions (setsid), outside the listener's group, and outlive it.
        killTree(child.pid, 'SIGTERM', true);
        child.kill('SIGTERM');
        await exited(child, 3_000);
        if (exitInfo === undefined) killTree(child.pid, 'SIGKILL');
        running.delete(child.pid);
      }
      releasePorts(port, 1);
      if (!process.env.CALLPLAN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    })());

  try {
    const keygen = (file: string) => execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'callplan-e2e', '-f', file], { stdio: 'pipe' });
    keygen(`${dir}/host_key`);
    keygen(`${dir}/other_host_key`);
    keygen(`${dir}/client_key`);
    const fp = (file: string) => execFileSync('ssh-keygen', ['-lf', file], { encoding: 'utf8' }).split(/\s+/)[1]!;
    const fingerprint = fp(`${dir}/host_key.pub`);
    const otherFingerprint = fp(`${dir}/other_host_key.pub`);
    writeFileSync(`${dir}/authorized_keys`, readFileSync(`${dir}/client_key.pub`), { mode: 0o600 });
    const [type, blob] = readFileSync(`${dir}/host_key.pub`, 'utf8').trim().split(/\s+/);
    writeFileSync(`${dir}/known_hosts`, `[127.0.0.1]:${port} ${type} ${blob}\n`);
    writeFileSync(
      `${dir}/sshd_config`,
      [
        `ListenAddress 127.0.0.1`,
        `Port ${port}`,
        `PidFile ${dir}/sshd.pid`,
        `HostKey ${dir}/host_key`,
        `AuthorizedKeysFile ${dir}/authorized_keys`,
        'PermitRootLogin prohibit-password',
        'PubkeyAuthentication yes',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        'StrictModes no',
        'LogLevel VERBOSE',
        'MaxStartups 50:30:100',
        'MaxSessions 50',
        'Subsystem sftp internal-sftp',
        '',
      ].join('\n'),
    );
    mkdirSync('/run/sshd', { recursive: true });
    const proc = spawn('setpriv', ['--pdeathsig', 'KILL', '/usr/sbin/sshd', '-D', '-e', '-f', `${dir}/sshd_config`], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child = proc;
    proc.once('exit', (code, signal) => void (exitInfo = `exit code ${code}, signal ${signal}`));
    const collect = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-200_000));
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    if (proc.pid) running.set(proc.pid, proc);
    const deadline = Date.now() + (o.bootTimeoutMs ?? 10_000);
    while (!/Server listening on 127\.0\.0\.1/.test(output)) {
      if (exitInfo !== undefined) throw new Error(`sshd exited during start-up (${exitInfo}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`sshd was not listening within ${o.bootTimeoutMs ?? 10_000} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return {
      host: '127.0.0.1',
      port,
      user: 'root',
      identity: `${dir}/client_key`,
      fingerprint,
      otherFingerprint,
      knownHosts: `${dir}/known_hosts`,
      log: () => output,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

function exited(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Every descendant of `pid` (by the parent pids in /proc), deepest first. */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const c of children.get(p) ?? []) {
      walk(c);
      out.push(c);
    }
  };
  walk(pid);
  return out;
}

/** Signals the descendants of `pid` (and `pid` itself unless `onlyChildren`). */
function killTree(pid: number, signal: NodeJS.Signals, onlyChildren = false): void {
  for (const p of [...descendants(pid), ...(onlyChildren ? [] : [pid])]) {
    try {
      process.kill(p, signal);
    } catch {
      // already gone
    }
  }
}

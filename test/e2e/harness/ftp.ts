import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CACHE } from './env.js';
import { releasePorts, reservePorts } from './ports.js';

/**
 * A real FTP/FTPS server for end-to-end tests: Debian's pure-ftpd 1.0.50, on 127.0.0.1 at a
 * reserved port, with its own temporary folder (config, virtual-user database, home, TLS
 * certificate, transfer log), stopped by pid. Installed with apt when missing (as root; CI's
 * test/e2e/install.sh installs it up front).
 *
 *   const ftp = await startFtpServer({ name: 'archive' });
 *   ftp.url('ftps', '/recordings')   // ftps://127.0.0.1:PORT/recordings, the CA in ftp.caFile
 *   await ftp.kill();                // SIGKILL to the whole process group (sessions too)
 *   await ftp.start();               // the same server again: same port, files, users
 *
 * Recipe and pitfalls: ../shared/DESIGN.md. The virtual user's password hash is written with
 * `openssl passwd -6` (pure-pw's default argon2 costs ~4 s per login); pure-ftpd delays a failed
 * login by ~5 s; it has no HASH/XSHA256 command.
 */
export const PURE_FTPD = '/usr/sbin/pure-ftpd';
const PURE_PW = '/usr/bin/pure-pw';
/** Passive (data) ports per server: enough for 4+ connections whose closed ports linger. */
const PASSIVE_PORTS = 24;
/** nobody:nogroup, whom the virtual user's files belong to. */
const UID = 65534;
const GID = 65534;

export interface FtpServerOptions {
  /** For folder names and messages. */
  name?: string;
  /** The virtual user; default "recorder". */
  user?: string;
  /** Its password; default a random one. */
  password?: string;
  /** Further pure-ftpd options for every start (e.g. ['-k', '1'] refuses uploads: "disk full"). */
  extraArgs?: string[];
  /** Bound on start-up; default 10 s. */
  startTimeoutMs?: number;
}

export interface FtpServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** The instance folder (host path). */
  readonly dir: string;
  /** The user's home: what the client sees as "/". */
  readonly home: string;
  /** The CA that signed the server's certificate (PEM), for --ca. */
  readonly caFile: string;
  url(scheme: 'ftp' | 'ftps', folder?: string): string;
  /** The running master's pid, or undefined when stopped. */
  readonly pid: number | undefined;
  /** (Re)starts the server; resolves once it greets on its port. */
  start(extraArgs?: string[]): Promise<void>;
  /** SIGKILL to the master and every session (its process group); resolves once the port refuses. */
  kill(): Promise<void>;
  /** pure-ftpd's transfer log (CLF: one line per upload PUT and download GET). */
  transferLog(): string;
  /** Kills it, releases its ports and removes its folder (CALLPLAN_E2E_KEEP=1 keeps the folder). */
  stop(): Promise<void>;
}

const HOW = 'Install it with `bash test/e2e/install.sh` as root (CI does this in .ci/run), or `apt-get install pure-ftpd`.';

let installed = false;
/**
 * Installs pure-ftpd with apt when it is missing (root only), serialised with install.sh on its
 * lock; its service is never started (a policy-rc.d refuses, unless the host has its own).
 */
export function requirePureFtpd(): void {
  if (installed || existsSync(PURE_FTPD)) {
    installed = true;
    return;
  }
  if (process.getuid?.() !== 0) throw new Error(`pure-ftpd is not installed and the tests are not root. ${HOW}`);
  mkdirSync(CACHE, { recursive: true });
  const script = `
    set -e
    [ -x ${PURE_FTPD} ] && exit 0
    own=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then own=1; printf '#!/bin/sh\\nexit 101\\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; fi
    rc=0
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends pure-ftpd >/dev/null 2>&1 || {
      apt-get -o DPkg::Lock::Timeout=120 update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends pure-ftpd; } || rc=$?
    [ -z "$own" ] || rm -f /usr/sbin/policy-rc.d
    exit $rc`;
  const r = spawnSync('flock', ['-w', '900', `${CACHE}/install.lock`, 'sh', '-c', script], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0 || !existsSync(PURE_FTPD)) throw new Error(`could not install pure-ftpd with apt (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr ?? '').trim().slice(-500)}\n${HOW}`);
  installed = true;
}

/**
 * A CA and a server certificate for 127.0.0.1 signed by it (EC P-256, 2 days), made with openssl
 * in `dir`: ca.pem (public), server.pem (key + certificate for pure-ftpd, mode 0600). The keys
 * live and die in the test's temporary folder.
 */
export function makeCertificates(dir: string, cn = '127.0.0.1'): { caFile: string; certAndKey: string } {
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe', timeout: 30_000 });
  run(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=callplan e2e test CA']);
  run(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${cn}`]);
  writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n');
  run(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '2', '-extfile', 'server.ext']);
  const certAndKey = path.join(dir, 'server.pem');
  writeFileSync(certAndKey, readFileSync(path.join(dir, 'server.key')) + readFileSync(path.join(dir, 'server.crt'), 'utf8'), { mode: 0o600 });
  rmSync(path.join(dir, 'ca.key'));
  rmSync(path.join(dir, 'server.key'));
  return { caFile: path.join(dir, 'ca.pem'), certAndKey };
}

/** Resolves once something on 127.0.0.1:port sends a line starting with `220` (pure-ftpd's greeting). */
function greets(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('error', () => done(false));
    s.on('data', (d) => done(d.toString().startsWith('220')));
  });
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(false);
    });
    s.once('error', () => resolve(true));
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, detail: () => string): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`pure-ftpd: ${what} within ${timeoutMs} ms\n${detail()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export async function startFtpServer(options: FtpServerOptions = {}): Promise<FtpServer> {
  requirePureFtpd();
  const name = options.name ?? 'ftp';
  const user = options.user ?? 'recorder';
  const password = options.password ?? `Pw-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;
  const dir = mkdtempSync(path.join(tmpdir(), `callplan-e2e-ftp-${name}-`));
  chmodSync(dir, 0o755);
  const home = path.join(dir, 'home');
  mkdirSync(home);
  chownSync(home, UID, GID);
  const { caFile, certAndKey } = makeCertificates(dir);
  // The virtual user: a SHA-512 crypt hash (fast logins), then the database pure-ftpd reads.
  const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: password, encoding: 'utf8', timeout: 10_000 }).trim();
  writeFileSync(path.join(dir, 'passwd'), `${user}:${hash}:${UID}:${GID}::${home}/./::::::::::::\n`, { mode: 0o600 });
  execFileSync(PURE_PW, ['mkdb', path.join(dir, 'users.pdb'), '-f', path.join(dir, 'passwd')], { stdio: 'pipe', timeout: 10_000 });
  const base = await reservePorts(1 + PASSIVE_PORTS);
  const port = base;
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const logFile = path.join(dir, 'pure-ftpd.out');

  const args = (extra: string[]) => [
    '-S', `127.0.0.1,${port}`,
    '-p', `${base + 1}:${base + PASSIVE_PORTS}`,
    '-P', '127.0.0.1',
    '-l', `puredb:${path.join(dir, 'users.pdb')}`,
    '-E', // no anonymous
    '-A', // chroot everyone to their home
    '-j', // create the home if missing
    '-H', // no reverse DNS
    '-f', 'none', // no syslog
    '-Y', '1', // TLS optional: ftp:// and ftps:// on the same port
    '-2', certAndKey,
    '-g', path.join(dir, 'pure-ftpd.pid'),
    '-O', `clf:${path.join(dir, 'transfer.log')}`,
    '-c', '50', '-C', '50',
    ...(options.extraArgs ?? []),
    ...extra,
  ];

  const server: FtpServer = {
    host: '127.0.0.1',
    port,
    user,
    password,
    dir,
    home,
    caFile,
    url: (scheme, folder = '/') => `${scheme}://127.0.0.1:${port}${folder.startsWith('/') ? folder : `/${folder}`}`,
    get pid() {
      return proc && proc.exitCode === null && proc.signalCode === null ? proc.pid : undefined;
    },
    async start(extra = []) {
      if (server.pid !== undefined) throw new Error('pure-ftpd: already running');
      const out = openSync(logFile, 'a');
      // setpriv: the kernel kills the master if this test process dies; detached: its own process
      // group, so kill() reaches the session processes too.
      proc = spawn('setpriv', ['--pdeathsig', 'KILL', '--', PURE_FTPD, ...args(extra)], { detached: true, stdio: ['ignore', out, out] });
      closeSync(out);
      const p = proc;
      exited = new Promise((resolve) => p.once('exit', () => resolve()));
      await until('no greeting', async () => {
        if (p.exitCode !== null || p.signalCode !== null) throw new Error(`pure-ftpd exited (${p.exitCode ?? p.signalCode}) at start:\n${readFileSync(logFile, 'utf8').slice(-2000)}`);
        return greets(port, 1000);
      }, options.startTimeoutMs ?? 10_000, () => readFileSync(logFile, 'utf8').slice(-2000));
    },
    async kill() {
      const p = proc;
      if (!p?.pid) return;
      try {
        process.kill(-p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      await until('port still open after SIGKILL', () => refuses(port), 5000, () => '');
    },
    transferLog: () => (existsSync(path.join(dir, 'transfer.log')) ? readFileSync(path.join(dir, 'transfer.log'), 'utf8') : ''),
    async stop() {
      await server.kill();
      releasePorts(base, 1 + PASSIVE_PORTS);
      if (!process.env.CALLPLAN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await server.start();
  } catch (e) {
    await server.stop();
    throw e;
  }
  return server;
}

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { requireE2ePrerequisites } from './env.js';
import { processAlive } from './ports.js';

/**
 * A real Kamailio (Debian's package, on the host) running a generated kamailio/ tree in its own
 * folder: the config as callplan wrote it, its file paths, control socket and tunables given with
 * `-A NAME=VALUE` (the CP_* defines every generated kamailio.cfg declares with #!trydef). It
 * listens where the config says: the test builds the model with loopback addresses and reserved
 * ports.
 */

export interface KamailioOptions {
  /** The kamailio/ tree of a build: kamailio.cfg, dispatcher.list, address.list, db/subscriber ... */
  files: Record<string, string>;
  /** A short label for the instance folder. */
  name?: string;
  /** CP_* tunables (numbers) for -A, e.g. { CP_PING_INTERVAL: 1 }. */
  defines?: Record<string, number>;
  /** Bound on start-up, default 10 s. */
  bootTimeoutMs?: number;
}

export interface Kamailio {
  /** Instance folder (the files, run/, log). */
  readonly dir: string;
  readonly pid: number;
  /** The first `listen=udp:IP:PORT` of the config: where phones and carriers send. */
  readonly address: string;
  /** Kamailio's log so far (stderr, debug=2: notices, warnings, errors). */
  log(): string;
  waitForLog(pattern: RegExp, options?: { timeoutMs?: number; from?: number }): Promise<RegExpMatchArray>;
  /** `kamcmd -s <ctl> ARGS...`; throws when kamcmd fails or answers with an RPC error (kamcmd exits 0 then). */
  rpc(...args: string[]): Promise<string>;
  /** SIGTERM (SIGKILL after 5 s, and to any worker left), then removes the folder; idempotent. */
  stop(): Promise<void>;
}

const INSTANCES = '/run/callplan-e2e/kamailio';
let counter = 0;
const running = new Map<number, ChildProcess>();
process.on('exit', () => {
  for (const pid of running.keys()) killGroup(pid, 'SIGKILL');
});

/**
 * Kamailio forks its workers into its own process group (the harness starts it as a group
 * leader): signalling the group reaches every worker, also when the main process is gone.
 */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // no such group: all gone
  }
}

/**
 * Removes the instances of test processes that died without stopping their Kamailio: its workers
 * outlive a main process the kernel killed (setpriv's parent-death signal reaches only the main).
 */
function pruneStaleInstances(): void {
  if (!existsSync(INSTANCES)) return;
  for (const name of readdirSync(INSTANCES)) {
    const dir = `${INSTANCES}/${name}`;
    const owner = Number(/-(\d+)-\d+$/.exec(name)?.[1]);
    if (!owner || processAlive(owner)) continue;
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // gone
      }
      if (cmdline.startsWith('kamailio\0') && cmdline.includes(`${dir}/kamailio.cfg`)) process.kill(Number(pid), 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Installs Debian's kamailio when it is missing (root; serialised with install.sh by its lock). */
export function requireKamailio(): void {
  requireE2ePrerequisites();
  if (existsSync('/usr/sbin/kamailio') && existsSync('/usr/sbin/kamcmd')) return;
  throw new Error('kamailio is not installed: run `bash test/e2e/install.sh` as root (it installs Debian’s kamailio package).');
}

export async function startKamailio(o: KamailioOptions): Promise<Kamailio> {
  requireKamailio();
  pruneStaleInstances();
  const label = (o.name ?? 'kam').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'kam';
  const dir = `${INSTANCES}/${label}-${process.pid}-${++counter}`;
  rmSync(dir, { recursive: true, force: true });
  for (const [name, content] of Object.entries(o.files)) {
    mkdirSync(dirname(`${dir}/${name}`), { recursive: true });
    writeFileSync(`${dir}/${name}`, content);
  }
  mkdirSync(`${dir}/run`, { recursive: true });
  const cfg = `${dir}/kamailio.cfg`;
  const listen = /^listen=udp:([0-9.]+):(\d+)/m.exec(o.files['kamailio.cfg'] ?? '');
  if (!listen) throw new Error('kamailio.cfg has no listen=udp:IP:PORT line');
  const [ip, port] = [listen[1]!, Number(listen[2])];
  // Kamailio starts on a busy UDP port without complaint: make sure it is ours.
  if (!(await udpFree(ip, port))) throw new Error(`${ip}:${port} is already in use`);

  const ctl = `${dir}/run/ctl.sock`;
  const defines: Record<string, string> = {
    CP_DISPATCHER_LIST: `"${dir}/dispatcher.list"`,
    CP_ADDRESS_LIST: `"${dir}/address.list"`,
    CP_DB_URL: `"text://${dir}/db"`,
    CP_CTL_SOCKET: `"unix:${ctl}"`,
    CP_TLS_CFG: `"${dir}/tls.cfg"`,
    CP_CHILDREN: '2',
    ...Object.fromEntries(Object.entries(o.defines ?? {}).map(([k, v]) => [k, String(v)])),
  };
  const args = ['-DD', '-E', '-f', cfg, '-P', `${dir}/kamailio.pid`, '-Y', `${dir}/run`, '-m', '64', '-M', '8'];
  for (const [k, v] of Object.entries(defines)) args.push('-A', `${k}=${v}`);

  const logFile = `${dir}/kamailio.log`;
  writeFileSync(logFile, '');
  let logText = '';
  // setpriv: the kernel kills Kamailio if this test process dies without stopping it.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'kamailio', ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let exitInfo: string | undefined;
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => resolve(void (exitInfo = `exit code ${code}, signal ${signal}`))));
  child.once('error', (e) => void (exitInfo = `spawn error: ${e.message}`));
  const collect = (chunk: Buffer) => {
    logText += chunk.toString();
    writeFileSync(logFile, logText);
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  if (child.pid) running.set(child.pid, child);

  const rpc = (...rpcArgs: string[]): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile('kamcmd', ['-s', `unix:${ctl}`, ...rpcArgs], { timeout: 10_000, encoding: 'utf8' }, (error, stdout, stderr) => {
        const out = `${stdout}${stderr}`;
        if (error || /^error:/im.test(out)) reject(new Error(`kamcmd ${rpcArgs.join(' ')} failed: ${error?.message ?? ''}\n${out}`.trim()));
        else resolve(stdout);
      });
    });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (exitInfo === undefined) {
        child.kill('SIGTERM');
        if (!(await settles(exited, 5_000))) {
          child.kill('SIGKILL');
          await settles(exited, 5_000);
        }
      }
      // Workers the main process did not take down with it (it was killed, or crashed).
      if (child.pid) killGroup(child.pid, 'SIGKILL');
      if (child.pid) running.delete(child.pid);
      if (!process.env.CALLPLAN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    })());

  try {
    const deadline = Date.now() + (o.bootTimeoutMs ?? 10_000);
    for (;;) {
      if (exitInfo !== undefined) throw new Error(`Kamailio exited during start-up (${exitInfo})`);
      if (existsSync(ctl) && (await rpc('core.version').then(() => true, () => false))) {
        const answer = await sipRequest({ from: '127.0.0.1', to: `${ip}:${port}`, request: options({ to: `${ip}:${port}` }), timeoutMs: 500 });
        if (answer?.status === 200) break;
      }
      if (Date.now() > deadline) throw new Error(`Kamailio did not answer within ${o.bootTimeoutMs ?? 10_000} ms`);
      await delay(50);
    }
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n--- Kamailio log ---\n${logText.split('\n').slice(-40).join('\n')}`);
  }

  return {
    dir,
    pid: child.pid!,
    address: `${ip}:${port}`,
    log: () => logText,
    async waitForLog(pattern, { timeoutMs = 10_000, from = 0 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = logText.slice(from).match(pattern);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`Kamailio log did not match ${pattern} within ${timeoutMs} ms`);
        await delay(50);
      }
    },
    rpc,
    stop,
  };
}

/** `kamailio -c -f FILE`: checks a config's syntax (modules are loaded but not initialised). */
export function checkKamailioConfig(file: string): { ok: boolean; output: string } {
  const r = spawnSync('kamailio', ['-c', '-f', file], { encoding: 'utf8', timeout: 30_000 });
  return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
}

/** The destinations of `dispatcher.list` with their flags (AP active and probed, IP inactive, DX disabled ...). */
export function dispatcherStates(listOutput: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of listOutput.matchAll(/URI: (\S+)\s+FLAGS: (\S+)/g)) out[m[1]!] = m[2]!;
  return out;
}

// ---- a minimal SIP client over UDP, for requests SIPp would make awkward (floods, bans, odd headers)

export interface SipAnswer {
  status: number;
  text: string;
}

/**
 * Sends one request from `from` (a loopback address, any port) and returns the first final
 * response, or undefined when none came within timeoutMs (dropped, banned).
 */
export async function sipRequest(o: { from: string; to: string; request: (local: string) => string; timeoutMs?: number }): Promise<SipAnswer | undefined> {
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, o.from, () => resolve());
    });
    const local = `${o.from}:${socket.address().port}`;
    const [host, port] = o.to.split(':');
    const answer = new Promise<SipAnswer | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), o.timeoutMs ?? 1_000);
      socket.on('message', (msg) => {
        const text = msg.toString();
        const status = Number(/^SIP\/2\.0 (\d{3})/.exec(text)?.[1]);
        if (status >= 200) {
          clearTimeout(timer);
          resolve({ status, text });
        }
      });
    });
    socket.send(o.request(local), Number(port), host);
    return await answer;
  } finally {
    socket.close();
  }
}

/** Sends `count` requests as fast as it can from one address and port; returns how many got an answer. */
export async function sipFlood(o: { from: string; to: string; request: (local: string, n: number) => string; count: number; settleMs?: number }): Promise<number> {
  const socket = dgram.createSocket('udp4');
  try {
    await new Promise<void>((resolve) => socket.bind(0, o.from, () => resolve()));
    const local = `${o.from}:${socket.address().port}`;
    const [host, port] = o.to.split(':');
    let answered = 0;
    socket.on('message', () => void answered++);
    for (let n = 0; n < o.count; n++) {
      await new Promise<void>((resolve) => socket.send(o.request(local, n), Number(port), host, () => resolve()));
    }
    await delay(o.settleMs ?? 500);
    return answered;
  } finally {
    socket.close();
  }
}

let sequence = 0;

/** An OPTIONS request (a keepalive to the edge itself unless `user` is given). */
export function options(o: { to: string; user?: string; userAgent?: string; fromUser?: string }): (local: string) => string {
  return (local) => {
    const n = ++sequence;
    const target = o.user ? `sip:${o.user}@${o.to}` : `sip:${o.to}`;
    return [
      `OPTIONS ${target} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local};branch=z9hG4bK-cp-${process.pid}-${n};rport`,
      `From: <sip:${o.fromUser ?? 'probe'}@${local}>;tag=cp${n}`,
      `To: <${target}>`,
      `Call-ID: cp-options-${process.pid}-${n}@${local}`,
      'CSeq: 1 OPTIONS',
      'Max-Forwards: 70',
      ...(o.userAgent ? [`User-Agent: ${o.userAgent}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  };
}

/** An INVITE without SDP, optionally pretending to be inside a dialog (To tag, Route to the edge). */
export function invite(o: { to: string; number: string; host?: string; fromUser?: string; inDialogVia?: string }): (local: string) => string {
  return (local) => {
    const n = ++sequence;
    const target = `sip:${o.number}@${o.host ?? o.to}`;
    return [
      `INVITE ${target} SIP/2.0`,
      `Via: SIP/2.0/UDP ${local};branch=z9hG4bK-cp-${process.pid}-${n};rport`,
      `From: <sip:${o.fromUser ?? 'stranger'}@${local}>;tag=cp${n}`,
      `To: <${target}>${o.inDialogVia ? ';tag=forged' : ''}`,
      `Call-ID: cp-invite-${process.pid}-${n}@${local}`,
      'CSeq: 1 INVITE',
      `Contact: <sip:${o.fromUser ?? 'stranger'}@${local}>`,
      ...(o.inDialogVia ? [`Route: <sip:${o.inDialogVia};lr>`] : []),
      'Max-Forwards: 70',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  };
}

function udpFree(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => resolve(false));
    s.bind(port, ip, () => s.close(() => resolve(true)));
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([p.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]).finally(() => clearTimeout(timer));
}

/** Kamailio's own log file of an instance, for debugging a failed test (CALLPLAN_E2E_KEEP=1 keeps it). */
export function kamailioLogFile(k: Kamailio): string {
  return existsSync(`${k.dir}/kamailio.log`) ? readFileSync(`${k.dir}/kamailio.log`, 'utf8') : '';
}

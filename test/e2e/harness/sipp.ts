import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { requireE2ePrerequisites } from './env.js';
import { processAlive, releasePorts, reservePorts } from './ports.js';

/**
 * SIPp 3.6 on 127.0.0.1 (`sipp -i 127.0.0.1 -nostdin`), bounded in time, with its message and
 * error traces in a temp folder. Judge a run by its exit code (0: every call succeeded; 1: some
 * failed; 99: no call was processed); the error trace can hold a harmless epoll line on success.
 */

/** A scenario as XML (see scenarios.ts), or one of SIPp's built-ins (`{ builtin: 'uac' }`). */
export type SippScenario = string | { builtin: string };

export interface SippOptions {
  scenario: SippScenario;
  /** host:port to send to (UAC); ignored by answering scenarios. */
  target?: string;
  /** -s: the number dialled, [service] in scenarios. */
  service?: string;
  /** -au/-ap: digest credentials for [authentication]. */
  auth?: { username: string; password: string };
  /** -m: calls before SIPp exits; default 1 for runSipp, unlimited for startSippUas. */
  calls?: number;
  /** -l: simultaneous calls. */
  limit?: number;
  /** -r: calls per second. */
  rate?: number;
  /**
   * -i/-mi: the loopback address SIPp sends from and listens on, default 127.0.0.1; another one
   * (127.0.0.2, ...) makes it a distinct host, e.g. a carrier identified by its address.
   */
  localIp?: string;
  /** -p: local SIP port; default a reserved free port. */
  localPort?: number;
  /** -mp: local media port (SIPp also binds +2); default a reserved free port. */
  mediaPort?: number;
  /** -key name value, for [name] in scenarios. */
  keys?: Record<string, string>;
  /** Further SIPp arguments. */
  args?: string[];
  /** -recv_timeout: each expected message must arrive within this; default 10 s for runSipp. */
  recvTimeoutMs?: number;
  /** Hard bound on the whole run (runSipp) / on start-up (startSippUas); default 20 s / 5 s. */
  timeoutMs?: number;
}

export interface SipMessage {
  direction: 'sent' | 'received';
  /** The request or status line. */
  firstLine: string;
  /** For requests. */
  method?: string;
  /** For responses. */
  status?: number;
  callId?: string;
  text: string;
}

export interface SippResult {
  /** SIPp's exit code: 0 all calls succeeded, 1 some failed, 99 none processed; null when killed. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** True when the harness had to kill SIPp at timeoutMs. */
  timedOut: boolean;
  stdout: string;
  stderr: string;
  args: string[];
  /** The temp folder with the traces. */
  dir: string;
  /** Paths of the -trace_msg, -trace_err and -trace_screen files. */
  messageLog: string;
  errorLog: string;
  screenLog: string;
  /** Every SIP message sent or received, in order. */
  messages: SipMessage[];
  /** The error trace's content. */
  errors: string;
}

export interface SippUas {
  /** The SIP port it listens on (127.0.0.1). */
  readonly port: number;
  readonly mediaPort: number;
  /** Its address, 127.0.0.1 unless localIp said otherwise. */
  readonly ip: string;
  /** "<ip>:<port>", for contacts and targets. */
  readonly address: string;
  readonly dir: string;
  readonly pid: number;
  /** Every SIP message so far (the trace is written as they happen). */
  messages(): SipMessage[];
  /** The requests received so far (INVITE, ACK, BYE, CANCEL ...). */
  received(): SipMessage[];
  /** Stops SIPp (SIGTERM, then SIGKILL), releases its ports; idempotent. */
  stop(): Promise<SippResult>;
}

const PORT_BLOCK = 6; // sip, control, media (+2 video), spare
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * This process's folder for SIPp traces, /tmp/callplan-e2e-sipp/<pid>; folders of processes that
 * are gone are removed when the first SIPp of a process starts (vitest may end workers without
 * running their exit handlers). CALLPLAN_E2E_KEEP=1 keeps them.
 */
let traceRoot: string | undefined;
function traceDir(): string {
  if (!traceRoot) {
    const parent = `${tmpdir()}/callplan-e2e-sipp`;
    mkdirSync(parent, { recursive: true });
    if (!process.env.CALLPLAN_E2E_KEEP) {
      for (const name of readdirSync(parent)) {
        if (/^\d+$/.test(name) && !processAlive(Number(name))) rmSync(`${parent}/${name}`, { recursive: true, force: true });
      }
    }
    traceRoot = `${parent}/${process.pid}`;
    mkdirSync(traceRoot, { recursive: true });
  }
  return mkdtempSync(`${traceRoot}/run-`);
}

interface Launched {
  child: ChildProcess;
  ip: string;
  port: number;
  mediaPort: number;
  args: string[];
  dir: string;
  files: { messageLog: string; errorLog: string; screenLog: string };
  done: Promise<SippResult>;
  kill(): void;
}

async function launch(o: SippOptions, defaults: { calls?: number; recvTimeoutMs?: number }, hardTimeoutMs?: number): Promise<Launched> {
  requireE2ePrerequisites();
  const dir = traceDir();
  const base = await reservePorts(PORT_BLOCK);
  const port = o.localPort ?? base;
  const mediaPort = o.mediaPort ?? base + 2;
  const files = { messageLog: `${dir}/messages.log`, errorLog: `${dir}/errors.log`, screenLog: `${dir}/screen.log` };
  const ip = o.localIp ?? '127.0.0.1';
  if (!/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ip)) throw new Error(`localIp must be a loopback address (127.x.y.z), not ${ip}`);
  const args = ['-i', ip, '-mi', ip, '-ci', '127.0.0.1', '-cp', String(base + 1), '-p', String(port), '-mp', String(mediaPort)];
  args.push('-nostdin', '-aa');
  args.push('-trace_msg', '-message_file', files.messageLog, '-trace_err', '-error_file', files.errorLog, '-trace_screen', '-screen_file', files.screenLog);
  if (typeof o.scenario === 'string') {
    writeFileSync(`${dir}/scenario.xml`, o.scenario);
    args.push('-sf', `${dir}/scenario.xml`);
  } else {
    args.push('-sn', o.scenario.builtin);
  }
  if (o.service !== undefined) args.push('-s', o.service);
  if (o.auth) args.push('-au', o.auth.username, '-ap', o.auth.password);
  const calls = o.calls ?? defaults.calls;
  if (calls !== undefined) args.push('-m', String(calls));
  if (o.limit !== undefined) args.push('-l', String(o.limit));
  if (o.rate !== undefined) args.push('-r', String(o.rate));
  const recv = o.recvTimeoutMs ?? defaults.recvTimeoutMs;
  if (recv !== undefined) args.push('-recv_timeout', String(recv));
  for (const [k, v] of Object.entries(o.keys ?? {})) args.push('-key', k, v);
  args.push(...(o.args ?? []));
  if (o.target) args.push(o.target);

  // setpriv: the kernel kills SIPp if this test process dies without stopping it.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'sipp', ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => void (stdout = (stdout + c.toString()).slice(-64_000)));
  child.stderr!.on('data', (c: Buffer) => void (stderr = (stderr + c.toString()).slice(-64_000)));
  let timedOut = false;
  let hard: NodeJS.Timeout | undefined;
  let last: NodeJS.Timeout | undefined;
  const kill = () => {
    child.kill('SIGTERM');
    last ??= setTimeout(() => child.kill('SIGKILL'), 3_000);
  };
  if (hardTimeoutMs) {
    hard = setTimeout(() => {
      timedOut = true;
      kill();
    }, hardTimeoutMs);
  }
  const done = new Promise<SippResult>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null, spawnError?: Error) => {
      clearTimeout(hard);
      clearTimeout(last);
      running.delete(child);
      releasePorts(base, PORT_BLOCK);
      const errors = readIfExists(files.errorLog);
      resolve({
        code,
        signal,
        timedOut,
        stdout,
        stderr: spawnError ? `${stderr}${spawnError.message}` : stderr,
        args,
        dir,
        ...files,
        messages: parseMessages(readIfExists(files.messageLog)),
        errors,
      });
    };
    child.once('error', (e) => finish(null, null, e));
    child.once('exit', (code, signal) => finish(code, signal));
  });
  return { child, ip, port, mediaPort, args, dir, files, done, kill };
}

/** Runs SIPp to the end (e.g. a UAC placing `calls` calls) and returns how it went; bounded by timeoutMs. */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  const l = await launch(options, { calls: 1, recvTimeoutMs: 10_000 }, options.timeoutMs ?? 20_000);
  return l.done;
}

/**
 * Starts a UAC placing calls at its rate in the background, for as long as the test needs:
 * `finish()` makes SIPp place no new call (SIGUSR1) and exit once its calls have ended, and
 * returns how they went. Bounded by timeoutMs (default 5 minutes) all the same.
 */
export async function startSippCalls(options: SippOptions): Promise<{ finish(): Promise<SippResult> }> {
  const l = await launch(options, { recvTimeoutMs: 10_000 }, options.timeoutMs ?? 300_000);
  return {
    finish: () => {
      l.child.kill('SIGUSR1');
      return l.done;
    },
  };
}

/** Starts an answering SIPp in the background (e.g. scenarios.uasAnswer()) and returns once it listens. */
export async function startSippUas(options: SippOptions): Promise<SippUas> {
  const l = await launch(options, {});
  let exited: SippResult | undefined;
  void l.done.then((r) => (exited = r));
  const deadline = Date.now() + (options.timeoutMs ?? 5_000);
  while (!udpListening(l.ip, l.port)) {
    if (exited) throw new Error(`SIPp UAS exited at start-up (code ${exited.code})\n${exited.stderr}\n${exited.errors}`);
    if (Date.now() > deadline) {
      l.kill();
      await l.done;
      throw new Error(`SIPp UAS did not listen on ${l.ip}:${l.port} within ${options.timeoutMs ?? 5_000} ms`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const messages = () => parseMessages(readIfExists(l.files.messageLog));
  let stopping: Promise<SippResult> | undefined;
  return {
    ip: l.ip,
    port: l.port,
    mediaPort: l.mediaPort,
    address: `${l.ip}:${l.port}`,
    dir: l.dir,
    pid: l.child.pid!,
    messages,
    received: () => messages().filter((m) => m.direction === 'received' && m.method),
    stop: () => (stopping ??= (l.kill(), l.done)),
  };
}

/** A compact account of a run for assertion messages: exit code, errors, the SIP exchange. */
export function sippReport(r: SippResult): string {
  const flow = r.messages.map((m) => `${m.direction === 'sent' ? '->' : '<-'} ${m.firstLine}`).join('\n');
  return [
    `sipp ${r.args.join(' ')}`,
    `exit code ${r.code}${r.signal ? `, signal ${r.signal}` : ''}${r.timedOut ? ' (killed at the harness timeout)' : ''}`,
    `messages:\n${flow || '(none)'}`,
    r.errors.trim() && `errors:\n${r.errors.trim().slice(-4_000)}`,
    r.stderr.trim() && `stderr:\n${r.stderr.trim().slice(-2_000)}`,
  ]
    .filter(Boolean)
    .join('\n');
}

function readIfExists(path: string): string {
  return existsSync(path) ? readFileSync(path, 'latin1') : '';
}

/** Parses SIPp's -trace_msg file ("----- date\nUDP message sent (n bytes):\n\n<message>"). */
export function parseMessages(log: string): SipMessage[] {
  const out: SipMessage[] = [];
  for (const chunk of log.split(/^-{20,} .*$/m)) {
    const head = chunk.match(/^\s*(UDP|TCP|TLS|SCTP) message (sent|received)\b.*\n\n/);
    if (!head) continue;
    const text = chunk.slice(head[0].length).replace(/\s+$/, '');
    const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
    const status = firstLine.match(/^SIP\/2\.0 (\d{3})/);
    const method = firstLine.match(/^([A-Z]+) \S+ SIP\/2\.0/);
    const callId = text.match(/^(?:Call-ID|i):\s*(.+?)\s*$/im);
    out.push({
      direction: head[2] as 'sent' | 'received',
      firstLine,
      ...(method ? { method: method[1] } : {}),
      ...(status ? { status: Number(status[1]) } : {}),
      ...(callId ? { callId: callId[1] } : {}),
      text,
    });
  }
  return out;
}

/** Whether something listens on UDP ip:port (read from /proc/net/udp, without binding). */
function udpListening(ip: string, port: number): boolean {
  const addr = ip
    .split('.')
    .reverse()
    .map((b) => Number(b).toString(16).toUpperCase().padStart(2, '0'))
    .join('');
  const needle = `: ${addr}:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  return readFileSync('/proc/net/udp', 'utf8')
    .split('\n')
    .some((line) => line.includes(needle));
}

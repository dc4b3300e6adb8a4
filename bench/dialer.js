#!/usr/bin/env node
// Benchmark of the live dialer, `callplan dialer run` (part of `npm run bench`, which builds first).
//
//   node bench/dialer.js [--seconds N] [--steps 5x2000,10x1000,...] [--rates 10,20,...] [--sipp-seconds N]
//                        [--state-parent /dev/shm]   (the daemon's SQLite on tmpfs: what fsync costs)
//   node bench/dialer.js --render                    (the markdown again from bench/results/dialer.json)
//
// One project built by callplan: a progressive campaign whose queue holds up to 100 agents, a
// carrier trunk, and a DID into the same queue. Asterisk (the e2e chroot) runs what the build
// wrote; the agents are one SIPp registering every agent's softphone and answering at once; the
// callees are one SIPp behind the trunk (127.0.0.2) that answers at once and hangs up after the
// talk time. The real daemon (`node bin/run.js dialer run`, its own process) dials 8,000 contacts
// pushed into its state before it starts.
//
// 1. The daemon, in steps of rising agents × shorter talk (each --seconds long: the campaign is
//    resumed over the daemon's API, then paused, and every call drained): cycles per second
//    (originates ÷ seconds), and for every originate its outcome compared in three books — the
//    daemon's SQLite (attempts, and the journal's `ended` event), Asterisk (the campaign context's
//    `ended` UserEvent, Newchannel of the Local channel) and SIPp (the callee's and the agents'
//    call counters). A lost event: an attempt without an outcome after the drain, or whose
//    outcome differs from the one Asterisk reported. The daemon's CPU (user + system from
//    /proc/<pid>/stat) per call; the time from an agent becoming ready to the originate for them.
// 2. The same Asterisk with the daemon stopped, driven by SIPp alone: the carrier calls the DID
//    at rising rates; Asterisk puts each call into the same queue, whose agents (all of them,
//    with the shortest talk time) take it. A cycle counts when an agent took it within 2 s
//    (AgentConnect) and SIPp saw no failure.
// Reported: the highest rate each sustained with nothing lost and no call failed, and their
// ratio (daemon / SIPp alone) in the same run. Needs root, SIPp and the Asterisk chroot (bash
// test/e2e/install.sh); without them it says so and writes nothing. Reports, never asserts.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { harness } from './lib/harness.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = join(benchDir, '..');
const resultsDir = join(benchDir, 'results');
const cli = join(repo, 'bin/run.js');
const log = (...a) => console.error('[bench:dialer]', ...a);
const dist = (f) => import(pathToFileURL(join(repo, 'dist', f)).href);

const argv = process.argv.slice(2);
const argOf = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SECONDS = Number(argOf('--seconds') ?? 10);
/** Daemon steps: agents × talk time (ms). */
const STEPS = (argOf('--steps') ?? '5x2000,10x1000,20x1000,40x500,70x500,100x500,100x250').split(',').map((s) => {
  const [agents, talkMs] = s.split('x').map(Number);
  return { agents, talkMs };
});
const AGENTS = Math.max(...STEPS.map((s) => s.agents));
const SIPP_TALK_MS = Math.min(...STEPS.map((s) => s.talkMs));
const SIPP_RATES = (argOf('--rates') ?? '10,20,40,60,80,100,130,160,200,250').split(',').map(Number);
const SIPP_SECONDS = Number(argOf('--sipp-seconds') ?? 6);
const CONTACTS = 8_000;
const CONNECT_WITHIN_S = 2;
const MAX_FAILED = 0.001;
const CACHE = process.env.CALLPLAN_E2E_CACHE ?? '/var/cache/callplan-e2e';
const CHROOT = `${CACHE}/sid`;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const CARRIER_IP = '127.0.0.2';
const DID = '+48221000100';
const ENV = { CALLPLAN_DEVICE_MASTER: 'bench-master-3kJ9vQ2xLm8Rt5Zp7Wc4Yb6Nd1Hs0Fg' };
const TOKEN = 'bench-dialer-api-token-0123456789abcdef';
const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const quantile = (xs, q) => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};

// ---------------------------------------------------------------- prerequisites
function missing() {
  const out = [];
  if (process.getuid?.() !== 0) out.push('root');
  if (spawnSync('sipp', ['-v'], { encoding: 'utf8' }).error) out.push('sipp');
  if (!existsSync(`${CHROOT}/.callplan-e2e-complete`)) out.push(`the Asterisk chroot (${CHROOT})`);
  if (!existsSync(join(repo, 'dist/dialer/daemon/run.js'))) out.push('a build (npm run build)');
  return out;
}

function ensureProc() {
  if (existsSync(`${CHROOT}/proc/self`)) return;
  spawnSync('flock', ['-w', '30', `${CACHE}/proc.lock`, 'sh', '-c', 'mountpoint -q "$1" || mount -t proc proc "$1"', 'sh', `${CHROOT}/proc`], { timeout: 40_000 });
}

// ---------------------------------------------------------------- ports
// The e2e harness's own locks (test/e2e/harness/ports.ts), so a bench never takes ports a test holds.
const { reservePorts, releasePorts } = await harness('ports');
/** The carrier calling the DID: answered by the queue, held, hung up (the e2e harness's call). */
const { uacCall } = await harness('scenarios');
const PORT_COUNT = 14;
let reserved;

// ---------------------------------------------------------------- the project
const agentIds = Array.from({ length: AGENTS }, (_, i) => String(2001 + i));

function project(p) {
  return `version: 1
name: dialer-bench
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${p.sip}, ami_port: ${p.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  office: { timezone: UTC, hours: { mon-sun: "00:00-24:00" } }
trunks:
  carrier: { auth: ip, host: ${CARRIER_IP}, port: ${p.callee}, addresses: [${CARRIER_IP}] }
users:
${agentIds.map((id) => `  - { extension: "${id}", name: Agent ${id}, site: office, devices: [{ type: softphone, name: desk }] }`).join('\n')}
queues:
  bench:
    members: { primary: [${agentIds.map((id) => `user:${id}`).join(', ')}] }
    wrapup: 0
    ring_timeout: 5
    max_wait: ${CONNECT_WITHIN_S}
inbound:
  - { name: bench, did: "${DID}", to: queue:bench }
outbound:
  routes:
    world: { patterns: ["_00X."], trunks: [carrier], strip: 2, prepend: "+" }
  classes:
    dialer: [world]
campaigns:
  bench:
    mode: progressive
    queue: queue:bench
    outbound_class: dialer
    contacts: { source: api, numbers: [phone] }
    window: { from: "00:00", to: "23:59", days: mon-sun, override: "benchmark: calls SIPp on loopback at any hour" }
    progressive: { read_time: 0 }
    amd: { enabled: false }
`;
}

async function build(yaml) {
  const { checkProject } = await dist('project/check.js');
  const { buildFiles } = await dist('project/build.js');
  const dir = mkdtempSync(join(tmpdir(), 'callplan-bench-dialer-'));
  writeFileSync(join(dir, 'callplan.yaml'), yaml);
  const { model, diagnostics } = checkProject(dir, { env: ENV });
  rmSync(dir, { recursive: true, force: true });
  if (!model) throw new Error(`bench project is invalid: ${diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('; ')}`);
  return buildFiles(model, { get: (ref) => ENV[ref.name] });
}

function writeTree(root, files) {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

// ---------------------------------------------------------------- processes
const children = [];
const INSTANCES = '/run/callplan-bench-dialer';

function track(child, stop, dir) {
  const c = { child, stop, dir };
  children.push(c);
  return c;
}

async function startAsterisk(files, rtpBase) {
  const inChroot = `${INSTANCES}/ast-${process.pid}`;
  const dir = `${CHROOT}${inChroot}`;
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['etc', 'run', 'log', 'spool', 'lib', 'cache']) mkdirSync(`${dir}/${sub}`, { recursive: true });
  writeTree(`${dir}/etc`, {
    ...files,
    'asterisk.conf': `[directories]\nastetcdir => ${inChroot}/etc\nastrundir => ${inChroot}/run\nastlogdir => ${inChroot}/log\nastspooldir => ${inChroot}/spool\nastdbdir => ${inChroot}/lib\nastcachedir => ${inChroot}/cache\n\n[options]\nrunuser = root\nrungroup = root\nnocolor = yes\nhideconnect = yes\n`,
    'logger.conf': '[general]\n[logfiles]\n',
    'modules.conf': `[modules]\nautoload = yes\n${NOLOAD.map((m) => `noload => ${m}\n`).join('')}`,
    'rtp.conf': `[general]\nrtpstart=${rtpBase}\nrtpend=${rtpBase + 1999}\n`,
  });
  const conf = `${inChroot}/etc/asterisk.conf`;
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'chroot', CHROOT, 'asterisk', '-C', conf, '-f', '-n'], { stdio: 'ignore' });
  track(child, () => spawnSync('chroot', [CHROOT, 'asterisk', '-C', conf, '-rx', 'core stop now'], { timeout: 5000 }), dir);
  const rx = (command) => spawnSync('chroot', [CHROOT, 'asterisk', '-C', conf, '-rx', command], { encoding: 'utf8', timeout: 30_000 }).stdout ?? '';
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (existsSync(`${dir}/run/asterisk.ctl`) && /fully booted/i.test(rx('core waitfullybooted'))) break;
    if (Date.now() > deadline) throw new Error('Asterisk did not boot');
    await sleep(50);
  }
  if (!/app_queue\.so\s.*\sRunning/.test(rx('module show like app_queue.so'))) throw new Error('app_queue.so is not running in Asterisk');
  return { rx, pid: child.pid };
}

/** A SIPp in the background; `stats()` reads its cumulative counters (-trace_stat, written every second). */
function startSipp(name, work, args) {
  const dir = mkdtempSync(join(work, `${name}-`));
  const stat = join(dir, 'stat.csv');
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'sipp', ...args, '-nostdin', '-aa', '-trace_stat', '-stf', stat, '-fd', '1', '-trace_err', '-error_file', join(dir, 'errors.log'), ...(process.env.CALLPLAN_BENCH_TRACE ? ['-trace_msg', '-message_file', join(dir, 'messages.log')] : [])], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  const stop = async () => {
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(t);
  };
  track(child, () => child.kill('SIGKILL'), dir);
  return { child, stop, exited, stderr: () => stderr, stats: () => sippStats(stat) };
}

function sippStats(file) {
  if (!existsSync(file)) return undefined;
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  if (lines.length < 2) return undefined;
  const head = lines[0].split(';');
  const last = lines[lines.length - 1].split(';');
  const get = (k) => Number(last[head.indexOf(k)]);
  return { created: get('TotalCallCreated'), current: get('CurrentCall'), successful: get('SuccessfulCall(C)'), failed: get('FailedCall(C)') };
}

const udpListening = (ip, port) => {
  const addr = ip.split('.').reverse().map((b) => Number(b).toString(16).toUpperCase().padStart(2, '0')).join('');
  const needle = `: ${addr}:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  return readFileSync('/proc/net/udp', 'utf8').split('\n').some((l) => l.includes(needle));
};
async function listening(ip, port, what) {
  for (const deadline = Date.now() + 5000; !udpListening(ip, port); await sleep(20)) if (Date.now() > deadline) throw new Error(`${what} did not listen on ${ip}:${port}`);
}

/** User + system CPU seconds of one process. */
function cpuSeconds(pid) {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) / CLK_TCK;
}

// ---------------------------------------------------------------- SIPp scenarios
const HEAD = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n';
const SDP = `v=0
      o=- 53655765 2353687637 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 8 0 101
      a=rtpmap:8 PCMA/8000
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=sendrecv`;
const REPLY = (status, extra = '') => `  <send>
    <![CDATA[
      SIP/2.0 ${status}
      [last_Via:]
      [last_From:]
      [last_To:]${extra}
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
`;
const OK_SDP = `  <send retrans="500">
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      [last_Record-Route:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      ${SDP}
    ]]>
  </send>
`;

/** The callees: answer at once, hang up after talkMs (or take the other side's BYE). */
const calleeScenario = (talkMs) => `${HEAD}<scenario name="callee answers, talks, hangs up">
  <recv request="INVITE" rrs="true">
    <action>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="local"/>
      <ereg regexp="sip:[^>;]*" search_in="hdr" header="Contact:" assign_to="contact"/>
    </action>
  </recv>
${REPLY('100 Trying')}${OK_SDP}  <recv request="ACK" crlf="true"/>
  <recv request="BYE" timeout="${talkMs}" ontimeout="hang-up" next="bye-ok"/>
  <label id="hang-up"/>
  <send retrans="500">
    <![CDATA[
      BYE [$contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$local];tag=[pid]SIPpTag01[call_number]
      To: [$remote]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" next="end"/>
  <label id="bye-ok"/>
${REPLY('200 OK')}  <label id="end"/>
</scenario>
`;

/** The agents' phones: register every device of the injection file, then stay registered. */
const REGISTER = (() => {
  const request = (cseq, auth) => `  <send retrans="500">
    <![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[field0]@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[field0]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: ${cseq} REGISTER
      Contact: <sip:[field0]@[local_ip]:[local_port]>
${auth ? '      [field1]\n' : ''}      Expires: 3600
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
`;
  return `${HEAD}<scenario name="register">
${request(1, false)}  <recv response="401" auth="true"/>
${request(2, true)}  <recv response="200"/>
  <pause milliseconds="3600000"/>
</scenario>
`;
})();

/** An agent's phone answering at once (out-of-call scenario), until the callee's side hangs up. */
const AGENT_ANSWERS = `${HEAD}<scenario name="agent answers">
  <recv request="INVITE" rrs="true"/>
${REPLY('100 Trying')}${OK_SDP}  <recv request="ACK" crlf="true"/>
  <nop><action><log message="answered [call_id]"/></action></nop>
  <recv request="BYE"/>
${REPLY('200 OK')}  <nop><action><log message="ended [call_id]"/></action></nop>
</scenario>
`;


// ---------------------------------------------------------------- Asterisk's books (a manager session of the bench)
/**
 * Events as Asterisk stamped them (manager.conf timestampevents, set for the bench): agents'
 * readiness, the Local channels the daemon's originates create, the campaign context's user
 * events and the queue's AgentConnect.
 */
class AsteriskBook {
  constructor() {
    this.ready = new Map(); // agent → { status, paused, ready }
    this.transitions = new Map(); // agent → [{ at, ready }] in Asterisk's order
    this.originates = []; // { at, number }
    this.userEvents = new Map(); // attempt → { answered, connected, ended: outcome }
    this.agentConnects = [];
    this.latencies = []; // { number, readyAt, originateAt }
  }

  onEvent(e) {
    const at = Number(e.Timestamp) * 1000;
    const agent = /^Local\/(\d+)@/.exec(e.Interface ?? '')?.[1];
    if ((e.Event === 'QueueMemberStatus' || e.Event === 'QueueMemberPause') && e.Queue === 'bench' && agent) {
      const a = this.ready.get(agent) ?? { status: 0, paused: true, ready: false };
      if (e.Status !== undefined) a.status = Number(e.Status);
      if (e.Paused !== undefined) a.paused = e.Paused === '1';
      const ready = !a.paused && a.status === 1;
      if (ready !== a.ready) {
        const list = this.transitions.get(agent) ?? [];
        list.push({ at, ready, receivedAt: Date.now() });
        this.transitions.set(agent, list);
      }
      a.ready = ready;
      this.ready.set(agent, a);
    } else if (e.Event === 'Newchannel' && e.Context === 'cp-dialer-bench-out' && /;1$/.test(e.Channel ?? '')) {
      this.originates.push({ at, number: e.Exten });
    } else if (e.Event === 'UserEvent' && e.UserEvent === 'CallplanDialer' && e.Attempt) {
      const u = this.userEvents.get(e.Attempt) ?? {};
      if (e.Phase === 'ended') u.ended = e.Outcome;
      else u[e.Phase] = true;
      this.userEvents.set(e.Attempt, u);
    } else if (e.Event === 'AgentConnect' && e.Queue === 'bench') {
      this.agentConnects.push({ at, holdSeconds: Number(e.HoldTime) });
    }
  }

  /** The event in which `agent` last became ready before `at`, if still ready at `at` as Asterisk reported it. */
  readyBefore(agent, at) {
    let last;
    for (const t of this.transitions.get(agent) ?? []) {
      if (t.at > at) break;
      last = t;
    }
    return last?.ready ? last : undefined;
  }
}

// ---------------------------------------------------------------- the daemon
const originateHook = pathToFileURL(join(benchDir, 'originate-times.js')).href;

function startDaemon(build, stateDir, apiPort, work) {
  const logFile = join(work, 'daemon.log');
  const originateLog = join(work, 'originates.log');
  const child = spawn(process.execPath, ['--import', originateHook, cli, 'dialer', 'run', build, '--state', stateDir, '--api-port', String(apiPort)], {
    env: { ...process.env, ...ENV, CALLPLAN_DIALER_API_TOKEN: TOKEN, CALLPLAN_BENCH_ORIGINATE_LOG: originateLog },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => {
    stderr += c;
    if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
  });
  const exited = new Promise((r) => child.once('exit', (code, signal) => r({ code, signal })));
  track(child, () => child.kill('SIGKILL'), undefined);
  return {
    pid: child.pid,
    log: () => stderr,
    /** When each Originate was written to the manager's socket, by attempt id (after stop()). */
    originatesSent: () => new Map((existsSync(originateLog) ? readFileSync(originateLog, 'utf8') : '').split('\n').filter(Boolean).map((l) => l.split(' ')).map(([id, ms]) => [id, Number(ms)])),
    async dialing() {
      for (const deadline = Date.now() + 30_000; !/dialing \d+ campaign/.test(stderr); await sleep(50)) if (Date.now() > deadline) throw new Error(`the daemon did not start:\n${stderr}`);
    },
    async stop() {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const end = await exited;
      clearTimeout(t);
      writeFileSync(logFile, stderr);
      return end;
    },
  };
}

async function api(port, method, path) {
  const r = await fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { authorization: `Bearer ${TOKEN}` } });
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
  return r.text();
}

// ---------------------------------------------------------------- the run
async function main() {
  if (argv.includes('--render')) {
    // Only the markdown again, from the last results (after a change to this report).
    writeFileSync(join(resultsDir, 'dialer.md'), markdown(JSON.parse(readFileSync(join(resultsDir, 'dialer.json'), 'utf8'))));
    return;
  }
  const absent = missing();
  if (absent.length) {
    log(`skipped: needs ${absent.join(', ')} (bash test/e2e/install.sh as root, npm run build)`);
    return;
  }
  ensureProc();
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'callplan-bench-dialer-run-'));
  process.on('exit', stopAll);
  process.on('SIGINT', () => process.exit(130));
  const { default: Database } = await import('better-sqlite3');
  try {
    const base = await reservePorts(PORT_COUNT);
    reserved = base;
    const ports = { sip: base, ami: base + 1, api: base + 2, callee: base + 4, calleeMedia: base + 6, bank: base + 8, bankMedia: base + 10, carrier: base + 12 };
    const files = await build(project(ports));
    const asteriskFiles = Object.fromEntries([...files].filter(([f]) => f.startsWith('asterisk/')).map(([f, c]) => [f.slice('asterisk/'.length), c]));
    // Events stamped by Asterisk itself: readiness and originates are timed on one clock.
    asteriskFiles['manager.conf'] = asteriskFiles['manager.conf'].replace(/^\[general\]\n/m, '[general]\ntimestampevents = yes\n');
    const ast = await startAsterisk(asteriskFiles, 43_000);
    log(`Asterisk up (${AGENTS} agents, ports from ${base})`);

    // The bench's own manager session (the dialer's user: it reads call, agent and user events and may QueuePause).
    const { connectAmi } = await dist('provision/ami.js');
    const { derivedSecret } = await dist('secrets/resolve.js');
    const book = new AsteriskBook();
    const ami = await connectAmi({ host: '127.0.0.1', port: ports.ami, username: 'callplan-dialer', secret: derivedSecret(ENV.CALLPLAN_DEVICE_MASTER, 'ami:callplan-dialer'), timeoutMs: 10_000, onEvent: (e) => book.onEvent(e) });
    const pause = async (agents, paused) => {
      for (const a of agents) await ami.action({ Action: 'QueuePause', Queue: 'bench', Interface: `Local/${a}@cp-queue-members/n`, Paused: paused ? 'true' : 'false', ...(paused && { Reason: 'break' }) });
    };
    await pause(agentIds, true);

    // The agents: one SIPp registering every softphone, answering at once.
    const pjsip = asteriskFiles['pjsip.conf'];
    const password = (device) => new RegExp(`\\[${device}-auth\\]\\ntype = auth\\nauth_type = userpass\\nusername = ${device}\\npassword = (\\S+)`).exec(pjsip)[1];
    const inf = join(work, 'agents.csv');
    writeFileSync(inf, `SEQUENTIAL\n${agentIds.map((a) => `${a}-desk;[authentication username=${a}-desk password=${password(`${a}-desk`)}]`).join('\n')}\n`);
    writeFileSync(join(work, 'register.xml'), REGISTER);
    writeFileSync(join(work, 'agent.xml'), AGENT_ANSWERS);
    // SIPp's counters leave out-of-call scenarios out: the agents' scenario logs each call it answered and ended.
    const bankLog = join(work, 'agents-calls.log');
    const bankCalls = () => {
      const text = existsSync(bankLog) ? readFileSync(bankLog, 'utf8') : '';
      return { created: (text.match(/^answered /gm) ?? []).length, successful: (text.match(/^ended /gm) ?? []).length, failed: 0 };
    };
    const bank = startSipp('agents', work, ['-trace_logs', '-log_file', bankLog, '-sf', join(work, 'register.xml'), '-inf', inf, '-oocsf', join(work, 'agent.xml'), '-i', '127.0.0.1', '-mi', '127.0.0.1', '-p', String(ports.bank), '-mp', String(ports.bankMedia), '-m', String(AGENTS), '-l', String(AGENTS + 10), '-r', '200', `127.0.0.1:${ports.sip}`]);
    for (const deadline = Date.now() + 20_000; ; await sleep(200)) {
      const out = ast.rx('database show registrar/contact');
      const registered = agentIds.filter((a) => out.includes(`/registrar/contact/${a}-desk;`)).length;
      if (registered === AGENTS) break;
      if (Date.now() > deadline) throw new Error(`agents did not register (${registered}/${AGENTS}): ${bank.stderr()}`);
    }

    // Contacts, pushed into the daemon's state before it starts (as `dialer load` or the API would).
    const build_ = join(work, 'build');
    mkdirSync(join(build_, 'dialer'), { recursive: true });
    writeFileSync(join(build_, 'dialer/campaigns.json'), files.get('dialer/campaigns.json'));
    // --state-parent /dev/shm: the daemon's SQLite on tmpfs (fsync costs nothing), to see what durability costs.
    const stateParent = argOf('--state-parent') ? mkdtempSync(join(argOf('--state-parent'), 'callplan-bench-dialer-state-')) : work;
    if (stateParent !== work) children.push({ child: { exitCode: 0 }, stop: () => rmSync(stateParent, { recursive: true, force: true }) });
    const stateDir = join(stateParent, 'state');
    const { parseCampaignsFile } = await dist('dialer/campaigns-file.js');
    const { openDialerState } = await dist('dialer/runtime/open.js');
    const state = openDialerState(stateDir, parseCampaignsFile(files.get('dialer/campaigns.json'), 'campaigns.json').campaigns.map((c) => c.settings));
    const rt = state.runtimes.get('bench');
    rt.setPaused(true);
    state.store.transaction(() => {
      for (let i = 0; i < CONTACTS; i++) rt.pushTask({ id: `B-${i}`, priority: 0, name: `Contact ${i}`, numbers: [{ number: `48221${String(100_000 + i)}`, type: 'mobile' }], fields: { case: `C-${i}` } });
    });
    state.close();
    const db = new Database(join(stateDir, 'dialer.sqlite'), { readonly: true, fileMustExist: true });

    // ---------------- 1. the daemon
    const daemon = startDaemon(build_, stateDir, ports.api, work);
    await daemon.dialing();
    log(`daemon up (pid ${daemon.pid}); ${CONTACTS} contacts`);
    await sleep(1000);
    const idle0 = cpuSeconds(daemon.pid);
    const idleT0 = Date.now();
    await sleep(3000);
    const daemonIdle = (cpuSeconds(daemon.pid) - idle0) / ((Date.now() - idleT0) / 1000);

    const steps = [];
    let unpaused = 0;
    let lastRowid = 0;
    let callee;
    let calleeTalk;
    let flat = 0;
    for (const s of STEPS) {
      if (calleeTalk !== s.talkMs) {
        await callee?.stop();
        writeFileSync(join(work, `callee-${s.talkMs}.xml`), calleeScenario(s.talkMs));
        callee = startSipp(`callee-${s.talkMs}`, work, ['-sf', join(work, `callee-${s.talkMs}.xml`), '-i', CARRIER_IP, '-mi', CARRIER_IP, '-p', String(ports.callee), '-mp', String(ports.calleeMedia)]);
        await listening(CARRIER_IP, ports.callee, 'the callee SIPp');
        calleeTalk = s.talkMs;
        await sleep(1100);
      }
      if (s.agents > unpaused) await pause(agentIds.slice(unpaused, s.agents), false);
      unpaused = Math.max(unpaused, s.agents);
      await sleep(300);
      const calleeBefore = callee.stats();
      const bankBefore = bankCalls();
      const originatesBefore = book.originates.length;
      const cpu0 = cpuSeconds(daemon.pid);
      const t0 = Date.now();
      await api(ports.api, 'POST', '/v1/campaigns/bench/resume');
      await sleep(SECONDS * 1000);
      await api(ports.api, 'POST', '/v1/campaigns/bench/pause');
      const t1 = Date.now();
      // Drain: every attempt of the step ended in the daemon's books (bounded), SIPp's counters settled.
      let open = 0;
      for (const deadline = Date.now() + 20_000; ; await sleep(200)) {
        open = db.prepare('SELECT count(*) AS n FROM attempts WHERE rowid > ? AND outcome IS NULL').get(lastRowid).n;
        if (open === 0 || Date.now() > deadline) break;
      }
      const cpu1 = cpuSeconds(daemon.pid);
      const tDrained = Date.now();
      await sleep(1500);
      const rows = db.prepare('SELECT rowid, id, number, agent, planned_at, outcome, talk_agent FROM attempts WHERE rowid > ? ORDER BY rowid').all(lastRowid);
      lastRowid = rows.length ? rows[rows.length - 1].rowid : lastRowid;
      const journalEnded = rows.length ? db.prepare(`SELECT count(DISTINCT attempt) AS n FROM events WHERE type = 'ended' AND attempt IN (${rows.map(() => '?').join(',')})`).get(...rows.map((r) => r.id)).n : 0;
      const result = stepResult(s, rows, journalEnded, book, originatesBefore, { samples: [], t0, t1, tDrained, cpu: cpu1 - cpu0, idle: daemonIdle, callee: diff(callee.stats(), calleeBefore), agents: diff(bankCalls(), bankBefore) });
      steps.push(result);
      log(`daemon, ${s.agents} agents × ${s.talkMs} ms: ${result.originates} originates, ${result.rate}/s, ${result.connected} connected, ${result.lost} lost, ${result.failedCalls} not connected, CPU ${result.cpuMsPerCall} ms/call, ready→originate median ${result.readyToOriginateMs.median} p99 ${result.readyToOriginateMs.p99} ms`);
      // A lost event ends the climb; calls not put through (Asterisk or the agents too slow) only past 1 %.
      if (result.lost > 0 || result.failedCalls / Math.max(1, result.originates) >= 0.01) break;
      // The rate stopped rising: two steps in a row without 5 % more than the best before them.
      flat = result.rate < Math.max(0, ...steps.slice(0, -1).map((x) => x.rate)) * 1.05 ? flat + 1 : 0;
      if (flat >= 2) break;
      if (Date.now() - started > 170_000) {
        log('time budget reached: the daemon steps stop here');
        break;
      }
    }
    const end = await daemon.stop();
    await callee?.stop();
    log(`daemon stopped (${end.signal ?? `exit ${end.code}`})`);
    // The daemon's share and Asterisk's: decided → Originate written (the attempt's SQLite commit, the originates before it in the same tick), written → Newchannel.
    const sentAt = daemon.originatesSent();
    for (const s of steps) {
      const toSent = [];
      const toChannel = [];
      for (const x of s.samples) {
        const at = sentAt.get(x.id);
        if (at === undefined) continue;
        toSent.push(at - x.plannedAt);
        toChannel.push(x.newchannelAt - at);
      }
      s.decidedToSentMs = { median: round(quantile(toSent, 0.5), 1), p99: round(quantile(toSent, 0.99), 1) };
      s.sentToNewchannelMs = { median: round(quantile(toChannel, 0.5), 1), p99: round(quantile(toChannel, 0.99), 1) };
      delete s.samples;
    }

    // ---------------- 2. SIPp alone, through the same Asterisk to the same agents
    await pause(agentIds, false);
    writeFileSync(join(work, `callee-${SIPP_TALK_MS}.xml`), calleeScenario(SIPP_TALK_MS));
    const holdMs = SIPP_TALK_MS; // the queue does not answer: the 200 comes from the agent
    writeFileSync(join(work, 'carrier.xml'), uacCall({ from: 'carrier', holdMs }));
    const sippSteps = [];
    for (const rate of SIPP_RATES) {
      if (Date.now() - started > 270_000) {
        log('time budget reached: SIPp alone stops here');
        break;
      }
      await sleep(1500);
      const connectsBefore = book.agentConnects.length;
      const bankBefore = bankCalls();
      const calls = rate * SIPP_SECONDS;
      const uac = startSipp(`carrier-${rate}`, work, ['-sf', join(work, 'carrier.xml'), '-s', DID, '-i', CARRIER_IP, '-mi', CARRIER_IP, '-p', String(ports.carrier), '-mp', String(ports.calleeMedia), '-r', String(rate), '-m', String(calls), '-l', String(Math.max(50, rate * 10)), '-recv_timeout', '10000', `127.0.0.1:${ports.sip}`]);
      const t0 = Date.now();
      const deadline = setTimeout(() => uac.child.kill('SIGTERM'), (SIPP_SECONDS + 30) * 1000);
      await uac.exited;
      clearTimeout(deadline);
      const seconds = (Date.now() - t0) / 1000;
      await sleep(1200);
      const sipp = uac.stats() ?? { created: 0, successful: 0, failed: calls };
      const connects = book.agentConnects.slice(connectsBefore);
      const inTime = connects.filter((c) => c.holdSeconds <= CONNECT_WITHIN_S).length;
      const failed = Math.max(sipp.failed, calls - inTime);
      const step = { rate, calls, seconds: round(seconds, 1), sippSuccessful: sipp.successful, sippFailed: sipp.failed, agentConnects: connects.length, connectedWithin2s: inTime, agentsAnswered: diff(bankCalls(), bankBefore).successful, failed, failedShare: round(failed / calls, 4) };
      sippSteps.push(step);
      log(`SIPp alone, ${rate}/s: ${sipp.successful} ok, ${sipp.failed} failed in SIPp, ${inTime}/${calls} put through to an agent within ${CONNECT_WITHIN_S} s`);
      if (failed / calls >= 0.01) break;
    }

    const sustainedDaemon = steps.filter((s) => s.lost === 0 && s.failedCalls / Math.max(1, s.originates) < MAX_FAILED).reduce((a, s) => (a && a.rate >= s.rate ? a : s), undefined);
    const sustainedSipp = sippSteps.filter((s) => s.failed / s.calls < MAX_FAILED).reduce((a, s) => (a && a.rate >= s.rate ? a : s), undefined);
    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg().map((x) => round(x, 2)).join(' ')}`,
      asterisk: ast.rx('core show version').trim(),
      stepSeconds: SECONDS,
      sippStepSeconds: SIPP_SECONDS,
      maxFailedShare: MAX_FAILED,
      daemonIdleCpuPercent: round(daemonIdle * 100, 2),
      daemon: { steps, sustained: sustainedDaemon ? { rate: sustainedDaemon.rate, agents: sustainedDaemon.agents, talkMs: sustainedDaemon.talkMs, cpuMsPerCall: sustainedDaemon.cpuMsPerCall } : null },
      sippAlone: { talkMs: SIPP_TALK_MS, agents: AGENTS, steps: sippSteps, sustained: sustainedSipp?.rate ?? null },
      ratio: sustainedDaemon && sustainedSipp ? round(sustainedDaemon.rate / sustainedSipp.rate, 2) : null,
      seconds: round((Date.now() - started) / 1000, 0),
    };
    await ami.close();
    db.close();
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'dialer.json'), `${JSON.stringify(result, null, 2)}\n`);
    const md = markdown(result);
    writeFileSync(join(resultsDir, 'dialer.md'), md);
    console.log(md);
  } finally {
    stopAll();
    if (!process.env.CALLPLAN_BENCH_KEEP) rmSync(work, { recursive: true, force: true });
    else log(`kept ${work}`);
  }
}

const diff = (after, before) => ({ created: (after?.created ?? 0) - (before?.created ?? 0), successful: (after?.successful ?? 0) - (before?.successful ?? 0), failed: (after?.failed ?? 0) - (before?.failed ?? 0) });

/** One daemon step, its three books compared. */
function stepResult(s, rows, journalEnded, book, originatesBefore, m) {
  const byNumber = new Map(rows.map((r) => [r.number, r]));
  const originates = book.originates.slice(originatesBefore).filter((o) => byNumber.has(o.number));
  const outcomes = {};
  for (const r of rows) outcomes[r.outcome ?? 'none'] = (outcomes[r.outcome ?? 'none'] ?? 0) + 1;
  // Lost: no outcome after the drain, or another outcome than the one Asterisk reported for the answered call.
  const unfinished = rows.filter((r) => r.outcome === null).length;
  const differing = rows.filter((r) => {
    const u = book.userEvents.get(r.id);
    return r.outcome !== null && (u?.ended ? u.ended !== r.outcome : r.outcome === 'connected');
  }).length;
  const asteriskEnded = rows.filter((r) => book.userEvents.get(r.id)?.ended !== undefined).length;
  const asteriskConnected = rows.filter((r) => book.userEvents.get(r.id)?.ended === 'connected').length;
  // Ready → originate: for each originate Asterisk saw, the agent's readiness as Asterisk reported it just before.
  const total = [];
  const toPlanned = [];
  const delivery = [];
  for (const o of originates) {
    const r = byNumber.get(o.number);
    const ready = r.agent ? book.readyBefore(r.agent, o.at) : undefined;
    // The first call of each agent in a step follows the campaign's resume, not the agent becoming ready.
    if (ready === undefined || ready.at < m.t0) continue;
    total.push(o.at - ready.at);
    m.samples.push({ id: r.id, readyAt: ready.at, plannedAt: r.planned_at, newchannelAt: o.at });
    toPlanned.push(r.planned_at - ready.at);
    delivery.push(ready.receivedAt - ready.at);
  }
  const connected = outcomes.connected ?? 0;
  const seconds = (m.t1 - m.t0) / 1000;
  return {
    agents: s.agents,
    talkMs: s.talkMs,
    seconds: round(seconds, 2),
    originates: rows.length,
    rate: round(rows.length / seconds, 1),
    connected,
    outcomes,
    lost: unfinished + differing,
    unfinished,
    differing,
    failedCalls: rows.length - connected,
    books: {
      daemon: { attempts: rows.length, ended: rows.length - unfinished, journalEnded, connected },
      asterisk: { originated: originates.length, endedEvents: asteriskEnded, connected: asteriskConnected },
      sipp: { calleeCalls: m.callee.created, calleeSuccessful: m.callee.successful, calleeFailed: m.callee.failed, agentCalls: m.agents.created, agentSuccessful: m.agents.successful, agentFailed: m.agents.failed },
    },
    cpuSeconds: round(m.cpu, 3),
    cpuMsPerCall: rows.length ? round((m.cpu * 1000) / rows.length, 2) : null,
    cpuMsPerCallLessIdle: rows.length ? round((Math.max(0, m.cpu - m.idle * ((m.tDrained - m.t0) / 1000)) * 1000) / rows.length, 2) : null,
    samples: m.samples,
    readyToOriginateMs: { samples: total.length, median: round(quantile(total, 0.5), 1), p99: round(quantile(total, 0.99), 1), max: round(Math.max(...total, 0), 1) },
    readyToPlannedMs: { median: round(quantile(toPlanned, 0.5), 1), p99: round(quantile(toPlanned, 0.99), 1) },
    // How late the same event reached the bench's own manager session: Asterisk's and the machine's share of the delay.
    readyEventDeliveryMs: { median: round(quantile(delivery, 0.5), 1), p99: round(quantile(delivery, 0.99), 1) },
  };
}

function markdown(r) {
  const L = ['# Dialer daemon benchmark', ''];
  L.push(`${r.date}, ${r.machine}. ${r.asterisk.split(' built by')[0]}. Asterisk, both SIPp, the daemon and the bench share these 2 cores with other work (see the load): absolute numbers are noisy from run to run; the ratio, measured minutes apart in one run, less so.`, '');
  L.push(`A progressive campaign: callees (SIPp behind the trunk) answer at once and hang up after the talk time; agents (one SIPp, every softphone registered) answer at once. ${r.stepSeconds} s per step; the campaign is resumed and paused over the daemon's API and every call drained before counting. Sustained = the highest rate with no lost event and fewer than ${r.maxFailedShare * 100} % of calls not put through to an agent.`, '');
  const d = r.daemon.sustained;
  L.push('| | sustained cycles/s |', '|---|---:|');
  L.push(`| \`callplan dialer run\`: originate → callee answers → agent → hang up | ${d ? `${d.rate} (${d.agents} agents × ${d.talkMs} ms)` : 'none'} |`);
  L.push(`| SIPp alone: carrier → the same Asterisk → the campaign's queue → the same agents (${r.sippAlone.agents} × ${r.sippAlone.talkMs} ms) | ${r.sippAlone.sustained ?? 'none'} |`, '');
  L.push(`Ratio daemon / SIPp alone: **${r.ratio ?? 'n/a'}**. Daemon CPU per call at its sustained rate: **${d?.cpuMsPerCall ?? 'n/a'} ms** (user + system of its process over the step and its drain ÷ originates; idle, with the campaign paused, it uses ${r.daemonIdleCpuPercent} % of a core).`, '');
  L.push('| agents × talk | originates | cycles/s | outcomes | lost | connected: daemon / Asterisk / callee SIPp / agents SIPp | CPU ms/call (less idle) | ready → originate ms, median / p99 | of which: ready → decided | decided → Originate sent | sent → Newchannel | ready event → an AMI client |', '|---|---:|---:|---|---:|---|---:|---:|---:|---:|---:|---:|');
  for (const s of r.daemon.steps) {
    const b = s.books;
    const outcomes = Object.entries(s.outcomes).map(([k, v]) => `${v} ${k}`).join(', ');
    L.push(`| ${s.agents} × ${s.talkMs} ms | ${s.originates} | ${s.rate} | ${outcomes} | ${s.lost} | ${b.daemon.connected} / ${b.asterisk.connected} / ${b.sipp.calleeSuccessful} / ${b.sipp.agentSuccessful} | ${s.cpuMsPerCall} (${s.cpuMsPerCallLessIdle}) | ${s.readyToOriginateMs.median} / ${s.readyToOriginateMs.p99} | ${s.readyToPlannedMs.median} / ${s.readyToPlannedMs.p99} | ${s.decidedToSentMs?.median} / ${s.decidedToSentMs?.p99} | ${s.sentToNewchannelMs?.median} / ${s.sentToNewchannelMs?.p99} | ${s.readyEventDeliveryMs.median} / ${s.readyEventDeliveryMs.p99} |`);
  }
  L.push('', '| SIPp alone: offered calls/s | calls | SIPp ok / failed | put through to an agent within 2 s |', '|---:|---:|---:|---:|');
  for (const s of r.sippAlone.steps) L.push(`| ${s.rate} | ${s.calls} | ${s.sippSuccessful} / ${s.sippFailed} | ${s.connectedWithin2s} |`);
  L.push(
    '',
    '- **Lost event**: an originate whose attempt has no outcome in the daemon\'s SQLite after the drain, or an outcome other than the one Asterisk reported for it (the campaign context\'s `ended` user event). The books compared per step: the daemon\'s attempts and its journal\'s `ended` events; Asterisk\'s Newchannel of each originate\'s Local channel and its `ended` events; the callee SIPp\'s and the agents\' SIPp\'s call counts.',
    '- **Ready → originate**: from the QueueMemberStatus/QueueMemberPause event in which Asterisk reports the agent not in use and not paused, to the Newchannel of the Local channel the daemon\'s Originate for that agent creates; both stamped by Asterisk (manager.conf `timestampevents`, set for the bench), so one clock and the whole loop: the event reaching the daemon, its decision, the attempt written (SQLite, synchronous=FULL), the Originate and Asterisk starting it. The first call of each agent in a step (placed when the campaign is resumed) is left out. The parts (medians and p99s of each part, so they need not add up): **ready → decided**, to the attempt\'s `planned_at` (the daemon\'s clock, the same machine): the event reaching the daemon and its next decision; **decided → Originate sent**, to when the Originate was written to the manager\'s socket (bench/originate-times.js, preloaded into the daemon, notes it): the attempt\'s commit and the originates before it; **sent → Newchannel**: Asterisk. **Ready event → an AMI client**: when the same event reached the bench\'s own manager session: Asterisk\'s and the loaded machine\'s share of the delay.',
    '',
  );
  return L.join('\n');
}

function stopAll() {
  for (const c of children.reverse()) {
    try {
      c.stop();
    } catch {
      // already gone
    }
    try {
      if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
    } catch {
      // already gone
    }
    if (c.dir && !process.env.CALLPLAN_BENCH_KEEP) rmSync(c.dir, { recursive: true, force: true });
  }
  children.length = 0;
  if (reserved !== undefined) releasePorts(reserved, PORT_COUNT);
  reserved = undefined;
}

/** Modules the e2e harness does not load either: slow, noisy, or listening where they should not. */
const NOLOAD = [
  'chan_iax2.so', 'pbx_dundi.so', 'chan_console.so', 'chan_unistim.so', 'chan_motif.so', 'res_xmpp.so', 'app_jack.so', 'res_hep.so', 'res_hep_pjsip.so', 'res_hep_rtcp.so',
  'res_snmp.so', 'res_statsd.so', 'res_stun_monitor.so', 'res_resolver_unbound.so', 'res_timing_pthread.so', 'res_http_websocket.so', 'res_http_post.so', 'res_http_media_cache.so',
  'res_pjsip_transport_websocket.so', 'res_websocket_client.so', 'chan_websocket.so', 'res_ari.so', 'res_ari_applications.so', 'res_ari_asterisk.so', 'res_ari_bridges.so',
  'res_ari_channels.so', 'res_ari_device_states.so', 'res_ari_endpoints.so', 'res_ari_events.so', 'res_ari_model.so', 'res_ari_playbacks.so', 'res_ari_recordings.so',
  'res_ari_sounds.so', 'app_stasis.so', 'res_stasis_broadcast.so', 'app_stasis_broadcast.so', 'res_prometheus.so', 'res_phoneprov.so', 'res_pjsip_phoneprov_provider.so',
  'res_aeap.so', 'res_speech_aeap.so', 'res_stir_shaken.so', 'res_pjsip_stir_shaken.so', 'res_geolocation.so', 'res_pjsip_geolocation.so', 'res_calendar.so',
  'res_calendar_caldav.so', 'res_calendar_ews.so', 'res_calendar_exchange.so', 'res_calendar_icalendar.so', 'res_config_ldap.so', 'res_config_pgsql.so', 'res_config_odbc.so',
  'res_odbc.so', 'res_odbc_transaction.so', 'func_odbc.so', 'app_voicemail_odbc.so', 'cdr_odbc.so', 'cdr_adaptive_odbc.so', 'cdr_pgsql.so', 'cdr_radius.so', 'cdr_tds.so',
  'cel_odbc.so', 'cel_pgsql.so', 'cel_radius.so', 'cel_tds.so', 'res_smdi.so', 'pbx_lua.so',
];

main().catch((e) => {
  console.error(e);
  stopAll();
  process.exitCode = 1;
});

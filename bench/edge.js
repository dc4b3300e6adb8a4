#!/usr/bin/env node
// Benchmark of the Kamailio edge (part of `npm run bench`, which builds first).
//
//   node bench/edge.js [--seconds N] [--rates 20,40,80,...]
//
// One project, built twice by callplan: with an edge (Debian's Kamailio on 127.0.0.10, as the
// build wrote it) in front of two Asterisk nodes (127.0.0.11 and .12, from the e2e chroot), and
// without one (a single Asterisk on 127.0.0.13: the reference). SIPp plays a carrier (its address
// listed on the trunk) calling a DID that lands in an IVR; each call is answered, held 1 s and hung
// up by the caller. At rising rates (calls per second, each step --seconds long) it records how
// many calls failed; the sustained rate of a setup is the highest one with fewer than 0.1 % failed
// calls. Reported: both sustained rates and their ratio (edge / one node directly), in the same run
// on the same machine, and the edge's CPU time per call (all Kamailio processes, user + system,
// from /proc) at each rate it carried. Needs root, SIPp, Kamailio and the Asterisk chroot
// (bash test/e2e/install.sh); without them it says so and writes nothing. Reports, never asserts.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { harness } from './lib/harness.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = join(benchDir, '..');
const resultsDir = join(benchDir, 'results');
const log = (...a) => console.error('[bench:edge]', ...a);

const argv = process.argv.slice(2);
const argOf = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const SECONDS = Number(argOf('--seconds') ?? 6);
const RATES = (argOf('--rates') ?? '25,50,100,150,200,300,400,500,650,800,1000').split(',').map(Number);
const HOLD_MS = 1000;
const MAX_FAILED = 0.001;
const CACHE = process.env.CALLPLAN_E2E_CACHE ?? '/var/cache/callplan-e2e';
const CHROOT = `${CACHE}/sid`;
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- prerequisites
function missing() {
  const out = [];
  if (process.getuid?.() !== 0) out.push('root');
  if (spawnSync('sipp', ['-v'], { encoding: 'utf8' }).error) out.push('sipp');
  if (!existsSync('/usr/sbin/kamailio')) out.push('kamailio');
  if (!existsSync(`${CHROOT}/.callplan-e2e-complete`)) out.push(`the Asterisk chroot (${CHROOT})`);
  return out;
}

// ---------------------------------------------------------------- ports: the e2e harness's own locks (test/e2e/harness/ports.ts)
const { reservePorts: reserve, releasePorts } = await harness('ports');
// The carrier's call: the e2e harness's (INVITE, ACK, held HOLD_MS, BYE).
const { uacCall } = await harness('scenarios');
const reserved = [];
async function reservePorts(count) {
  const base = await reserve(count);
  reserved.push([base, count]);
  return base;
}

// ---------------------------------------------------------------- the project
const IPS = { edge: '127.0.0.10', 'pbx-1': '127.0.0.11', 'pbx-2': '127.0.0.12', direct: '127.0.0.13', carrier: '127.0.0.20' };
const DID = '+48221000100';
const ENV = { CALLPLAN_DEVICE_MASTER: 'bench-master-3kJ9vQ2xLm8Rt5Zp7Wc4Yb6Nd1Hs0Fg' };

function project(p, withEdge) {
  const nodes = withEdge
    ? `  edge: { role: kamailio, address: ${IPS.edge}, sip_port: ${p.edge} }
  pbx-1: { role: asterisk, address: ${IPS['pbx-1']}, sip_port: ${p['pbx-1'].sip}, ami_port: ${p['pbx-1'].ami} }
  pbx-2: { role: asterisk, address: ${IPS['pbx-2']}, sip_port: ${p['pbx-2'].sip}, ami_port: ${p['pbx-2'].ami} }
`
    : `  pbx: { role: asterisk, address: ${IPS.direct}, sip_port: ${p.direct.sip}, ami_port: ${p.direct.ami} }
`;
  return `version: 1
name: edge-bench
nodes:
${nodes}secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  always-open:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: ${IPS.carrier}, port: 5060, addresses: [${IPS.carrier}] }
users:
  - { extension: "1001", name: Anna, site: always-open, devices: [{ type: softphone, name: a }] }
ivr:
  main:
    prompt: beep
    options: { "1": user:1001 }
    timeout: 30
    retries: 1
    on_timeout: hangup
inbound:
  - { name: hotline, did: "${DID}", to: ivr:main }
`;
}

async function build(yaml) {
  const { checkProject } = await import(pathToFileURL(join(repo, 'dist/project/check.js')).href);
  const { buildFiles } = await import(pathToFileURL(join(repo, 'dist/project/build.js')).href);
  const dir = mkdtempSync(join(tmpdir(), 'callplan-bench-edge-'));
  writeFileSync(join(dir, 'callplan.yaml'), yaml);
  const { model, diagnostics } = checkProject(dir, { env: ENV });
  rmSync(dir, { recursive: true, force: true });
  if (!model) throw new Error(`bench project is invalid: ${diagnostics.map((d) => d.message).join('; ')}`);
  return buildFiles(model, { get: (ref) => ENV[ref.name] });
}

const tree = (files, dir) => Object.fromEntries([...files].filter(([f]) => f.startsWith(`${dir}/`)).map(([f, c]) => [f.slice(dir.length + 1), c]));

function writeTree(root, files) {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, name)), { recursive: true });
    writeFileSync(join(root, name), content);
  }
}

// ---------------------------------------------------------------- servers
const children = [];
const INSTANCES = '/run/callplan-bench-edge';

async function startAsterisk(name, files, rtpBase) {
  const inChroot = `${INSTANCES}/${name}-${process.pid}`;
  const dir = `${CHROOT}${inChroot}`;
  rmSync(dir, { recursive: true, force: true });
  for (const sub of ['etc', 'run', 'log', 'spool', 'lib', 'cache']) mkdirSync(`${dir}/${sub}`, { recursive: true });
  writeTree(`${dir}/etc`, {
    ...files,
    'asterisk.conf': `[directories]\nastetcdir => ${inChroot}/etc\nastrundir => ${inChroot}/run\nastlogdir => ${inChroot}/log\nastspooldir => ${inChroot}/spool\nastdbdir => ${inChroot}/lib\nastcachedir => ${inChroot}/cache\n\n[options]\nrunuser = root\nrungroup = root\nnocolor = yes\nhideconnect = yes\n`,
    'logger.conf': '[general]\n[logfiles]\n',
    'modules.conf': `[modules]\nautoload = yes\n${NOLOAD.map((m) => `noload => ${m}\n`).join('')}`,
    'rtp.conf': `[general]\nrtpstart=${rtpBase}\nrtpend=${rtpBase + 999}\n`,
  });
  const conf = `${inChroot}/etc/asterisk.conf`;
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'chroot', CHROOT, 'asterisk', '-C', conf, '-f', '-n'], { stdio: 'ignore' });
  children.push({ child, stop: () => spawnSync('chroot', [CHROOT, 'asterisk', '-C', conf, '-rx', 'core stop now'], { timeout: 5000 }), dir });
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (existsSync(`${dir}/run/asterisk.ctl`)) {
      const r = spawnSync('chroot', [CHROOT, 'asterisk', '-C', conf, '-rx', 'core waitfullybooted'], { encoding: 'utf8', timeout: 30_000 });
      if (/fully booted/i.test(r.stdout ?? '')) return;
    }
    if (Date.now() > deadline) throw new Error(`Asterisk ${name} did not boot`);
    await sleep(50);
  }
}

async function startKamailio(files, port) {
  const dir = `${INSTANCES}/edge-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  writeTree(dir, files);
  mkdirSync(`${dir}/run`, { recursive: true });
  const ctl = `${dir}/run/ctl.sock`;
  const defines = {
    CP_DISPATCHER_LIST: `"${dir}/dispatcher.list"`,
    CP_ADDRESS_LIST: `"${dir}/address.list"`,
    CP_DB_URL: `"text://${dir}/db"`,
    CP_CTL_SOCKET: `"unix:${ctl}"`,
    CP_CHILDREN: '4',
    CP_PING_INTERVAL: '1',
  };
  const args = ['-DD', '-E', '-f', `${dir}/kamailio.cfg`, '-P', `${dir}/kamailio.pid`, '-Y', `${dir}/run`, '-m', '256', '-M', '16'];
  for (const [k, v] of Object.entries(defines)) args.push('-A', `${k}=${v}`);
  // Its own process group: stopping it reaches every worker, also if the main process is gone.
  const child = spawn('setpriv', ['--pdeathsig', 'KILL', 'kamailio', ...args], { stdio: 'ignore', detached: true });
  children.push({ child, stop: () => stopGroup(child.pid), dir });
  const deadline = Date.now() + 10_000;
  for (;;) {
    const r = existsSync(ctl) ? spawnSync('kamcmd', ['-s', `unix:${ctl}`, 'dispatcher.list'], { encoding: 'utf8', timeout: 5000 }) : undefined;
    const states = [...(r?.stdout ?? '').matchAll(/FLAGS: (\S+)/g)].map((m) => m[1]);
    if (states.length === 2 && states.every((s) => s === 'AP')) return child.pid;
    if (Date.now() > deadline) throw new Error(`Kamailio did not see both nodes in service (${states.join(', ')})`);
    await sleep(100);
  }
}

/** User + system CPU seconds of a process and all its descendants (Kamailio forks its workers). */
function cpuSeconds(rootPid) {
  const stats = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const text = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
      stats.push({ pid: Number(name), ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // gone
    }
  }
  const tree = new Set([rootPid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of stats) if (!tree.has(s.pid) && tree.has(s.ppid)) grew = tree.add(s.pid) && true;
  }
  return stats.filter((s) => tree.has(s.pid)).reduce((a, s) => a + s.ticks, 0) / CLK_TCK;
}

// ---------------------------------------------------------------- SIPp
/** Runs `rate` calls per second for SECONDS; returns { calls, failed, seconds }. */
function runCalls(target, rate, port, work) {
  const calls = rate * SECONDS;
  const screen = join(work, `screen-${target.replace(/\W/g, '-')}-${rate}.log`);
  rmSync(screen, { force: true });
  const args = ['-i', IPS.carrier, '-mi', IPS.carrier, '-p', String(port), '-mp', String(port + 2), '-nostdin', '-sf', join(work, 'uac.xml'), '-s', DID];
  args.push('-r', String(rate), '-m', String(calls), '-l', String(Math.max(50, rate * 6)), '-recv_timeout', '10000', '-timeout', String(SECONDS + 60) + 's');
  args.push('-trace_screen', '-screen_file', screen, target);
  const t0 = Date.now();
  const r = spawnSync('sipp', args, { encoding: 'utf8', timeout: (SECONDS + 90) * 1000 });
  const text = existsSync(screen) ? readFileSync(screen, 'utf8') : `${r.stdout}`;
  const count = (label) => Number(new RegExp(`${label}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`).exec(text)?.[1] ?? NaN);
  const ok = count('Successful call');
  const failed = count('Failed call');
  return { rate, calls, successful: ok, failed: Number.isNaN(failed) ? calls : failed, exitCode: r.status, seconds: round((Date.now() - t0) / 1000, 1) };
}

/** The edge's CPU seconds per second with no calls (its timers and OPTIONS probes), subtracted from each step. */
async function idleCpu(pid) {
  const before = cpuSeconds(pid);
  const t0 = Date.now();
  await sleep(3000);
  return (cpuSeconds(pid) - before) / ((Date.now() - t0) / 1000);
}

async function climb(label, target, sippPort, work, edgePid) {
  const steps = [];
  const idle = edgePid ? await idleCpu(edgePid) : 0;
  for (const rate of RATES) {
    await sleep(1500); // let the previous step's calls and retransmissions drain
    const before = edgePid ? cpuSeconds(edgePid) : 0;
    const t0 = Date.now();
    const step = runCalls(target, rate, sippPort, work);
    if (edgePid) {
      const busy = cpuSeconds(edgePid) - before - idle * ((Date.now() - t0) / 1000);
      step.edgeCpuMsPerCall = round((Math.max(0, busy) * 1000) / Math.max(1, step.successful), 3);
    }
    step.failedShare = round(step.failed / step.calls, 4);
    steps.push(step);
    log(`${label}: ${rate} calls/s → ${step.successful} ok, ${step.failed} failed${step.edgeCpuMsPerCall !== undefined ? `, edge ${step.edgeCpuMsPerCall} ms CPU per call` : ''}`);
    if (step.failed / step.calls >= MAX_FAILED) break;
  }
  const sustained = steps.filter((s) => s.failed / s.calls < MAX_FAILED).map((s) => s.rate);
  return { steps, sustained: sustained.length ? Math.max(...sustained) : 0, ...(edgePid && { edgeIdleCpuPercent: round(idle * 100, 2) }) };
}

const sleepSync = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
const groupAlive = (pid) => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** SIGTERM to Kamailio's process group (its main process stops the workers), SIGKILL to what is left after 5 s. */
function stopGroup(pid) {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50 && groupAlive(pid); i++) sleepSync(100);
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // all gone
  }
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
    rmSync(c.dir, { recursive: true, force: true });
  }
  children.length = 0;
  for (const [base, count] of reserved.splice(0)) releasePorts(base, count);
}

function markdown(r) {
  const L = [`# Kamailio edge benchmark`, '', `${r.date}, ${r.machine}. Calls of ${HOLD_MS / 1000} s from a carrier to an IVR, ${SECONDS} s per rate; sustained = the highest rate with fewer than ${MAX_FAILED * 100} % failed calls.`, ''];
  L.push('| setup | sustained calls/s |', '|---|---:|');
  const top = (x) => (x.sustained === RATES[RATES.length - 1] ? ` (the highest rate tried: ${x.sustained} or more)` : '');
  L.push(`| SIPp → one Asterisk node | ${r.direct.sustained}${top(r.direct)} |`, `| SIPp → Kamailio edge → two Asterisk nodes | ${r.edge.sustained}${top(r.edge)} |`, '');
  L.push(`Ratio edge / one node: **${r.ratio ?? 'n/a'}**. Edge CPU per call at its sustained rate: **${r.edgeCpuMsPerCallAtSustained ?? 'n/a'} ms** (all Kamailio processes, user + system, less their idle ${r.edge.edgeIdleCpuPercent ?? 0} % of one core for timers and probes).`, '');
  L.push('| rate | one node: ok / failed | edge: ok / failed | edge CPU ms/call |', '|---:|---:|---:|---:|');
  for (const rate of RATES) {
    const d = r.direct.steps.find((s) => s.rate === rate);
    const e = r.edge.steps.find((s) => s.rate === rate);
    if (!d && !e) continue;
    L.push(`| ${rate} | ${d ? `${d.successful} / ${d.failed}` : '–'} | ${e ? `${e.successful} / ${e.failed}` : '–'} | ${e?.edgeCpuMsPerCall ?? '–'} |`);
  }
  L.push('', 'Both setups share this machine’s cores with SIPp (and the edge setup runs two Asterisks and Kamailio on them), so the ratio says what the edge costs here, not what two dedicated servers would carry.', '');
  return L.join('\n');
}

async function main() {
  const absent = missing();
  if (absent.length) {
    log(`skipped: needs ${absent.join(', ')} (bash test/e2e/install.sh as root)`);
    return;
  }
  const work = mkdtempSync(join(tmpdir(), 'callplan-bench-edge-run-'));
  writeFileSync(join(work, 'uac.xml'), uacCall({ from: 'carrier', holdMs: HOLD_MS }));
  process.on('exit', stopAll);
  process.on('SIGINT', () => process.exit(130));
  try {
    const base = await reservePorts(16);
    const ports = { edge: base, 'pbx-1': { sip: base + 2, ami: base + 3 }, 'pbx-2': { sip: base + 4, ami: base + 5 }, direct: { sip: base + 6, ami: base + 7 } };
    const sippPort = base + 10;
    const rtp = { 'pbx-1': 40_000, 'pbx-2': 41_000, direct: 42_000 };

    const direct = await build(project(ports, false));
    await startAsterisk('direct', tree(direct, 'asterisk'), rtp.direct);
    log('one node directly ...');
    const directResult = await climb('one node', `${IPS.direct}:${ports.direct.sip}`, sippPort, work);
    stopAll();

    const base2 = await reservePorts(16);
    const p2 = { edge: base2, 'pbx-1': { sip: base2 + 2, ami: base2 + 3 }, 'pbx-2': { sip: base2 + 4, ami: base2 + 5 }, direct: ports.direct };
    const edged = await build(project(p2, true));
    await startAsterisk('pbx-1', tree(edged, 'nodes/pbx-1/asterisk'), rtp['pbx-1']);
    await startAsterisk('pbx-2', tree(edged, 'nodes/pbx-2/asterisk'), rtp['pbx-2']);
    const edgePid = await startKamailio(tree(edged, 'nodes/edge/kamailio'), p2.edge);
    log('edge and two nodes ...');
    const edgeResult = await climb('edge', `${IPS.edge}:${p2.edge}`, base2 + 10, work, edgePid);
    const atSustained = edgeResult.steps.find((s) => s.rate === edgeResult.sustained);

    const result = {
      date: new Date().toISOString(),
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg().map((x) => round(x, 2)).join(' ')}`,
      seconds: SECONDS,
      holdMs: HOLD_MS,
      maxFailedShare: MAX_FAILED,
      direct: directResult,
      edge: edgeResult,
      ratio: directResult.sustained ? round(edgeResult.sustained / directResult.sustained, 2) : null,
      edgeCpuMsPerCallAtSustained: atSustained?.edgeCpuMsPerCall ?? null,
    };
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'edge.json'), `${JSON.stringify(result, null, 2)}\n`);
    const md = markdown(result);
    writeFileSync(join(resultsDir, 'edge.md'), md);
    console.log(md);
  } finally {
    stopAll();
    rmSync(work, { recursive: true, force: true });
  }
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

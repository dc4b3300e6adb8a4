#!/usr/bin/env node
// Benchmark of `callplan deploy` (part of `npm run bench`, which builds first).
//
//   node bench/deploy.js [--rate N] [--hold-ms N] [--users N] [--busy N] [--report-only]
//
// The 10,000-user project (bench/generate-project.js, plus the node, a carrier on 127.0.0.2 and a
// number that lands in the warsaw-main IVR) is deployed once to a real sshd in front of the real
// Asterisk of the e2e chroot (the e2e harness's deploy node: bench/lib/harness.js). Then, with
// SIPp calling that number at a steady rate (calls answered by the IVR, held, hung up by the
// caller) from before until after it, one user is renamed and deployed: wall time, the time of each
// step (from the lines the CLI prints per step), bytes sent over SSH (the CLI's report), and the
// calls that failed, with the longest stretch of failures. The peer, in the same run, under the
// same calls: the node put back on the old release, then the same change applied by hand the usual
// way: `callplan build`, rsync -az --delete of the whole build over SSH into the folder Asterisk
// reads, `asterisk -rx 'core reload'`. Needs root, SIPp, sshd and the Asterisk chroot (bash
// test/e2e/install.sh); rsync is installed with apt when missing. Without them it says so and
// writes nothing. Writes bench/results/deploy.json and deploy.md. Reports, never asserts.
//
// During each measured deploy it also records what Asterisk went through (startWatch): the
// machine's load, taskprocessor overload warnings in Asterisk's log, and res_pjsip's taskpool (the
// longest task, and the longest a thread of it sat on queued work). --busy N runs N busy loops
// from the first deploy to the end, for a run on a loaded machine on purpose (the calls failed on a
// loaded machine in #bench-load: docs/deploy.md "Benchmark").

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { writeProject } from './generate-project.js';
import { harness } from './lib/harness.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = join(benchDir, '..');
const resultsDir = join(benchDir, 'results');
const cli = join(repo, 'bin/run.js');
const log = (...a) => console.error('[bench:deploy]', ...a);

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const RATE = arg('--rate', 30);
const HOLD_MS = arg('--hold-ms', 3000);
const USERS = arg('--users', 10000);
/** Busy loops (`sh -c 'while :; do :; done'`, normal nice) the bench runs meanwhile: a loaded machine on purpose. */
const BUSY = arg('--busy', 0);
/** Calls before and after each deploy, so the traffic is steady when it starts and its effects are seen. */
const LEAD_MS = 8000;
const TAIL_MS = 8000;
const CACHE = process.env.CALLPLAN_E2E_CACHE ?? '/var/cache/callplan-e2e';
const CHROOT = `${CACHE}/sid`;
const CARRIER_IP = '127.0.0.2';
const DID = '+48221999000';
/** The renamed user: not a group's first member (those supervise), so only they change. */
const RENAMED = '20001';

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Derived, not random, so runs are comparable and no weak-secret rule fires (as bench/run.js).
const derive = (label) => createHash('sha256').update(`callplan-bench/${label}`).digest('base64url');

// ---------------------------------------------------------------- prerequisites
function missing() {
  const out = [];
  if (process.getuid?.() !== 0) out.push('root');
  if (spawnSync('sipp', ['-v'], { encoding: 'utf8' }).error) out.push('sipp');
  if (!existsSync('/usr/sbin/sshd')) out.push('sshd (openssh-server)');
  if (!existsSync(`${CHROOT}/.callplan-e2e-complete`)) out.push(`the Asterisk chroot (${CHROOT})`);
  if (!existsSync(join(repo, 'dist/commands/deploy.js'))) out.push('the build (npm run build)');
  return out;
}

/** rsync for the peer: installed with apt when missing (root); the peer is left out without it. */
function haveRsync() {
  if (!spawnSync('rsync', ['--version']).error) return true;
  if (process.getuid?.() !== 0) return false;
  log('installing rsync with apt ...');
  mkdirSync(CACHE, { recursive: true });
  const script = 'export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends rsync >/dev/null 2>&1 || { apt-get -o DPkg::Lock::Timeout=120 update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends rsync; }';
  spawnSync('flock', ['-w', '900', `${CACHE}/install.lock`, 'sh', '-c', script], { encoding: 'utf8', timeout: 600_000 });
  return !spawnSync('rsync', ['--version']).error;
}

// ---------------------------------------------------------------- the project
/** The generated project, amended with the node, a carrier on loopback and a number into an IVR. */
function writeBenchProject(dir, node, secrets) {
  const { files } = writeProject(dir, {
    users: USERS,
    amend(p) {
      p.root.nodes = YAML.parse(`nodes:\n${node.nodeYaml()}`).nodes;
      // The carriers on loopback addresses where nothing answers: their hosts (example.net, documentation
      // addresses) fail in DNS or routing here, which Asterisk logs as errors and the check would blame on the release.
      Object.values(p.root.trunks).forEach((t, i) => {
        t.host = `127.0.0.${3 + i}`;
        if (t.addresses) t.addresses = [t.host];
        delete t.from_domain;
      });
      p.root.trunks['bench-carrier'] = { description: 'SIPp placing the benchmark calls', auth: 'ip', host: CARRIER_IP, addresses: [CARRIER_IP] };
      p.root.inbound.push({ name: 'bench calls', did: DID, to: `ivr:${p.perSite[0].site}-main` });
    },
  });
  for (const f of files) {
    for (const m of readFileSync(join(dir, f.path), 'utf8').matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) secrets[m[1]] = derive(m[1]);
  }
  return files;
}

/** The one-user change: user RENAMED gets another name (their endpoint, voicemail box and phone's files change). */
function renameUser(dir) {
  const file = join(dir, 'users/warsaw.yaml');
  const text = readFileSync(file, 'utf8');
  const next = text.replace(new RegExp(`(- extension: "${RENAMED}"\\n\\s+name: )(.+)`), (_, head, name) => `${head}${name}-Nowak`);
  if (next === text) throw new Error(`user ${RENAMED} not found in ${file}`);
  writeFileSync(file, next);
  return () => writeFileSync(file, text);
}

// ---------------------------------------------------------------- calls
/**
 * SIPp placing RATE calls per second until told to stop (a soft quit over its control port: it
 * places no more calls and lets the running ones finish), with its statistics every second.
 */
async function startCalls(h, node, work, label) {
  const { reservePorts, releasePorts } = h.ports;
  const control = await reservePorts(1);
  const stats = join(work, `stats-${label}.csv`);
  const errors = join(work, `errors-${label}.log`);
  rmSync(stats, { force: true });
  const run = h.sipp.runSipp({
    scenario: h.dtmf.uacScript({ from: 'carrier', steps: [{ pauseMs: HOLD_MS }], end: 'bye' }),
    target: `127.0.0.1:${node.ast.ports.sip}`,
    service: DID,
    localIp: CARRIER_IP,
    rate: RATE,
    calls: 1_000_000,
    limit: Math.ceil((RATE * HOLD_MS) / 1000) * 4,
    recvTimeoutMs: 10_000,
    timeoutMs: 30 * 60_000,
    // The later -cp wins over the harness's: this one is ours to send "q" to.
    args: ['-cp', String(control), '-trace_stat', '-stf', stats, '-fd', '1', '-trace_err', '-error_file', errors],
  });
  const startedAt = Date.now();
  return {
    startedAt,
    async stop() {
      const s = dgram.createSocket('udp4');
      await new Promise((r) => s.send('q', control, '127.0.0.1', r));
      s.close();
      const result = await run;
      releasePorts(control, 1);
      return { result, stats: existsSync(stats) ? readFileSync(stats, 'utf8') : '', errors: existsSync(errors) ? readFileSync(errors, 'latin1') : '' };
    },
  };
}

/** SIPp's statistics file: one row per second (semicolon separated, a header first). */
function parseStats(text) {
  const lines = text.trim().split('\n').filter(Boolean);
  if (lines.length < 2) return [];
  const head = lines[0].split(';');
  return lines.slice(1).map((l) => Object.fromEntries(l.split(';').map((v, i) => [head[i], v])));
}

/** "HH:MM:SS:mmmuuu" (SIPp's response times) → ms. */
const rtMs = (s) => {
  const m = /^(\d+):(\d+):(\d+):(\d+)$/.exec(s ?? '');
  return m ? ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3])) * 1000 + Number(m[4]) / 1000 : NaN;
};

/** The calls of a run, and of the window [from, to] (epoch ms): placed, failed (by SIPp's reasons), longest stretch of seconds with failures, slowest answer. */
function summarizeCalls(stats, errors, from, to) {
  const rows = parseStats(stats).map((r) => ({ ...r, at: Number((r.CurrentTime ?? '').split('\t').pop()) * 1000 }));
  const last = rows[rows.length - 1] ?? {};
  const total = { placed: Number(last['OutgoingCall(C)'] ?? 0), successful: Number(last['SuccessfulCall(C)'] ?? 0), failed: Number(last['FailedCall(C)'] ?? 0) };
  const reasons = {};
  for (const [k, v] of Object.entries(last)) if (/^Failed.*\(C\)$/.test(k) && k !== 'FailedCall(C)' && Number(v) > 0) reasons[k.replace(/^Failed|\(C\)$/g, '')] = Number(v);
  // Failures are counted when SIPp sees them (an unexpected message, a timeout), so the window
  // is widened by the longest a call can take to fail: recv_timeout plus the hold.
  const slack = 10_000 + HOLD_MS;
  const inWindow = rows.filter((r) => r.at >= from && r.at <= to + slack);
  let longest = 0;
  let runLen = 0;
  for (const r of rows) {
    runLen = Number(r['FailedCall(P)']) > 0 ? runLen + 1 : 0;
    longest = Math.max(longest, runLen);
  }
  const answerMs = inWindow.map((r) => rtMs(r['ResponseTime1(P)'])).filter((x) => Number.isFinite(x) && x > 0);
  const before = rows.filter((r) => r.at < from).map((r) => rtMs(r['ResponseTime1(P)'])).filter((x) => Number.isFinite(x) && x > 0);
  return {
    ...total,
    failedReasons: reasons,
    placedDuringDeploy: inWindow.filter((r) => r.at <= to).reduce((a, r) => a + Number(r['OutgoingCall(P)'] ?? 0), 0),
    failedAroundDeploy: inWindow.reduce((a, r) => a + Number(r['FailedCall(P)'] ?? 0), 0),
    // Requests SIPp sent again (UDP: no answer within 500 ms, doubling): Asterisk slow or silent.
    retransmissionsAroundDeploy: inWindow.reduce((a, r) => a + Number(r['Retransmissions(P)'] ?? 0), 0),
    longestFailureSeconds: longest,
    // [seconds from the deploy's start, calls] of each second SIPp counted failures in; a call is
    // counted failed up to recv_timeout (10 s) after its INVITE.
    failuresSeenAt: rows.filter((r) => Number(r['FailedCall(P)']) > 0).map((r) => [round((r.at - from) / 1000, 0), Number(r['FailedCall(P)'])]),
    answerMsBefore: before.length ? round(before.reduce((a, x) => a + x, 0) / before.length, 1) : null,
    answerMsSlowestSecondDuringDeploy: answerMs.length ? round(Math.max(...answerMs), 1) : null,
    // SIPp's error trace, its entries split at their time stamps; a pause's own timeout ("jumping to label") is no error.
    firstErrors: errors
      .split(/(?=\d{4}-\d\d-\d\d\t\d\d:\d\d:\d\d\.\d+\t)/)
      .filter((l) => /aborting|dead call|unexpected/i.test(l))
      .slice(0, 3)
      .map((l) => l.trim().slice(0, 240)),
  };
}

// ---------------------------------------------------------------- the deploys
const STEP = [
  ['connect', /: connecting/],
  ['lock', /: taking the lock/],
  ['inspect', /: reading the release/],
  ['upload', /: uploading/],
  ['verify', /: verifying checksums/],
  ['switch+reload', /: switching current/],
  ['check', /: checking the node/],
  ['rollback', /: rolling back to/],
  ['record+resync+prune', /: recording the release/],
];

/** `callplan deploy` as a child process; the time of each step from the moment its line appears. */
async function callplanDeploy(h, dir, node, env) {
  const marks = [['build', Date.now()]];
  const t0 = Date.now();
  const r = await h.deploy.callplanAsync(['deploy', dir, '--identity', node.sshd.identity], {
    env,
    timeoutMs: 20 * 60_000,
    onLine(line) {
      const s = STEP.find(([, re]) => re.test(line));
      if (s && !marks.some(([n]) => n === s[0])) marks.push([s[0], Date.now()]);
    },
  });
  const end = Date.now();
  const steps = {};
  marks.forEach(([name, at], i) => (steps[name] = round(((marks[i + 1]?.[1] ?? end) - at) / 1000, 2)));
  const stepStarts = Object.fromEntries(marks.map(([name, at]) => [name, round((at - t0) / 1000, 2)]));
  const summary = /deployed release (\S+).*: (\d+) files? changed, (?:reloads: (.*?)|Asterisk restarted), (\d+) bytes sent/.exec(r.stdout);
  const uploaded = /uploading (\d+) of (\d+) files/.exec(r.stdout);
  return {
    ok: r.code === 0,
    exitCode: r.code,
    wallSeconds: round((end - t0) / 1000, 2),
    steps,
    stepStarts,
    release: summary?.[1] ?? null,
    filesChanged: summary ? Number(summary[2]) : null,
    filesUploaded: uploaded ? Number(uploaded[1]) : null,
    filesInRelease: uploaded ? Number(uploaded[2]) : null,
    reloads: summary?.[3] ?? null,
    bytesSent: summary ? Number(summary[4]) : null,
    startedAt: t0,
    endedAt: end,
    output: r.code === 0 ? undefined : h.deploy.report(r).slice(-3000),
  };
}

/** The usual way by hand: build, rsync the whole build into the folder Asterisk reads, core reload. */
function naiveDeploy(dir, node, env) {
  const out = join(dir, '..', 'naive-build');
  const ssh = `ssh -p ${node.sshd.port} -i ${node.sshd.identity} -o UserKnownHostsFile=${node.sshd.knownHosts} -o StrictHostKeyChecking=yes -o BatchMode=yes`;
  const asterisk = YAML.parse(`nodes:\n${node.nodeYaml()}`).nodes.pbx.deploy.asterisk;
  const t0 = Date.now();
  const build = spawnSync(process.execPath, [cli, 'build', dir, '--out', out], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 600_000 });
  const t1 = Date.now();
  const sync = spawnSync('rsync', ['-az', '--delete', '--stats', '-e', ssh, `${out}/`, `root@127.0.0.1:${node.root}/current/`], { encoding: 'utf8', timeout: 600_000 });
  const t2 = Date.now();
  const reload = spawnSync('sh', ['-c', `${ssh} root@127.0.0.1 "${asterisk} -rx 'core reload'"`], { encoding: 'utf8', timeout: 300_000 });
  const t3 = Date.now();
  const sent = /Total bytes sent: ([\d,.]+)/.exec(sync.stdout)?.[1];
  return {
    ok: build.status === 0 && sync.status === 0 && reload.status === 0,
    wallSeconds: round((t3 - t0) / 1000, 2),
    steps: { build: round((t1 - t0) / 1000, 2), rsync: round((t2 - t1) / 1000, 2), 'core reload': round((t3 - t2) / 1000, 2) },
    bytesSent: sent ? Number(sent.replace(/[,.]/g, '')) : null,
    startedAt: t0,
    endedAt: t3,
    output: build.status === 0 && sync.status === 0 && reload.status === 0 ? undefined : `${build.stderr}\n${sync.stderr}\n${reload.stdout}${reload.stderr}`.slice(-3000),
  };
}

/**
 * Waits until the node answers every call of a few seconds at RATE: a deploy of the whole project
 * leaves Asterisk busy for minutes after its reloads returned (pbx_config and res_pjsip digesting
 * 10,000 users), and calls refused then are not the measured deploy's. Returns the seconds waited.
 */
async function untilAnswering(h, node) {
  const t0 = Date.now();
  for (;;) {
    const r = await h.sipp.runSipp({
      scenario: h.dtmf.uacScript({ from: 'carrier', steps: [{ pauseMs: 500 }], end: 'bye' }),
      target: `127.0.0.1:${node.ast.ports.sip}`,
      service: DID,
      localIp: CARRIER_IP,
      rate: RATE,
      calls: RATE * 3,
      limit: RATE * 3,
      recvTimeoutMs: 5_000,
      timeoutMs: 120_000,
    });
    if (r.code === 0) return round((Date.now() - t0) / 1000, 1);
    if (Date.now() - t0 > 20 * 60_000) throw new Error(`the node did not answer every call within 20 minutes:\n${h.sipp.sippReport(r).slice(-2000)}`);
    await sleep(5_000);
  }
}

// ---------------------------------------------------------------- what Asterisk went through
/** res_pjsip's taskpool: the threads that run every SIP serializer's tasks (Asterisk 22, main/taskpool.c). */
const PJSIP_POOL = 'taskpool/s:pjsip';

/** `core show taskprocessors like …`: name → processed, queued, longest task (µs). */
function parseTaskprocessors(text) {
  const out = {};
  for (const m of text.matchAll(/^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+\d+\s+(\d+)\s*$/gm)) {
    out[m[1]] = { processed: Number(m[2]), queued: Number(m[3]), highUs: Number(m[5]) };
  }
  return out;
}

/**
 * Watches the node while a deploy runs: the machine's load (1-minute average, each second) and,
 * each second, res_pjsip's taskpool. A taskpool thread runs one task at a time from its own queue;
 * `module reload res_pjsip.so` runs the whole sorcery reload as one task on one of them
 * (res/res_pjsip.c reload_module), and the pool hands new work to the first thread whose queue is
 * empty (main/taskpool.c, least-full selector), which the one busy reloading has. Work queued there
 * waits for the reload to end: a stall, seen here as a thread with tasks queued that processed
 * none between two looks. The statistics are reset first, so the longest task is this deploy's.
 */
async function startWatch(node) {
  await node.ast.rx('core reset taskprocessors').catch(() => '');
  const logFrom = node.ast.log().length;
  const loads = [];
  const samples = [];
  const stalls = {};
  const open = {};
  let prev = {};
  let stopped = false;
  const look = async (at) => {
    loads.push(loadavg()[0]);
    const now = parseTaskprocessors(await node.ast.rx(`core show taskprocessors like ${PJSIP_POOL}`, 5_000).catch(() => ''));
    samples.push(Object.keys(now).length > 0);
    // A look that failed (the CLI slow on a loaded machine) is no look: the next compares with the last that worked.
    if (!samples[samples.length - 1]) return;
    for (const [name, t] of Object.entries(now)) {
      const p = prev[name];
      if (p && t.queued > 0 && t.processed === p.processed) open[name] ??= p.at;
      else if (open[name] !== undefined) {
        stalls[name] = Math.max(stalls[name] ?? 0, (at - open[name]) / 1000);
        delete open[name];
      }
      t.at = at;
    }
    prev = now;
  };
  const loop = (async () => {
    while (!stopped) {
      const at = Date.now();
      await look(at);
      await sleep(Math.max(0, 1000 - (Date.now() - at)));
    }
  })();
  return {
    async stop(from) {
      stopped = true;
      await loop;
      for (const [name, since] of Object.entries(open)) stalls[name] = Math.max(stalls[name] ?? 0, (Date.now() - since) / 1000);
      const pool = parseTaskprocessors(await node.ast.rx(`core show taskprocessors like ${PJSIP_POOL}`, 10_000).catch(() => ''));
      const text = node.ast.log().slice(logFrom);
      const at = (line) => {
        const m = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)\]/.exec(line);
        return m ? round((new Date(m[1].replace(' ', 'T')).getTime() - from) / 1000, 1) : null;
      };
      const lines = text.split('\n');
      // Asterisk's own overload signal: a taskprocessor over its high-water mark (500 queued tasks)
      // makes res_pjsip's distributor ignore new requests until it drains (taskprocessor_overload_trigger).
      const overloads = lines.filter((l) => /WARNING\[.*Taskprocessor '.*' queue reached \d+ scheduled tasks/.test(l));
      // The modules callplan reloads (core reload logs some 300 more).
      const reloads = lines
        .map((l) => [/Reloading module '([^']+)'/.exec(l)?.[1], l])
        .filter(([m]) => /^(res_pjsip|app_voicemail|app_queue|pbx_config)\.so$/.test(m ?? ''))
        .map(([m, l]) => [m, at(l)]);
      return {
        loadAvg1: { min: round(Math.min(...loads), 2), max: round(Math.max(...loads), 2) },
        taskprocessorOverloadWarnings: overloads.length,
        overloadedTaskprocessors: [...new Set(overloads.map((l) => /Taskprocessor '([^']+)'/.exec(l)[1].replace(/-[0-9a-f]{8}$/, '')))],
        // [module, seconds from the deploy's start] as Asterisk logged them (the end of one is the start of the next).
        moduleReloads: reloads,
        pjsipPoolLongestTaskSeconds: Object.values(pool).length ? round(Math.max(...Object.values(pool).map((t) => t.highUs)) / 1e6, 1) : null,
        pjsipPoolLongestStallSeconds: round(Math.max(0, ...Object.values(stalls)), 1),
        pjsipPoolLooks: `${samples.filter(Boolean).length} of ${samples.length}`,
      };
    },
  };
}

/** A deploy (callplan's or the naive one) with SIPp calling from LEAD_MS before until TAIL_MS after it. */
async function underCalls(h, node, work, label, run) {
  const settledSeconds = await untilAnswering(h, node);
  log(`${label}: the node answers every call (after ${settledSeconds} s)`);
  const calls = await startCalls(h, node, work, label);
  await sleep(LEAD_MS);
  const watch = await startWatch(node);
  const deploy = await run();
  await sleep(TAIL_MS);
  const { result, stats, errors } = await calls.stop();
  const asterisk = await watch.stop(deploy.startedAt);
  const c = summarizeCalls(stats, errors, deploy.startedAt, deploy.endedAt);
  log(`${label}: ${deploy.wallSeconds} s, ${deploy.bytesSent} bytes sent; calls: ${c.placed} placed, ${c.failed} failed (SIPp exit ${result.code}); load ${asterisk.loadAvg1.min}-${asterisk.loadAvg1.max}, overload warnings ${asterisk.taskprocessorOverloadWarnings}, longest pjsip pool task ${asterisk.pjsipPoolLongestTaskSeconds} s, stall ${asterisk.pjsipPoolLongestStallSeconds} s`);
  return { ...deploy, asterisk, calls: { ...c, rate: RATE, holdMs: HOLD_MS, sippExitCode: result.code, nodeAnsweringAfterSeconds: settledSeconds } };
}

// ---------------------------------------------------------------- report
function markdown(r) {
  const c = r.callplan;
  const n = r.naive;
  const L = [
    '# Deploy benchmark',
    '',
    `${r.date}, ${r.machine}${r.commit ? `, callplan ${r.commit}` : ''}. ${r.project}. A one-user change (user ${RENAMED} renamed) deployed to one node: a real sshd in front of the real Asterisk (${r.asterisk}) on loopback, with SIPp calling an IVR of the project at ${RATE} calls/s (calls held ${HOLD_MS / 1000} s, hung up by the caller) from ${LEAD_MS / 1000} s before until ${TAIL_MS / 1000} s after each deploy.`,
    '',
    `First deploy of the whole project (no calls): ${r.first.wallSeconds} s, ${mb(r.first.bytesSent)} sent, ${r.first.filesInRelease ?? '?'} files${r.first.ok ? '' : `; **it failed** (exit ${r.first.exitCode}): ${failure(r.first)}`}.`,
    '',
    '| one-user change | wall time | bytes sent over SSH | calls placed | failed | longest stretch of failures |',
    '|---|---:|---:|---:|---:|---:|',
    `| callplan deploy | ${c.wallSeconds} s | ${mb(c.bytesSent)} | ${c.calls.placed} | ${c.calls.failed} | ${c.calls.longestFailureSeconds} s |`,
  ];
  if (n) L.push(`| build + rsync -az --delete + core reload (by hand) | ${n.wallSeconds} s | ${mb(n.bytesSent)} | ${n.calls.placed} | ${n.calls.failed} | ${n.calls.longestFailureSeconds} s |`);
  L.push('');
  if (!c.ok) L.push(`**callplan's deploy of the change failed** (exit ${c.exitCode}): ${failure(c)}`, '');
  if (r.naiveSkipped) L.push(`The peer was left out: ${r.naiveSkipped.split('\n')[0]}`, '');
  if (n) L.push(`Ratio callplan / by hand: wall time **${r.ratio.wall}**, bytes sent **${r.ratio.bytes}**.`, '');
  L.push(`callplan's steps: ${Object.entries(c.steps).map(([k, v]) => `${k} ${v} s`).join(', ')} (build = node start, check and build of the project; each step from its progress line to the next). Uploaded ${c.filesUploaded ?? '?'} of ${c.filesInRelease ?? '?'} files; reloads: ${c.reloads ?? '?'}.`);
  if (n) L.push('', `By hand: ${Object.entries(n.steps).map(([k, v]) => `${k} ${v} s`).join(', ')}.`);
  L.push('', `Answer time (INVITE to 200, SIPp's mean per second): ${c.calls.answerMsBefore ?? '?'} ms before the deploy, ${c.calls.answerMsSlowestSecondDuringDeploy ?? '?'} ms in the slowest second during callplan's${n ? `, ${n.calls.answerMsSlowestSecondDuringDeploy ?? '?'} ms during the one by hand` : ''}.`);
  for (const [who, x] of [['callplan\'s deploy', c], ['the one by hand', n]]) {
    const a = x?.asterisk;
    if (!a) continue;
    const pjsip = a.moduleReloads.find(([m]) => m === 'res_pjsip.so');
    L.push('', `During ${who}: load (1-minute average) ${a.loadAvg1.min}–${a.loadAvg1.max}; ${a.taskprocessorOverloadWarnings} taskprocessor overload warnings${a.overloadedTaskprocessors.length ? ` (${a.overloadedTaskprocessors.join(', ')})` : ''}; res_pjsip's reload started ${pjsip ? `${pjsip[1]} s` : '(not seen)'} after the deploy's start; longest task on res_pjsip's taskpool (the reload) ${a.pjsipPoolLongestTaskSeconds ?? '?'} s; longest a taskpool thread sat on queued work without running any ${a.pjsipPoolLongestStallSeconds} s (a look each second at most: ${a.pjsipPoolLooks} answered during the deploy's ${x.wallSeconds} s and its tail; fewer looks see less); SIPp retransmissions ${x.calls.retransmissionsAroundDeploy ?? '?'}.`);
  }
  for (const [who, x] of [['callplan', c], ['by hand', n]]) {
    if (!x || x.calls.failed === 0) continue;
    const seen = (x.calls.failuresSeenAt ?? []).map(([t, k]) => `${k} at ${t} s`).join(', ');
    L.push('', `Failed calls (${who}), by SIPp's reason: ${Object.entries(x.calls.failedReasons).map(([k, v]) => `${k} ${v}`).join(', ')}; seen (from the deploy's start; SIPp gives up on a call 10 s after its INVITE): ${seen || '?'}.`);
  }
  if (r.note) L.push('', r.note);
  L.push('', `Absolute times are from a shared 2-core machine (other processes ran meanwhile${r.busyLoops ? `, among them ${r.busyLoops} busy loops the bench ran on purpose (--busy ${r.busyLoops})` : ''}: load ${r.load} at the end); compare the two rows of one run, not runs with each other.`, '');
  return L.join('\n');
}

/** The first reason a failed deploy gave (its output's indented lines). */
const failure = (d) => (d.output ?? '').split('\n').find((l) => /^\s{2}\S/.test(l))?.trim().slice(0, 300) ?? 'see deploy.json';

const mb = (b) => (b === null || b === undefined ? '?' : b >= 1e6 ? `${round(b / 1e6, 2)} MB` : `${round(b / 1e3, 1)} kB`);

// ---------------------------------------------------------------- main
async function main() {
  if (argv.includes('--report-only')) {
    // Writes deploy.md again from deploy.json (after a change to the report's wording).
    const md = markdown(JSON.parse(readFileSync(join(resultsDir, 'deploy.json'), 'utf8')));
    writeFileSync(join(resultsDir, 'deploy.md'), md);
    console.log(md);
    return;
  }
  const absent = missing();
  if (absent.length) {
    log(`skipped: needs ${absent.join(', ')} (bash test/e2e/install.sh as root, npm run build)`);
    return;
  }
  const h = { deploy: await harness('deploy-node'), sipp: await harness('sipp'), dtmf: await harness('dtmf'), ports: await harness('ports'), env: await harness('env') };
  const work = mkdtempSync(join(tmpdir(), 'callplan-bench-deploy-'));
  const rtpPorts = Math.max(512, Math.ceil((RATE * HOLD_MS) / 1000) * 4 * 2);
  const node = await h.deploy.startDeployNode('bench-deploy', { requireModules: ['app_queue.so'], rtpPorts });
  const busy = Array.from({ length: BUSY }, () => spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
  if (BUSY) log(`${BUSY} busy loops run until the end (pids ${busy.map((b) => b.pid).join(' ')})`);
  try {
    const dir = join(work, 'project');
    const env = { NO_COLOR: '1' };
    const files = writeBenchProject(dir, node, env);
    log(`generated ${USERS} users (${files.length} files); first deploy ...`);
    const first = await callplanDeploy(h, dir, node, env);
    log(`first deploy: ${first.wallSeconds} s, ${first.bytesSent} bytes sent`);
    if (!first.ok) log(`the first deploy failed (measured on regardless):\n${first.output}`);

    const restore = renameUser(dir);
    const callplan = await underCalls(h, node, work, 'callplan', () => callplanDeploy(h, dir, node, env));
    if (!callplan.ok) log(`callplan's deploy failed:\n${callplan.output}`);

    let naive = null;
    let naiveSkipped = null;
    if (!haveRsync()) naiveSkipped = 'no rsync (apt could not install it)';
    else {
      // Back to the release before the change, then the same change by hand.
      restore();
      const back = await callplanDeploy(h, dir, node, env);
      if (!back.ok) naiveSkipped = `putting the node back on the release before the change failed:\n${back.output}`;
      else {
        renameUser(dir);
        naive = await underCalls(h, node, work, 'by hand', () => Promise.resolve(naiveDeploy(dir, node, env)));
      }
    }
    if (naiveSkipped) log(`the peer (rsync + core reload) is left out: ${naiveSkipped}`);

    const result = {
      date: new Date().toISOString(),
      commit: spawnSync('git', ['-C', repo, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8' }).stdout.trim() || null,
      machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}`,
      load: loadavg().map((x) => round(x, 2)).join(' '),
      busyLoops: BUSY,
      asterisk: h.env.installedAsterisk(),
      project: `${USERS.toLocaleString('en')} users, 500 queues, 200 IVR menus, 50 sites (bench/generate-project.js)`,
      first: { ...first, startedAt: undefined, endedAt: undefined },
      callplan: { ...callplan, startedAt: undefined, endedAt: undefined },
      naive: naive && { ...naive, startedAt: undefined, endedAt: undefined },
      ...(naiveSkipped && { naiveSkipped }),
      ratio: naive && { wall: round(callplan.wallSeconds / naive.wallSeconds, 2), bytes: naive.bytesSent ? round(callplan.bytesSent / naive.bytesSent, 2) : null },
    };
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'deploy.json'), `${JSON.stringify(result, null, 2)}\n`);
    const md = markdown(result);
    writeFileSync(join(resultsDir, 'deploy.md'), md);
    console.log(md);
  } finally {
    for (const b of busy) b.kill('SIGKILL');
    await node.stop();
    if (!process.env.CALLPLAN_BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

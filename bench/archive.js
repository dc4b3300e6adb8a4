#!/usr/bin/env node
// Benchmark of `callplan recordings archive` (part of `npm run bench`, which builds first).
//
//   node bench/archive.js [--files N] [--kb N] [--rounds N] [--no-tls]
//
// 2,000 recordings of 256 KB (with the names Asterisk gives them, across days and queues) are
// archived to a local pure-ftpd (Debian's, started here on loopback with its own folder, user and
// certificate) by callplan with verification on, and uploaded from the same folder by Debian's lftp
// (`mirror -R --parallel=4`, the reference: it uploads and verifies nothing), in the same run,
// alternating, each round on an emptied server. Both use 4 connections. Reported: files/s and MB/s
// (wall time of the whole command, process start included); plain FTP and FTPS (explicit TLS).
// pure-ftpd and lftp are installed with apt when missing (root). Writes bench/results/archive.json
// and archive.md. Reports, never asserts: exits 0 unless the benchmark itself could not run.

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { harness } from './lib/harness.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = join(benchDir, '..');
const resultsDir = join(benchDir, 'results');
const cli = join(repo, 'bin/run.js');
const log = (...a) => console.error('[bench:archive]', ...a);

const argv = process.argv.slice(2);
const arg = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const FILES = arg('--files', 2000);
const KB = arg('--kb', 256);
const ROUNDS = arg('--rounds', 2);
const TLS = !argv.includes('--no-tls');
const PARALLEL = 4;
const RUN_TIMEOUT_MS = 10 * 60 * 1000;
const PURE_FTPD = '/usr/sbin/pure-ftpd';
const USER = 'bench';
const UID = 65534;

const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// ---------------------------------------------------------------- prerequisites
function aptInstall(pkg, binary) {
  if (existsSync(binary)) return true;
  if (process.getuid?.() !== 0) return false;
  log(`installing ${pkg} with apt ...`);
  const script = `set -e; own=""; if [ ! -e /usr/sbin/policy-rc.d ]; then own=1; printf '#!/bin/sh\\nexit 101\\n' >/usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; fi
    rc=0; export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends ${pkg} >/dev/null 2>&1 || { apt-get -o DPkg::Lock::Timeout=120 update -qq && apt-get install -y -qq -o DPkg::Lock::Timeout=120 --no-install-recommends ${pkg}; } || rc=$?
    [ -z "$own" ] || rm -f /usr/sbin/policy-rc.d; exit $rc`;
  mkdirSync('/var/cache/callplan-e2e', { recursive: true });
  const r = spawnSync('flock', ['-w', '900', '/var/cache/callplan-e2e/install.lock', 'sh', '-c', script], { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) log(`apt-get install ${pkg} failed: ${(r.stderr ?? '').trim().slice(-300)}`);
  return existsSync(binary);
}

// ---------------------------------------------------------------- ports: the e2e harness's own locks (test/e2e/harness/ports.ts), so a test run and the bench never share one
const { reservePorts: reserve, releasePorts } = await harness('ports');
const reserved = [];
async function reservePorts(count) {
  const base = await reserve(count);
  reserved.push([base, count]);
  return base;
}
process.on('exit', () => reserved.forEach(([base, count]) => releasePorts(base, count)));

// ---------------------------------------------------------------- server
async function startServer(dir) {
  const home = join(dir, 'home');
  mkdirSync(home);
  chownSync(home, UID, UID);
  const ssl = (args) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  ssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=callplan bench CA']);
  ssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n');
  ssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '1', '-extfile', 'server.ext']);
  writeFileSync(join(dir, 'server.pem'), readFileSync(join(dir, 'server.key'), 'utf8') + readFileSync(join(dir, 'server.crt'), 'utf8'), { mode: 0o600 });
  rmSync(join(dir, 'ca.key'));
  const password = `Bench-${randomBytes(12).toString('base64url')}`;
  const hash = execFileSync('openssl', ['passwd', '-6', '-stdin'], { input: password, encoding: 'utf8' }).trim();
  writeFileSync(join(dir, 'passwd'), `${USER}:${hash}:${UID}:${UID}::${home}/./::::::::::::\n`, { mode: 0o600 });
  execFileSync('pure-pw', ['mkdb', join(dir, 'users.pdb'), '-f', join(dir, 'passwd')], { stdio: 'pipe' });
  const passive = 64;
  const port = await reservePorts(1 + passive);
  const out = openSync(join(dir, 'pure-ftpd.out'), 'a');
  const proc = spawn('setpriv', ['--pdeathsig', 'KILL', '--', PURE_FTPD, '-S', `127.0.0.1,${port}`, '-p', `${port + 1}:${port + passive}`, '-P', '127.0.0.1', '-l', `puredb:${join(dir, 'users.pdb')}`, '-E', '-A', '-j', '-H', '-f', 'none', '-Y', '1', '-2', join(dir, 'server.pem'), '-c', '50', '-C', '50'], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const end = Date.now() + 10_000;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port });
      s.once('error', () => resolve(false));
      s.once('data', (d) => {
        s.destroy();
        resolve(d.toString().startsWith('220'));
      });
    });
    if (ok) break;
    if (Date.now() > end || proc.exitCode !== null) throw new Error(`pure-ftpd did not start: ${readFileSync(join(dir, 'pure-ftpd.out'), 'utf8').slice(-500)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    port,
    password,
    home,
    caFile: join(dir, 'ca.pem'),
    stop() {
      try {
        process.kill(-proc.pid, 'SIGKILL');
      } catch {
        // gone
      }
    },
  };
}

// ---------------------------------------------------------------- data
function makeRecordings(dir) {
  mkdirSync(dir, { recursive: true });
  const body = randomBytes(KB * 1024);
  const queues = ['payments', 'identification', 'early_arrears', 'direct'];
  const old = (Date.now() - 3 * 3600 * 1000) / 1000;
  for (let i = 0; i < FILES; i++) {
    const t = new Date(Date.UTC(2026, 0, 20 + (i % 5), 8 + (i % 10), i % 60, (i * 7) % 60));
    const stamp = t.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const name = `${stamp}_${queues[i % 4]}_${2100 + (i % 50)}_${1768900000 + i}.${i}.wav`;
    body.writeUInt32BE(i, 0); // every file different
    const f = join(dir, name);
    writeFileSync(f, body);
    utimesSync(f, old, old);
  }
}

/** Files and bytes below a folder. */
function inventory(root) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(root);
  return { files, bytes };
}

// ---------------------------------------------------------------- runs
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/** Runs a command; wall time here, CPU time (user + system) from /usr/bin/time when it is there. */
function timed(cmd, args, env) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const [exe, argv] = TIME ? [TIME, ['-f', 'callplan-bench-cpu %U %S', cmd, ...args]] : [cmd, args];
    const child = spawn(exe, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      const cpu = /callplan-bench-cpu ([\d.]+) ([\d.]+)/.exec(stderr);
      resolve({ code, seconds: (performance.now() - t0) / 1000, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : undefined, stdout, stderr: stderr.replace(/callplan-bench-cpu .*\n?/, '') });
    });
  });
}

function variants(server, src, journalDir) {
  const url = (scheme, folder) => `${scheme}://127.0.0.1:${server.port}/${folder}`;
  const callplan = (id, label, scheme, verify, extra = []) => ({
    id,
    label,
    tool: 'callplan',
    tls: scheme === 'ftps',
    verify,
    folder: id,
    run: () =>
      timed(
        process.execPath,
        [cli, 'recordings', 'archive', '--source', src, '--url', url(scheme, id), '--user', USER, '--password', '${env:BENCH_FTP_PASSWORD}', '--verify', verify, '--older-than', '1h', '--keep-local', '--journal', join(journalDir, `${id}-${Date.now()}.journal`), '--parallel', String(PARALLEL), '--format', 'json', ...(scheme === 'ftps' ? ['--ca', server.caFile] : []), ...extra],
        { BENCH_FTP_PASSWORD: server.password },
      ),
  });
  const lftp = (id, label, tls) => ({
    id,
    label,
    tool: 'lftp',
    tls,
    verify: 'none',
    folder: id,
    run: () =>
      timed('lftp', [
        '-c',
        [
          'set cmd:fail-exit yes',
          'set net:max-retries 2',
          'set net:timeout 30',
          ...(tls ? ['set ftp:ssl-force true', 'set ftp:ssl-protect-data true', `set ssl:ca-file ${server.caFile}`, 'set ssl:verify-certificate yes'] : ['set ftp:ssl-allow no']),
          `open -u ${USER},${server.password} -p ${server.port} 127.0.0.1`,
          `mirror -R --parallel=${PARALLEL} ${src} /${id}`,
        ].join('; '),
      ]),
  });
  const list = [
    callplan('callplan-ftp-size', 'callplan recordings archive, FTP, --verify size', 'ftp', 'size'),
    callplan('callplan-ftp-size-atomic', 'callplan recordings archive, FTP, --verify size --atomic-rename', 'ftp', 'size', ['--atomic-rename']),
    callplan('callplan-ftp-hash', 'callplan recordings archive, FTP, --verify hash (read back)', 'ftp', 'hash'),
    lftp('lftp-ftp', 'lftp mirror -R --parallel=4, FTP (no verification)', false),
  ];
  if (TLS) {
    list.push(callplan('callplan-ftps-size', 'callplan recordings archive, FTPS, --verify size', 'ftps', 'size'));
    list.push(lftp('lftp-ftps', 'lftp mirror -R --parallel=4, FTPS (no verification)', true));
  }
  return list;
}

// ---------------------------------------------------------------- report
function markdown(r) {
  const L = [];
  L.push('# callplan benchmark: recordings archive');
  L.push('');
  L.push(`${r.date} · Node ${r.node} · ${r.cpus} × ${r.cpu} · load average ${r.loadAverageAtStart.join(' ')} at the start, ${r.loadAverageAtEnd?.join(' ') ?? '?'} at the end (a load above the number of cores means other work competed for the CPU: compare the rows, not the absolute numbers)`);
  L.push('');
  L.push(`${r.files.toLocaleString('en')} recordings of ${r.kb} KB (${round(r.totalMB)} MB) to pure-ftpd ${r.pureFtpd} on loopback, ${r.parallel} connections each, ${r.rounds} round(s) alternating the tools, each on an emptied server; wall time of the whole command (process start included), median of the rounds. lftp ${r.lftp} runs \`mirror -R --parallel=${r.parallel}\` on the same folder: it uploads, it verifies nothing. callplan lists each remote folder once, uploads each file (with --atomic-rename under a temporary name, renamed into place once verified), checks its size on the server (with --verify hash also reads it back and compares SHA-256; pure-ftpd has no HASH command) and journals it — here with --keep-local, so the same files serve every run (without it, each journal record is fsynced before the local file is deleted). CPU is the process's user + system time.`);
  L.push('');
  L.push('| Run | Files/s | MB/s | Wall s (median) | Rounds | CPU s | Every file on the server | Relative to lftp, same transport |');
  L.push('|---|---:|---:|---:|---|---:|---|---|');
  for (const v of r.results) {
    if (v.error) {
      L.push(`| ${v.label} | failed | | | | | | ${v.error.split('\n')[0]} |`);
      continue;
    }
    const ref = r.results.find((x) => x.tool === 'lftp' && x.tls === v.tls && !x.error);
    const rel = v.tool === 'lftp' || !ref ? '' : `${round(v.mbPerSecond / ref.mbPerSecond, 2)}×`;
    L.push(`| ${v.label} | ${round(v.filesPerSecond)} | ${round(v.mbPerSecond)} | ${round(v.seconds, 2)} | ${v.samples.map((s) => round(s, 2)).join(', ')} | ${v.cpuSeconds ?? ''} | ${v.complete ? 'yes' : '**no**'} | ${rel} |`);
  }
  L.push('');
  const aim = r.results.find((x) => x.id === 'callplan-ftp-size');
  const ref = r.results.find((x) => x.id === 'lftp-ftp');
  if (aim && ref && !aim.error && !ref.error) L.push(`Aim (at least lftp's throughput while verifying every file, plain FTP): ${aim.mbPerSecond >= ref.mbPerSecond ? 'met' : '**not met**'} (${round(aim.mbPerSecond)} vs ${round(ref.mbPerSecond)} MB/s).`, '');
  if (r.notMeasured.length) L.push(`Not measured: ${r.notMeasured.join('; ')}.`, '');
  L.push(`Produced by \`node bench/archive.js\` (part of \`npm run bench\`) in ${r.totalSeconds} s.`);
  return L.join('\n') + '\n';
}

// ---------------------------------------------------------------- main
async function main() {
  const t0 = performance.now();
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    loadAverageAtStart: loadavg().map((x) => round(x, 2)),
    files: FILES,
    kb: KB,
    totalMB: (FILES * KB * 1024) / 1e6,
    parallel: PARALLEL,
    rounds: ROUNDS,
    results: [],
    notMeasured: [],
  };
  const write = () => {
    result.loadAverageAtEnd = loadavg().map((x) => round(x, 2));
    result.totalSeconds = round((performance.now() - t0) / 1000);
    mkdirSync(resultsDir, { recursive: true });
    writeFileSync(join(resultsDir, 'archive.json'), JSON.stringify(result, null, 2) + '\n');
    const md = markdown(result);
    writeFileSync(join(resultsDir, 'archive.md'), md);
    process.stdout.write(md);
  };
  if (!existsSync(join(repo, 'dist/commands/recordings/archive.js'))) {
    result.notMeasured.push('dist/ is missing (run npm run build)');
    return write();
  }
  if (!aptInstall('pure-ftpd', PURE_FTPD)) {
    result.notMeasured.push('pure-ftpd is not installed and cannot be (not root)');
    return write();
  }
  const haveLftp = aptInstall('lftp', '/usr/bin/lftp');
  if (!haveLftp) result.notMeasured.push('lftp (not installed, and not root to install it)');
  result.pureFtpd = /v([\d.]+)/.exec(spawnSync(PURE_FTPD, ['--help'], { encoding: 'utf8' }).stdout + '')?.[1] ?? '?';
  result.lftp = haveLftp ? (/Version ([\d.]+)/.exec(spawnSync('lftp', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '?') : undefined;

  const work = mkdtempSync(join(tmpdir(), 'callplan-bench-archive-'));
  chmodSync(work, 0o755);
  let server;
  try {
    const src = join(work, 'recordings');
    const tg = performance.now();
    makeRecordings(src);
    result.generateSeconds = round((performance.now() - tg) / 1000, 2);
    log(`${FILES} files of ${KB} KB written in ${result.generateSeconds} s`);
    server = await startServer(work);
    const journals = join(work, 'journals');
    mkdirSync(journals);
    const all = variants(server, src, journals).filter((v) => v.tool !== 'lftp' || haveLftp);
    const samples = new Map(all.map((v) => [v.id, { ...v, samples: [], cpu: [], complete: true }]));
    for (let r = 1; r <= ROUNDS; r++) {
      // Alternate the order each round, so neither tool always runs on a warmer machine.
      const order = r % 2 ? all : [...all].reverse();
      for (const v of order) {
        const s = samples.get(v.id);
        if (s.error) continue;
        const folder = join(server.home, v.folder);
        rmSync(folder, { recursive: true, force: true });
        spawnSync('sync');
        const res = await v.run();
        const inv = inventory(folder);
        const ok = res.code === 0 && inv.files === FILES && inv.bytes === FILES * KB * 1024;
        if (res.code !== 0) s.error = `exit ${res.code}: ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join(' / ')}`;
        else {
          s.samples.push(res.seconds);
          if (res.cpuSeconds !== undefined) s.cpu.push(res.cpuSeconds);
          s.complete &&= ok;
        }
        log(`round ${r}: ${v.id}: ${round(res.seconds, 2)} s, ${inv.files} files on the server${res.code ? ` (exit ${res.code})` : ''}`);
        rmSync(folder, { recursive: true, force: true });
      }
    }
    for (const s of samples.values()) {
      const { run: _run, ...rest } = s;
      const seconds = s.samples.length ? median(s.samples) : undefined;
      result.results.push({ ...rest, ...(seconds && { seconds: round(seconds, 3), filesPerSecond: round(FILES / seconds, 1), mbPerSecond: round(result.totalMB / seconds, 1) }), ...(s.cpu.length && { cpuSeconds: round(median(s.cpu), 2) }) });
    }
  } finally {
    server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  write();
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

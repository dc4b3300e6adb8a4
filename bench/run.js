#!/usr/bin/env node
// callplan benchmark (`npm run bench`, which builds first).
//
//   node bench/run.js [--quick] [--no-profile] [--keep] [--trace-calls N] [--plan-only]
//
// 1. Generates the big project (10,000 users, 500 queues, 200 IVR menus, 50 sites) into
//    bench/.work/ in two layouts: split files (callplan.yaml + include) and one single file,
//    plus the same data as JSON.
// 2. Measures, each sample in a fresh `node` process, median of N runs:
//    - checkProject (load + validate + normalize) of both layouts: time and peak RSS;
//    - baselines on the same data: js-yaml load (CORE_SCHEMA), JSON.parse, `yaml` parseDocument().toJS()
//      (reference only), `node -e 0`;
//    - cold start of `node bin/run.js --version` against `node -e 0`;
//    - the build of both layouts (every generated file: model.json and asterisk/*.conf):
//      checkProject, buildFiles and the toll-fraud check timed apart in one process, peak RSS after
//      each, writeTree of the output; baseline: JSON.stringify(model) + writeFileSync (a trivial
//      "compiler" of the same model);
//    - the whole CLI, `node bin/run.js build <project> --out <tmp dir>`, wall and peak RSS, against
//      `node -e 0`; its output is checked to be the bytes buildFiles produced.
//    - trace (dist/callflow/trace.js): 100,000 deterministic random calls over the same project
//      (bench/trace-calls.js: inbound to its DIDs, internal user to user, outbound to numbers of its
//      outbound patterns), generated after checkProject in each fresh process; only the trace loop is
//      timed, over the first --trace-calls N of them (default all 100,000, about 4 s a process;
//      --quick takes 5,000);
//      calls per second, the outcome mix, peak RSS; baseline: JSON.stringify of each of the 100,000
//      call objects in the same process.
//    - the 7×24 coverage grid (dist/analysis/coverage.js) of 200 numbers over the 50 sites, against
//      a plain trace every quarter hour of the same weeks (the reference algorithm), and every
//      analysis validate runs over the whole project.
//    Then one CPU profile each of checkProject, of the build (cut to the buildFiles and the
//    security-check phases) and of the trace loop.
//    - plan: the split project committed in a git repository of its own, one user renamed in the
//      working tree (the typical pull request), `node bin/run.js plan PROJECT --against HEAD`:
//      wall, CPU and peak RSS, in rounds with `node bin/run.js build` of the same working tree as
//      the reference (plan builds twice, so about 2× build is its floor), reported as ratios.
// 3. Writes bench/results/latest.json and latest.md and prints the markdown table; the plan part
//    also to bench/results/plan.json and plan.md. `--plan-only` measures plan alone (writing only
//    plan.json and plan.md).
//
// Reports, never asserts: the exit code is 0 unless the benchmark itself could not run.
// Every child process is bounded by a timeout, and the whole run by a time budget.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { writeProject } from './generate-project.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = join(benchDir, '..');
const workDir = join(benchDir, '.work');
const resultsDir = join(benchDir, 'results');
const measureScript = join(benchDir, 'measure.js');
const checkModule = join(repo, 'dist/project/check.js');
const cliEntry = join(repo, 'bin/run.js');
const traceModule = join(repo, 'dist/callflow/trace.js');
const coverageModule = join(repo, 'dist/analysis/coverage.js');
const buildModules = ['dist/project/build.js', 'dist/targets/asterisk/security/check.js', 'dist/build/write-tree.js'].map((f) => join(repo, f));
const rssHook = pathToFileURL(join(benchDir, 'rss-on-exit.js')).href;

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick'); // fewer samples, for trying the script out
const PROFILE = !args.has('--no-profile');
const PLAN_ONLY = args.has('--plan-only'); // the plan measurement alone (plan.json, plan.md)
const N_PLAN = QUICK ? 2 : 3;
const PLAN_TIMEOUT_MS = 180_000; // one plan of the 10k project: two builds and a comparison
const PLAN_BUDGET_MS = 240 * 1000; // the plan rounds have their own budget, after the rest
/** The user the plan benchmark renames (as bench/deploy.js does): not a group's first member, so only they change. */
const RENAMED = '20001';
const N_BIG = QUICK ? 2 : 5;
const N_COLD = QUICK ? 3 : 15;
const BUDGET_MS = 150 * 1000; // stop taking more samples after this; report what we have (whole run ~1 min)
const CHILD_TIMEOUT_MS = 60_000; // one big-project sample
const SMALL_TIMEOUT_MS = 20_000; // baselines and cold start
const AIM_BIG_MS = 1000;
const AIM_COLD_MS = 250;
const AIM_BUILD_MS = 1500; // validate + build together
// trace: how many of the 100,000 generated calls each process traces (all of them are generated)
const argValue = (name) => {
  const a = process.argv.slice(2);
  const i = a.findIndex((x) => x === name || x.startsWith(`${name}=`));
  if (i < 0) return undefined;
  return a[i].includes('=') ? a[i].slice(name.length + 1) : a[i + 1];
};
const TRACE_CALLS_GIVEN = argValue('--trace-calls');
const TRACE_CALLS = Math.max(1, Math.min(100_000, Number(TRACE_CALLS_GIVEN) || (QUICK ? 5000 : 100_000)));
// The trace rounds have their own budget (they run after the rest); none when --trace-calls is given.
const TRACE_BUDGET_MS = TRACE_CALLS_GIVEN ? Infinity : 120 * 1000;
const TRACE_TIMEOUT_MS = Math.max(CHILD_TIMEOUT_MS, 30_000 + TRACE_CALLS * 10);

const started = performance.now();
const overBudget = () => performance.now() - started > BUDGET_MS;
const log = (...a) => console.error('[bench]', ...a);

// Secrets the generated project references: every ${env:NAME} found in its files gets a value.
// Derived, not random, so runs are comparable; 43 random-looking characters, so no "weak secret"
// rule fires (20+ characters of any kind pass; the master secret needs 32).
const derive = (label) => createHash('sha256').update(`callplan-bench/${label}`).digest('base64url');
let benchEnv = { ...process.env, NO_COLOR: '1' };

function secretEnv(projects) {
  const names = new Set();
  for (const p of projects) {
    for (const f of p.files) {
      if (!/\.ya?ml$/.test(f.path)) continue;
      for (const m of readFileSync(join(p.dir, f.path), 'utf8').matchAll(/\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}/g)) names.add(m[1]);
    }
  }
  return Object.fromEntries([...names].sort().map((n) => [n, derive(n)]));
}

// Where the build modes and the CLI write their output; created in main, removed at the end.
let tmpRoot;

// ---------------------------------------------------------------- child processes
/** Runs node with args, bounded. Returns { ok, wallMs, stdout, stderr, status, error }. */
function runNode(nodeArgs, timeout) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, nodeArgs, {
    cwd: repo,
    env: benchEnv,
    encoding: 'utf8',
    timeout,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const wallMs = performance.now() - t0;
  let error;
  if (r.error) error = r.error.code === 'ETIMEDOUT' ? `timed out after ${timeout} ms` : String(r.error.message);
  else if (r.signal) error = `killed by ${r.signal}`;
  else if (r.status !== 0) error = `exit code ${r.status}`;
  return { ok: !error, wallMs, stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status, error };
}

function measure(mode, target, timeout = SMALL_TIMEOUT_MS, extraNodeArgs = []) {
  const res = runNode([...extraNodeArgs, measureScript, mode, ...(target ? [target] : [])], timeout);
  if (!res.ok) return { ...res, data: undefined };
  const line = res.stdout.trim().split('\n').pop();
  try {
    return { ...res, data: JSON.parse(line) };
  } catch {
    return { ...res, ok: false, error: `unreadable output: ${line?.slice(0, 200)}` };
  }
}

// ---------------------------------------------------------------- statistics
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const stats = (xs) =>
  xs.length ? { median: round(median(xs)), min: round(Math.min(...xs)), max: round(Math.max(...xs)), samples: xs.length } : null;
const round = (x, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const ratio = (a, b) => (a && b ? round(a.median / b.median, 2) : null);

// ---------------------------------------------------------------- series
/** A measurement collected round by round so noise spreads over all of them. */
class Series {
  constructor(id, label, run, n) {
    Object.assign(this, { id, label, run, n, samples: [], errors: [], last: undefined });
  }
  get done() {
    return this.samples.length >= this.n || this.errors.length > 0;
  }
  step() {
    const r = this.run();
    if (!r.ok) {
      this.errors.push(r.error + (r.stderr ? `\n${r.stderr.trim().split('\n').slice(-15).join('\n')}` : ''));
      return;
    }
    this.samples.push(r);
    this.last = r;
  }
  pick(f) {
    return stats(this.samples.map(f).filter((x) => typeof x === 'number'));
  }
}

function runRounds(series, label, over = overBudget) {
  // one discarded warm-up of each (file cache, compile cache), then interleaved rounds
  for (const s of series) {
    const w = s.run();
    if (!w.ok) s.errors.push(w.error + (w.stderr ? `\n${w.stderr.trim().split('\n').slice(-15).join('\n')}` : ''));
    else s.warmup = w;
  }
  let n = 0;
  while (series.some((s) => !s.done)) {
    if (over()) {
      log(`time budget reached during ${label}; reporting the samples taken so far`);
      break;
    }
    n++;
    for (const s of series) if (!s.done) s.step();
    log(`${label}: round ${n} done`);
  }
}

// ---------------------------------------------------------------- CPU profile (where the time goes)
/** Runs one measure.js sample under --cpu-prof; returns { prof, data } or { error }. */
function takeProfile(mode, target, timeout = CHILD_TIMEOUT_MS) {
  const profDir = join(workDir, 'profile', mode);
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const r = measure(mode, target, timeout, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200']);
  if (!r.ok) return { error: r.error };
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return { error: 'no profile written' };
  return { prof: JSON.parse(readFileSync(join(profDir, file), 'utf8')), data: r.data };
}

/**
 * Time by file, folder and function in a CPU profile; only the samples taken in [from, to)
 * (µs, the clock of process.hrtime) when a window is given. Shares are of the time analysed.
 */
function analyzeProfile(prof, window) {
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const groupOf = (url) => {
    if (!url) return null;
    const p = url.startsWith('file://') ? fileURLToPath(url) : url;
    if (p.startsWith('node:')) return null;
    const nm = p.lastIndexOf('node_modules/');
    if (nm >= 0) {
      const rest = p.slice(nm + 'node_modules/'.length).split('/');
      return `node_modules/${rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]}`;
    }
    return p.startsWith(repo) ? relative(repo, p) : null;
  };
  const dirOf = (g) => (g.startsWith('dist/') ? `${dirname(g)}/` : g);
  const self = new Map();
  const inclusive = new Map();
  const inclusiveDir = new Map();
  const selfFn = new Map();
  let total = 0;
  const samples = prof.samples ?? [];
  const deltas = prof.timeDeltas ?? [];
  const bump = (m, k, dt) => m.set(k, (m.get(k) ?? 0) + dt);
  let at = prof.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0; // when sample i was taken
    if (window && (at < window.from || at >= window.to)) continue;
    const dt = (deltas[i + 1] ?? deltas[i] ?? 0) / 1000; // µs → ms; delta i+1 is the time spent in sample i
    total += dt;
    let id = samples[i];
    const leaf = byId.get(id);
    const leafFile = groupOf(leaf?.callFrame.url);
    const leafGroup = leafFile ?? (leaf?.callFrame.functionName === '(garbage collector)' ? '(garbage collector)' : '(node internals / other)');
    bump(self, leafGroup, dt);
    if (leafFile) bump(selfFn, `${leaf.callFrame.functionName || '(anonymous)'} ${leafFile}:${leaf.callFrame.lineNumber + 1}`, dt);
    const seen = new Set();
    const seenDir = new Set();
    while (id !== undefined) {
      const g = groupOf(byId.get(id)?.callFrame.url);
      if (g && !g.startsWith('bench/')) {
        if (!seen.has(g)) {
          seen.add(g);
          bump(inclusive, g, dt);
        }
        const d = dirOf(g);
        if (!seenDir.has(d)) {
          seenDir.add(d);
          bump(inclusiveDir, d, dt);
        }
      }
      id = parent.get(id);
    }
  }
  const top = (m, n) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([file, ms]) => ({ file, ms: round(ms), share: round((100 * ms) / total, 1) }));
  return { totalMs: round(total), inclusiveByFolder: top(inclusiveDir, 12), inclusive: top(inclusive, 20), self: top(self, 12), selfByFunction: top(selfFn, 15) };
}

function profileCheck(target) {
  const p = takeProfile('check', target);
  if (p.error) return { error: p.error };
  return { ...analyzeProfile(p.prof), checkMs: round(p.data.ms) };
}

/** The build process profiled once, cut to its buildFiles and security-check phases. */
function profileBuild(target) {
  const p = takeProfile('build', target);
  if (p.error) return { error: p.error };
  const w = p.data.window;
  return {
    target: relative(repo, target),
    checkMs: round(p.data.checkMs),
    buildMs: round(p.data.buildMs),
    securityMs: round(p.data.securityMs),
    build: analyzeProfile(p.prof, { from: w.buildFrom, to: w.buildTo }),
    security: analyzeProfile(p.prof, { from: w.securityFrom, to: w.securityTo }),
  };
}

/** The trace process profiled once, cut to its trace loop. */
function profileTrace(target) {
  const p = takeProfile('trace', target, TRACE_TIMEOUT_MS);
  if (p.error) return { error: p.error };
  const w = p.data.window;
  return { traced: p.data.traced, traceMs: round(p.data.traceMs), trace: analyzeProfile(p.prof, { from: w.traceFrom, to: w.traceTo }) };
}

/** Every file under dir: count, bytes and the hash measure.js computes over a FileTree (the marker left out). */
function inventory(dir) {
  const files = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(relative(dir, p).split('\\').join('/'));
    }
  };
  walk(dir);
  const marker = files.filter((f) => f === '.callplan-build').length;
  const generated = files.filter((f) => f !== '.callplan-build').sort((a, b) => (a < b ? -1 : 1));
  const h = createHash('sha256');
  let bytes = 0;
  for (const f of generated) {
    const content = readFileSync(join(dir, f));
    bytes += content.length;
    h.update(f).update('\0').update(content).update('\0');
  }
  return { files: generated.length + marker, generatedFiles: generated.length, marker: marker === 1, bytes, sha256: h.digest('hex') };
}

/** One sample of the whole CLI build into a new folder; keeps an inventory of the first output. */
function cliBuild(layout, target, outputs) {
  let n = 0;
  return () => {
    const out = join(tmpRoot, `cli-${layout}-${n++}`);
    const r = runNode(['--import', rssHook, cliEntry, 'build', target, '--out', out], CHILD_TIMEOUT_MS);
    const m = /\[callplan-bench\] (\{.*\})/.exec(r.stderr);
    if (m) r.data = JSON.parse(m[1]);
    if (r.ok && !outputs[layout]) outputs[layout] = { stdout: r.stdout.trim(), ...inventory(out) };
    rmSync(out, { recursive: true, force: true });
    return r;
  };
}

/** Paths and mtimes of every file under dist/: tells whether dist/ was rebuilt while the benchmark ran. */
function distFingerprint() {
  const h = createHash('sha256');
  const walk = (d) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else h.update(`${relative(repo, p)} ${statSync(p).mtimeMs}\n`);
    }
  };
  walk(join(repo, 'dist'));
  return h.digest('hex').slice(0, 16);
}

// ---------------------------------------------------------------- plan --against
/**
 * The typical pull request: the split project committed in a git repository of its own, then one
 * user renamed in the working tree (their endpoint, voicemail box, queue memberships and phones'
 * files change). Returns the project as writeProject does.
 */
function planRepository() {
  const root = join(tmpRoot, 'plan-repo');
  const project = writeProject(join(root, 'project'), {});
  const git = (...a) => {
    const r = spawnSync('git', ['-c', 'user.name=callplan bench', '-c', 'user.email=bench@callplan.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...a], { cwd: root, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr || r.error}`);
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'the 10,000-user project');
  const file = join(project.dir, 'users/warsaw.yaml');
  const text = readFileSync(file, 'utf8');
  const next = text.replace(new RegExp(`(- extension: "${RENAMED}"\\n\\s+name: )(.+)`), (_, head, name) => `${head}${name}-Nowak`);
  if (next === text) throw new Error(`user ${RENAMED} not found in ${file}`);
  writeFileSync(file, next);
  return project;
}

/** One sample of `plan <project> --against HEAD`: checks the plan shows the renamed user. */
function cliPlan(target, outputs) {
  return () => {
    const r = runNode(['--import', rssHook, cliEntry, 'plan', target, '--against', 'HEAD'], PLAN_TIMEOUT_MS);
    const m = /\[callplan-bench\] (\{.*\})/.exec(r.stderr);
    if (m) r.data = JSON.parse(m[1]);
    if (r.ok && !r.stdout.includes(`user ${RENAMED}: name `)) return { ...r, ok: false, error: `the plan does not show user ${RENAMED} renamed` };
    if (r.ok && !outputs.plan) outputs.plan = { bytes: Buffer.byteLength(r.stdout), model: /^Model: (.*)$/m.exec(r.stdout)?.[1], files: /^Files: (.*)$/m.exec(r.stdout)?.[1], reloads: [...r.stdout.matchAll(/^    (\S.*)  \((asterisk|kamailio|systemd)\)$/gm)].map((x) => x[1]) };
    return r;
  };
}

/** plan --against HEAD and the build of the same working tree, in interleaved rounds; measurements in the 'plan' group. */
function measurePlan(project) {
  const outputs = {};
  const plan = new Series('plan', 'plan --against HEAD', cliPlan(project.dir, outputs), N_PLAN);
  const build = new Series('plan-build', 'CLI build, same project', cliBuild('plan-reference', project.dir, outputs), N_PLAN);
  const startedAt = performance.now();
  runRounds([plan, build], 'plan', () => performance.now() - startedAt > PLAN_BUDGET_MS);
  const wall = (s) => s.pick((r) => r.wallMs);
  const cpu = (s) => s.pick((r) => r.data?.cpuMs);
  const rss = (s) => s.pick((r) => r.data?.maxRSSKiB / 1024);
  const P = (m) => ({ group: 'plan', ...m });
  const measurements = [
    P({ id: 'plan-wall', what: 'plan PROJECT --against HEAD, one user renamed, whole CLI, wall', unit: 'ms', ...wall(plan), baseline: 'CLI build of the same project', ratio: ratio(wall(plan), wall(build)), errors: plan.errors }),
    P({ id: 'plan-cpu', what: '  CPU time (user + system)', unit: 'ms', ...cpu(plan), baseline: 'CLI build', ratio: ratio(cpu(plan), cpu(build)) }),
    P({ id: 'plan-rss', what: '  peak RSS', unit: 'MiB', ...rss(plan), baseline: 'CLI build', ratio: ratio(rss(plan), rss(build)) }),
    P({ id: 'plan-build-wall', what: 'reference: build PROJECT --out TMP, same working tree, whole CLI, wall', unit: 'ms', ...wall(build), errors: build.errors }),
    P({ id: 'plan-build-cpu', what: '  CPU time (user + system)', unit: 'ms', ...cpu(build) }),
    P({ id: 'plan-build-rss', what: '  peak RSS', unit: 'MiB', ...rss(build) }),
  ];
  return { measurements, info: { renamed: RENAMED, output: outputs.plan ?? null, buildOutput: outputs['plan-reference']?.stdout ?? null, errors: Object.fromEntries([plan, build].filter((s) => s.errors.length).map((s) => [s.id, s.errors[0]])) } };
}

/** The plan part of the report (also the whole of plan.md). */
function planSection(r, L, table) {
  const p = r.plan;
  L.push('## plan --against: a one-user pull request');
  L.push('');
  L.push(`The split layout of the same project committed in a git repository of its own; in the working tree user ${p.renamed} is renamed. \`node bin/run.js plan PROJECT --against HEAD\` (text format) builds the working tree and the exported revision, and compares them as models and as files. Reference, in the same interleaved rounds: \`node bin/run.js build\` of the same working tree (plan builds twice and writes nothing, so about 2× the build is its floor). CPU time is user + system of the process, less sensitive than wall time to a busy machine.`);
  L.push('');
  table(r.measurements.filter((m) => m.group === 'plan'));
  if (p.output) L.push(`The plan: model ${p.output.model}; files ${p.output.files}; reloads: ${p.output.reloads.join(', ') || 'none'}; ${p.output.bytes} bytes of text.`, '');
  for (const [id, e] of Object.entries(p.errors)) L.push(`**${id} failed:** ${e.split('\n')[0]}`, '', '```', e, '```', '');
}

/** Writes bench/results/plan.json and plan.md: the plan part alone. */
function writePlanResults(meta, measurements, info) {
  const result = { ...meta, loadAverageAtEnd: loadavg().map((x) => round(x, 2)), measurements, plan: info };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'plan.json'), JSON.stringify(result, null, 2) + '\n');
  const L = ['# callplan benchmark: plan --against', '', `${result.date} · Node ${result.node} · ${result.cpus} × ${result.cpu} · ${result.memoryGiB} GiB · load average ${result.loadAverageAtStart[0]} → ${result.loadAverageAtEnd[0]}${result.quick ? ' · QUICK run (few samples)' : ''}`, '', 'Each sample is a fresh `node` process; median (min–max) of n samples. Absolute times on a shared machine are noisy: compare the ratios.', ''];
  planSection(result, L, markdownTable(L));
  const md = L.join('\n') + '\n';
  writeFileSync(join(resultsDir, 'plan.md'), md);
  return md;
}

// ---------------------------------------------------------------- main
function main() {
  const distAtStart = distFingerprint();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    platform: `${process.platform} ${process.arch}`,
    quick: QUICK,
    loadAverageAtStart: loadavg().map((x) => round(x, 2)),
  };
  log(`node ${meta.node}, ${meta.cpus} x ${meta.cpu}`);

  if (PLAN_ONLY) {
    if (!existsSync(cliEntry)) throw new Error(`${relative(repo, cliEntry)} missing: nothing to measure`);
    tmpRoot = mkdtempSync(join(tmpdir(), 'callplan-bench-'));
    const project = planRepository();
    benchEnv = { ...benchEnv, ...secretEnv([project]) };
    const { measurements, info } = measurePlan(project);
    process.stdout.write(writePlanResults({ ...meta, distChangedDuringRun: distFingerprint() !== distAtStart }, measurements, info));
    return;
  }

  // --- projects
  mkdirSync(workDir, { recursive: true });
  const t0 = performance.now();
  const split = writeProject(join(workDir, 'big-split'), {});
  const single = writeProject(join(workDir, 'big-single'), { single: true, json: true });
  const singleFile = single.rootFile;
  const jsonFile = join(single.dir, 'callplan.json');
  const project = {
    users: 10000,
    queues: 500,
    ivr: 200,
    sites: 50,
    split: { dir: relative(repo, split.dir), files: split.files.length, bytes: split.bytes },
    single: { file: relative(repo, singleFile), bytes: single.files.find((f) => f.path === 'callplan.yaml').bytes },
    json: { file: relative(repo, jsonFile), bytes: single.files.find((f) => f.path === 'callplan.json').bytes },
    generateMs: round(performance.now() - t0),
  };
  log(`generated: split ${project.split.files} files ${(project.split.bytes / 1e6).toFixed(2)} MB, single ${(project.single.bytes / 1e6).toFixed(2)} MB, in ${project.generateMs} ms`);
  const secrets = secretEnv([split, single]);
  project.envSecrets = Object.keys(secrets);
  tmpRoot = mkdtempSync(join(tmpdir(), 'callplan-bench-'));
  benchEnv = { ...benchEnv, ...secrets, CALLPLAN_BENCH_OUT: tmpRoot, CALLPLAN_BENCH_TRACE_CALLS: String(TRACE_CALLS) };
  log(`set ${project.envSecrets.length} secrets the project names (${project.envSecrets.join(', ')}); build output goes under ${tmpRoot}`);

  const haveCheck = existsSync(checkModule);
  const haveCli = existsSync(cliEntry);
  const haveBuild = haveCheck && buildModules.every((f) => existsSync(f));
  const haveTrace = haveCheck && existsSync(traceModule);
  if (!haveCheck) log(`${relative(repo, checkModule)} missing (run npm run build): project check not measured`);
  if (!haveCli) log(`${relative(repo, cliEntry)} missing: cold start not measured`);
  if (haveCheck && !haveTrace) log(`${relative(repo, traceModule)} missing: trace not measured`);
  if (haveCheck && !haveBuild) log(`${buildModules.filter((f) => !existsSync(f)).map((f) => relative(repo, f)).join(', ')} missing: build not measured`);

  // --- big project series
  const big = [];
  if (haveCheck) {
    big.push(new Series('check-single', 'checkProject, single file', () => measure('check', singleFile, CHILD_TIMEOUT_MS), N_BIG));
    big.push(new Series('check-split', 'checkProject, split files', () => measure('check', split.dir, CHILD_TIMEOUT_MS), N_BIG));
  }
  big.push(new Series('jsyaml', 'js-yaml load (CORE_SCHEMA), single file', () => measure('jsyaml', singleFile), N_BIG));
  big.push(new Series('json', 'JSON.parse, same data', () => measure('json', jsonFile), N_BIG));
  big.push(new Series('yaml-doc', 'yaml parseDocument().toJS(), single file (reference)', () => measure('yaml', singleFile), N_BIG));
  big.push(new Series('noop-measure', 'measuring process doing nothing', () => measure('noop'), N_BIG));
  runRounds(big, 'big project');

  // --- cold start series
  const cold = [new Series('node-e0', 'node -e 0', () => runNode(['-e', '0'], SMALL_TIMEOUT_MS), N_COLD)];
  if (haveCli) cold.push(new Series('cli-version', 'node bin/run.js --version', () => runNode([cliEntry, '--version'], SMALL_TIMEOUT_MS), N_COLD));
  runRounds(cold, 'cold start');

  // --- build series: in one process (phases timed apart), the trivial baseline, the whole CLI
  const build = [];
  const cliOutputs = {};
  const layouts = [
    ['split', 'split files', split.dir],
    ['single', 'single file', singleFile],
  ];
  if (haveBuild) {
    for (const [id, , target] of layouts) build.push(new Series(`build-${id}`, `validate + build, ${id}`, () => measure('build', target, CHILD_TIMEOUT_MS), N_BIG));
    build.push(new Series('stringify', 'JSON.stringify(model) + write, split', () => measure('stringify', split.dir, CHILD_TIMEOUT_MS), N_BIG));
    if (haveCli) for (const [id, , target] of layouts) build.push(new Series(`cli-${id}`, `CLI build, ${id}`, cliBuild(id, target, cliOutputs), N_BIG));
  }
  runRounds(build, 'build');

  const profile = haveCheck && PROFILE && !overBudget() ? profileCheck(singleFile) : null;
  const buildProfile = haveBuild && PROFILE && !overBudget() ? profileBuild(split.dir) : null;

  // --- trace series: its own budget, after the rest
  const traceStarted = performance.now();
  const traceOver = () => performance.now() - traceStarted > TRACE_BUDGET_MS;
  const traces = haveTrace ? [new Series('trace', `trace of ${TRACE_CALLS} random calls, split files`, () => measure('trace', split.dir, TRACE_TIMEOUT_MS), N_BIG)] : [];
  if (haveTrace) log(`trace: ${TRACE_CALLS} of the 100,000 generated calls per process`);
  runRounds(traces, 'trace', traceOver);
  const traceProfile = haveTrace && PROFILE && !traceOver() ? profileTrace(split.dir) : null;

  // --- coverage grid series (after the trace, within the trace budget)
  const haveCoverage = haveTrace && existsSync(coverageModule);
  const coverage = haveCoverage ? [new Series('coverage', 'coverage grid of 200 numbers, split files', () => measure('coverage', split.dir, CHILD_TIMEOUT_MS), N_BIG)] : [];
  runRounds(coverage, 'coverage', () => false);

  // --- plan --against (its own budget, after the rest)
  const planned = haveCli ? measurePlan(planRepository()) : null;

  // --- collect
  const S = Object.fromEntries([...big, ...cold, ...build, ...traces, ...coverage].map((s) => [s.id, s]));
  const work = (s) => s?.pick((r) => r.data?.ms);
  const wall = (s) => s?.pick((r) => r.wallMs);
  const rssMiB = (s) => s?.pick((r) => r.data?.maxRSSKiB / 1024);
  const imp = (s) => s?.pick((r) => r.data?.importMs);

  const measurements = [];
  const add = (m) => measurements.push(m);
  const baseJsyaml = work(S.jsyaml);
  const baseJson = work(S.json);
  const baseNoopWall = wall(S['noop-measure']);
  const baseNoopRss = rssMiB(S['noop-measure']);
  const nodeE0 = wall(S['node-e0']);

  for (const [id, layout] of [
    ['check-single', 'single file'],
    ['check-split', 'split files'],
  ]) {
    const s = S[id];
    if (!s) continue;
    const w = work(s);
    add({ id: `${id}-time`, what: `load+validate+normalize, ${layout} (checkProject call)`, unit: 'ms', ...w, baseline: 'js-yaml load', ratio: ratio(w, baseJsyaml), ratioJson: ratio(w, baseJson), aim: `< ${AIM_BIG_MS} ms`, aimMet: w ? w.median < AIM_BIG_MS : null, errors: s.errors });
    const pw = wall(s);
    add({ id: `${id}-process`, what: `whole process, ${layout} (node start + import + check)`, unit: 'ms', ...pw, baseline: 'node -e 0', ratio: ratio(pw, nodeE0), aim: `< ${AIM_BIG_MS} ms`, aimMet: pw ? pw.median < AIM_BIG_MS : null });
    add({ id: `${id}-import`, what: `import dist/project/check.js, ${layout}`, unit: 'ms', ...imp(s) });
    const m = rssMiB(s);
    add({ id: `${id}-rss`, what: `peak RSS, ${layout}`, unit: 'MiB', ...m, baseline: 'empty node process', ratio: ratio(m, baseNoopRss) });
  }
  add({ id: 'jsyaml-time', what: 'baseline: js-yaml load (CORE_SCHEMA), single file', unit: 'ms', ...baseJsyaml, errors: S.jsyaml.errors });
  add({ id: 'jsyaml-rss', what: 'baseline: js-yaml load, peak RSS', unit: 'MiB', ...rssMiB(S.jsyaml), baseline: 'empty node process', ratio: ratio(rssMiB(S.jsyaml), baseNoopRss) });
  add({ id: 'json-time', what: 'baseline: JSON.parse, same data', unit: 'ms', ...baseJson, errors: S.json.errors });
  add({ id: 'yaml-doc-time', what: 'reference: yaml parseDocument().toJS(), single file', unit: 'ms', ...work(S['yaml-doc']), baseline: 'js-yaml load', ratio: ratio(work(S['yaml-doc']), baseJsyaml), errors: S['yaml-doc'].errors });
  add({ id: 'noop-rss', what: 'baseline: empty node process, peak RSS', unit: 'MiB', ...baseNoopRss });
  add({ id: 'noop-process', what: 'baseline: measuring process doing nothing, wall', unit: 'ms', ...baseNoopWall });
  add({ id: 'node-e0', what: 'baseline: node -e 0, wall', unit: 'ms', ...nodeE0, errors: S['node-e0'].errors });
  if (S['cli-version']) {
    const c = wall(S['cli-version']);
    add({ id: 'cold-start', what: 'cold start: node bin/run.js --version, wall', unit: 'ms', ...c, baseline: 'node -e 0', ratio: ratio(c, nodeE0), aim: `< ${AIM_COLD_MS} ms`, aimMet: c ? c.median < AIM_COLD_MS : null, errors: S['cli-version'].errors, output: S['cli-version'].last?.stdout.trim() });
  }

  // the build
  const field = (s, k) => s?.pick((r) => r.data?.[k]);
  const kib = (s, k) => s?.pick((r) => (typeof r.data?.[k] === 'number' ? r.data[k] / 1024 : undefined));
  const B = (m) => add({ group: 'build', ...m });
  const strMs = field(S.stringify, 'stringifyMs');
  const strWrite = work(S.stringify);
  const MB = (b) => (b / 1e6).toFixed(1);
  const outBytes = (S['build-split']?.last ?? S['build-split']?.warmup)?.data?.bytes;
  const modelBytes = (S.stringify?.last ?? S.stringify?.warmup)?.data?.bytes;
  for (const [id, layout] of layouts) {
    const s = S[`build-${id}`];
    if (!s) continue;
    const total = work(s);
    B({ id: `build-${id}-total`, what: `validate + build, ${layout}: checkProject + buildFiles + toll-fraud check, one process`, unit: 'ms', ...total, aim: `< ${AIM_BUILD_MS} ms`, aimMet: total ? total.median < AIM_BUILD_MS : null, errors: s.errors });
    B({ id: `build-${id}-check`, what: `  of which checkProject, ${layout}`, unit: 'ms', ...field(s, 'checkMs') });
    const bf = field(s, 'buildMs');
    B({ id: `build-${id}-buildfiles`, what: `  of which buildFiles (all ${s.last?.data?.files.length ?? '?'} files in memory), ${layout}`, unit: 'ms', ...bf, baseline: 'JSON.stringify(model)', ratio: ratio(bf, strMs) });
    B({ id: `build-${id}-security`, what: `  of which toll-fraud check on the built files, ${layout}`, unit: 'ms', ...field(s, 'securityMs') });
    const bw = s.pick((r) => r.data?.buildMs + r.data?.writeMs);
    B({ id: `build-${id}-build-write`, what: `buildFiles + writeTree (${outBytes ? MB(outBytes) : '?'} MB), ${layout}`, unit: 'ms', ...bw, baseline: 'JSON.stringify + write', ratio: ratio(bw, strWrite) });
    const rc = kib(s, 'rssAfterCheckKiB');
    const rb = kib(s, 'rssAfterBuildKiB');
    B({ id: `build-${id}-rss-build`, what: `peak RSS after buildFiles, ${layout}`, unit: 'MiB', ...rb, baseline: 'peak after checkProject', ratio: ratio(rb, rc) });
    const rs = kib(s, 'rssAfterSecurityKiB');
    B({ id: `build-${id}-rss`, what: `peak RSS, validate + build (after the toll-fraud check), ${layout}`, unit: 'MiB', ...rs, baseline: 'empty node process', ratio: ratio(rs, baseNoopRss) });
  }
  for (const [id, layout] of layouts) {
    const s = S[`cli-${id}`];
    if (!s) continue;
    const w = wall(s);
    B({ id: `cli-build-${id}`, what: `whole CLI: bin/run.js build ${layout} --out <tmp> (writes ${outBytes ? MB(outBytes) : '?'} MB), wall`, unit: 'ms', ...w, baseline: 'node -e 0', ratio: ratio(w, nodeE0), aim: `< ${AIM_BUILD_MS} ms (whole command)`, aimMet: w ? w.median < AIM_BUILD_MS : null, errors: s.errors });
    const r = rssMiB(s);
    B({ id: `cli-build-${id}-rss`, what: `peak RSS, whole CLI build, ${layout}`, unit: 'MiB', ...r, baseline: 'empty node process', ratio: ratio(r, baseNoopRss) });
  }
  if (S.stringify) {
    B({ id: 'stringify-time', what: `baseline: JSON.stringify(model, null, 2), same model (${modelBytes ? MB(modelBytes) : '?'} MB)`, unit: 'ms', ...strMs, errors: S.stringify.errors });
    B({ id: 'stringify-write', what: 'baseline: JSON.stringify(model, null, 2) + writeFileSync', unit: 'ms', ...strWrite });
  }
  const sample = (id) => (S[id]?.last ?? S[id]?.warmup)?.data;
  const bs = sample('build-split');
  const b1 = sample('build-single');
  const buildInfo = haveBuild
    ? {
        output: bs ? { files: bs.files.length, bytes: bs.bytes, perFile: bs.files, sha256: bs.sha256 } : null,
        sameBytesBothLayouts: bs && b1 ? bs.sha256 === b1.sha256 : null,
        differingBetweenLayouts: bs && b1 ? bs.files.filter((f) => b1.files.find((g) => g.path === f.path)?.sha256 !== f.sha256).map((f) => f.path) : null,
        securityDiagnostics: Object.fromEntries(layouts.map(([id]) => [id, sample(`build-${id}`)?.securityDiagnostics ?? null])),
        errors: Object.fromEntries(build.filter((s) => s.errors.length).map((s) => [s.id, s.errors[0]])),
        cli: Object.fromEntries(
          layouts.map(([id]) => {
            const o = cliOutputs[id];
            const inProcess = sample(`build-${id}`);
            return [id, o ? { ...o, sameAsBuildFiles: inProcess ? o.sha256 === inProcess.sha256 : null } : null];
          }),
        ),
      }
    : null;

  // trace
  const T = (m) => add({ group: 'trace', ...m });
  let traceInfo = null;
  if (S.trace) {
    const s = S.trace;
    const d = sample('trace');
    const rate = field(s, 'callsPerSec');
    const baseRate = field(s, 'stringifyCallsPerSec');
    const perCall = s.pick((r) => (1000 * r.data?.traceMs) / r.data?.traced); // µs
    const basePerCall = s.pick((r) => (1000 * r.data?.stringifyMs) / r.data?.calls);
    const of = d ? (d.traced === d.calls ? `all ${d.calls.toLocaleString('en')}` : `first ${d.traced.toLocaleString('en')} of ${d.calls.toLocaleString('en')}`) : '?';
    T({ id: 'trace-rate', what: `trace of random calls over the 10,000-user project (${of} calls, one loop; checkProject and call generation not timed)`, unit: 'calls/s', ...(rate && { ...rate, median: Math.round(rate.median), min: Math.round(rate.min), max: Math.round(rate.max) }), baseline: 'JSON.stringify of the call (time per call)', ratio: ratio(perCall, basePerCall), aim: 'none given (report only)', errors: s.errors });
    T({ id: 'trace-per-call', what: '  time per traced call', unit: 'µs', ...perCall });
    T({ id: 'trace-full-estimate', what: '  all 100,000 calls at that rate (estimate)', unit: 's', ...(rate && { median: round(100_000 / rate.median, 1), min: round(100_000 / rate.max, 1), max: round(100_000 / rate.min, 1), samples: rate.samples }) });
    const rt = kib(s, 'rssAfterTraceKiB');
    T({ id: 'trace-rss', what: 'peak RSS, trace process (checkProject + 100,000 calls in memory + traces)', unit: 'MiB', ...rt, baseline: 'empty node process', ratio: ratio(rt, baseNoopRss) });
    const rg = kib(s, 'rssAfterGenerateKiB');
    T({ id: 'trace-rss-before', what: '  of which peak before the traces (checkProject + the generated calls)', unit: 'MiB', ...rg });
    T({ id: 'trace-baseline-rate', what: 'baseline: JSON.stringify of each of the same 100,000 call objects, one loop', unit: 'calls/s', ...(baseRate && { ...baseRate, median: Math.round(baseRate.median), min: Math.round(baseRate.min), max: Math.round(baseRate.max) }) });
    T({ id: 'trace-baseline-per-call', what: '  time per call, JSON.stringify', unit: 'µs', ...basePerCall });
    traceInfo = d
      ? { generated: d.calls, traced: d.traced, kinds: d.kinds, tracedKinds: d.tracedKinds, outcomes: d.outcomes, outcomesByCallKind: d.outcomesByCallKind, reasons: d.reasons, meanSteps: round(d.meanSteps, 2), failures: d.failures, firstFailure: d.firstFailure, sameOutcomesEverySample: s.samples.every((r) => JSON.stringify(r.data.outcomes) === JSON.stringify(d.outcomes)), generateMs: round(d.generateMs), errors: s.errors }
      : { errors: s.errors };
  }
  let coverageInfo = null;
  if (S.coverage) {
    const s = S.coverage;
    const d = sample('coverage');
    const C = (m) => add({ group: 'coverage', ...m });
    const grid = s.pick((r) => r.data?.gridMs);
    const perNumber = s.pick((r) => r.data?.gridMs / r.data?.numbers);
    const naivePerNumber = s.pick((r) => r.data?.naiveMs / r.data?.naiveNumbers);
    C({ id: 'coverage-grid', what: `7×24 coverage grid of ${d?.numbers ?? '?'} numbers over ${d?.sites ?? '?'} sites (two weeks either side of DST + every holiday of the year, dist/analysis/coverage.js)`, unit: 'ms', ...grid, errors: s.errors });
    C({ id: 'coverage-per-number', what: '  time per number', unit: 'ms', ...perNumber, baseline: 'reference: a plain trace every quarter hour of the same two weeks (no holidays)', ratio: ratio(perNumber, naivePerNumber) });
    C({ id: 'coverage-naive-per-number', what: `  reference algorithm, time per number (first ${d?.naiveNumbers ?? '?'})`, unit: 'ms', ...naivePerNumber });
    C({ id: 'coverage-analyses', what: `every call-flow analysis of validate over the whole project (${d?.routes ?? '?'} inbound routes) plus the toll-fraud check`, unit: 'ms', ...s.pick((r) => r.data?.analyseMs) });
    coverageInfo = d ? { numbers: d.numbers, sites: d.sites, routes: d.routes, cellsByReach: d.cellsByReach, findings: d.findings, errors: s.errors } : { errors: s.errors };
  }

  // diagnostics of the project check (must be none)
  const checks = {};
  for (const id of ['check-single', 'check-split']) {
    const s = S[id];
    if (!s) continue;
    const d = (s.last ?? s.warmup)?.data;
    checks[id] = d ? { diagnostics: d.diagnostics, hasModel: d.hasModel, modelCounts: d.modelCounts } : { error: s.errors[0] };
  }

  if (planned) {
    measurements.push(...planned.measurements);
    writePlanResults({ ...meta, distChangedDuringRun: distFingerprint() !== distAtStart }, planned.measurements, planned.info);
  }

  const distChanged = distFingerprint() !== distAtStart;
  if (distChanged) log('WARNING: dist/ was rebuilt while the benchmark ran; the results mix two builds. Run again.');
  const result = { ...meta, distChangedDuringRun: distChanged, loadAverageAtEnd: loadavg().map((x) => round(x, 2)), project, measurements, checks, build: buildInfo, trace: traceInfo, coverage: coverageInfo, plan: planned?.info ?? null, profile, buildProfile, traceProfile, notMeasured: [haveCheck && !haveTrace && 'trace (dist/callflow/trace.js missing)', !haveCheck && 'checkProject (dist/project/check.js missing)', !haveCli && 'cold start, CLI build and plan (bin/run.js missing)', haveCheck && !haveBuild && 'build (dist build modules missing)'].filter(Boolean), totalSeconds: round((performance.now() - started) / 1000) };
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, 'latest.json'), JSON.stringify(result, null, 2) + '\n');
  const md = markdown(result);
  writeFileSync(join(resultsDir, 'latest.md'), md);
  process.stdout.write(md);
  if (!args.has('--keep')) rmSync(join(workDir, 'profile'), { recursive: true, force: true });
}

// ---------------------------------------------------------------- report
function markdown(r) {
  const fmt = (x) => (x === null || x === undefined ? '–' : String(x));
  const L = [];
  L.push('# callplan benchmark');
  L.push('');
  L.push(`${r.date} · Node ${r.node} · ${r.cpus} × ${r.cpu} · ${r.memoryGiB} GiB · load average ${r.loadAverageAtStart[0]} → ${r.loadAverageAtEnd[0]}${r.quick ? ' · QUICK run (few samples)' : ''}`);
  L.push('');
  L.push(`Project: ${r.project.users} users, ${r.project.queues} queues, ${r.project.ivr} IVR menus, ${r.project.sites} sites — single file ${(r.project.single.bytes / 1e6).toFixed(2)} MB, split ${r.project.split.files} files ${(r.project.split.bytes / 1e6).toFixed(2)} MB, JSON ${(r.project.json.bytes / 1e6).toFixed(2)} MB.`);
  L.push('Each sample is a fresh `node` process; median (min–max) of n samples. Absolute times on a shared machine are noisy: compare the ratios.');
  if (r.distChangedDuringRun) L.push('', '**dist/ was rebuilt while this benchmark ran: the results mix two builds of callplan. Run it again.**');
  L.push('');
  const table = markdownTable(L);
  table(r.measurements.filter((m) => !m.group));
  for (const [id, c] of Object.entries(r.checks)) {
    if (c.error) {
      L.push(`**${id}: failed** — ${c.error.split('\n')[0]}`);
      L.push('');
      L.push('```');
      L.push(c.error);
      L.push('```');
      L.push('');
      continue;
    }
    const d = c.diagnostics;
    const sev = Object.entries(d.bySeverity).map(([k, v]) => `${v} ${k}${v === 1 ? '' : 's'}`).join(', ') || 'none';
    L.push(`${id}: diagnostics: ${sev}${c.hasModel ? '' : ' — **no model returned**'}`);
    if (d.total) {
      L.push('');
      L.push('```');
      for (const x of d.first) L.push(`${x.file}:${x.line}:${x.column} ${x.severity} [${x.rule}] ${x.message}`);
      if (d.total > d.first.length) L.push(`... ${d.total - d.first.length} more; by rule: ${JSON.stringify(d.byRule)}`);
      L.push('```');
    }
    L.push('');
  }
  const failures = r.measurements.filter((m) => m.errors?.length && !m.group);
  for (const m of failures) {
    if (m.id.startsWith('check-')) continue; // shown above
    L.push(`**${m.what} failed:** ${m.errors[0].split('\n')[0]}`);
    L.push('');
  }
  if (r.profile && !r.profile.error) {
    L.push(`Where checkProject spends its time (one CPU profile of the single-file check, ${r.profile.totalMs} ms sampled in all, the check itself ${r.profile.checkMs} ms; inclusive = a frame of that folder is on the stack; per-file figures in latest.json):`);
    L.push('');
    L.push('| Folder / package | Inclusive ms | % of process |');
    L.push('|---|---:|---:|');
    for (const x of r.profile.inclusiveByFolder.slice(0, 10)) L.push(`| ${x.file} | ${x.ms} | ${x.share} |`);
    L.push('');
    L.push('Self time by file: ' + r.profile.self.slice(0, 6).map((x) => `${x.file} ${x.share} %`).join(', ') + '.');
    L.push('');
    L.push('Hottest functions (self): ' + r.profile.selfByFunction.slice(0, 5).map((x) => `\`${x.file}\` ${x.share} %`).join(', ') + '.');
    L.push('');
  } else if (r.profile?.error) {
    L.push(`Profile failed: ${r.profile.error}`);
    L.push('');
  }
  if (r.build) buildSection(r, L, table);
  if (r.measurements.some((m) => m.group === 'trace')) traceSection(r, L, table);
  if (r.measurements.some((m) => m.group === 'coverage')) coverageSection(r, L, table);
  if (r.plan) planSection(r, L, table);
  if (r.notMeasured.length) L.push(`Not measured: ${r.notMeasured.join('; ')}.`, '');
  L.push(`Produced by \`npm run bench\` in ${r.totalSeconds} s.`);
  return L.join('\n') + '\n';
}

/** A markdown table of measurements, pushed onto L. */
function markdownTable(L) {
  const fmt = (x) => (x === null || x === undefined ? '–' : String(x));
  return (rows) => {
    L.push('| Measurement | Median | Min–max | n | Ratio to baseline | Aim | Met |');
    L.push('|---|---:|---:|---:|---|---|---|');
    for (const m of rows) {
      const unit = ` ${m.unit}`;
      const has = m.median !== undefined;
      const rat = m.ratio !== undefined && m.ratio !== null ? `${m.ratio}× ${m.baseline}${m.ratioJson ? `; ${m.ratioJson}× JSON.parse` : ''}` : '';
      const met = m.aimMet === true ? 'yes' : m.aimMet === false ? '**no**' : '';
      const what = m.what.startsWith('  ') ? `&nbsp;&nbsp;${m.what.trimStart()}` : m.what;
      L.push(`| ${what} | ${has ? fmt(m.median) + unit : m.note ?? (m.errors?.length ? 'failed' : '–')} | ${has ? `${fmt(m.min)}–${fmt(m.max)}` : ''} | ${has ? m.samples : ''} | ${rat} | ${m.aim ?? ''} | ${met} |`);
    }
    L.push('');
  };
}

function coverageSection(r, L, table) {
  const c = r.coverage;
  L.push('## Coverage grid: 7×24 per number');
  L.push('');
  L.push(`\`coverageGrid(model, route, from)\` (dist/analysis/coverage.js) of the first ${c?.numbers ?? '?'} inbound numbers of the same project (${c?.sites ?? '?'} sites), from Monday 2026-11-23: every quarter hour of that week and of the week half a year later, plus every holiday date of the coming year, traced once per distinct combination of site states. Reference algorithm on the same machine in the same process: a plain \`trace\` at every quarter hour of the same two weeks (no holidays, no cache) for the first 20 numbers; the ratio compares time per number. \`coverage-analyses\` is everything \`validate\` adds after the rules, over all ${c?.routes ?? '?'} routes. No aim was given: report only.`);
  L.push('');
  table(r.measurements.filter((m) => m.group === 'coverage'));
  if (c?.cellsByReach) L.push(`Cells of the ${c.numbers} grids by what the caller gets: ${Object.entries(c.cellsByReach).map(([k, v]) => `${k} ${v}`).join(', ')}; findings over the whole project: ${c.findings ? Object.entries(c.findings.byRule).map(([k, v]) => `${k} ${v}`).join(', ') || 'none' : '?'}.`, '');
}

function traceSection(r, L, table) {
  const t = r.trace;
  L.push('## Trace: random calls over the same project');
  L.push('');
  L.push(`\`trace(model, call)\` (dist/callflow/trace.js) of deterministic random calls (bench/trace-calls.js, seeded): 100,000 are generated in each fresh process after \`checkProject\` of the split layout — half inbound to the project's DIDs at random instants in the week of Monday 2026-04-06 (Easter Monday) with 0–3 random digits and random no-answer users of the sites the DID reaches (none or a few, half of them, or all of them), a quarter internal (a user's extension to another user's; the callee or their group sometimes does not answer), a quarter outbound (a user to a number generated from one of the project's outbound patterns, 2 % emergency). Only the trace loop is timed, over the ${t?.traced && t.traced !== t.generated ? `first ${t.traced.toLocaleString('en')} calls (\`--trace-calls\`; all 100,000 would take about ${r.measurements.find((m) => m.id === 'trace-full-estimate')?.median ?? '?'} s per process at the measured rate)` : 'all of them'}. Baseline: a loop of \`JSON.stringify\` over all 100,000 call objects in the same process; the ratio compares time per call. No aim was given: report only.`);
  L.push('');
  table(r.measurements.filter((m) => m.group === 'trace'));
  if (t && t.outcomes) {
    const n = t.traced - t.failures;
    const pct = (x) => `${((100 * x) / Math.max(1, n)).toFixed(1)} %`;
    const kinds = ['answered', 'voicemail', 'hangup', 'refused', 'outbound', 'waiting', 'conference'];
    const extra = Object.keys(t.outcomes).filter((k) => !kinds.includes(k));
    L.push(`Outcome mix of the ${t.traced.toLocaleString('en')} traced calls (${t.tracedKinds.inbound} inbound, ${t.tracedKinds.internal} internal, ${t.tracedKinds.outbound} outbound): ` + [...kinds, ...extra].map((k) => `${k} ${t.outcomes[k] ?? 0} (${pct(t.outcomes[k] ?? 0)})`).join(', ') + `; ${t.meanSteps} steps a call on average; same mix in every sample: ${t.sameOutcomesEverySample ? 'yes' : '**no**'}.`);
    L.push('');
    L.push('By kind of call: ' + Object.entries(t.outcomesByCallKind).sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([k, v]) => `${k} ${v}`).join(', ') + '.');
    L.push('');
    L.push('Why hung up or refused: ' + Object.entries(t.reasons).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join('; ') + '.');
    L.push('');
    if (t.failures) L.push(`**${t.failures} trace(s) threw**; the first: \`${JSON.stringify(t.firstFailure.call)}\``, '', '```', t.firstFailure.error, '```', '');
  }
  if (t?.errors?.length) L.push(`**trace failed:** ${t.errors[0].split('\n')[0]}`, '', '```', t.errors[0], '```', '');
  const p = r.traceProfile;
  if (p && !p.error) {
    L.push(`Where trace spends its time (one CPU profile of the loop, ${p.traced.toLocaleString('en')} calls in ${p.traceMs} ms): hottest functions (self) ` + p.trace.selfByFunction.slice(0, 5).map((x) => `\`${x.file}\` ${x.share} %`).join(', ') + `; garbage collector ${p.trace.self.find((x) => x.file === '(garbage collector)')?.share ?? 0} %.`);
    L.push('');
  } else if (p?.error) {
    L.push(`Trace profile failed: ${p.error}`, '');
  }
}

function buildSection(r, L, table) {
  const b = r.build;
  const MB = (x) => (x / 1e6).toFixed(2);
  L.push('## Build: every generated file of the same project');
  L.push('');
  L.push('validate + build = `checkProject` + `buildFiles` + `asteriskSecurityDiagnostics` on the built files, timed apart in one fresh process (module import excluded); the writing of the files is timed after that (`writeTree`, as `callplan build` does). The whole CLI includes node start, imports, writing and the atomic swap of the output directory. Baseline: the trivial compiler, `JSON.stringify(model, null, 2)` of the same normalized model, plus its `writeFileSync` (exactly what the build\'s model.json costs). Peak RSS is the process maximum so far after each phase.');
  L.push('');
  table(r.measurements.filter((m) => m.group === 'build'));
  if (b.output) {
    const files = [...b.output.perFile].sort((x, y) => y.bytes - x.bytes);
    const big = files.filter((f) => f.bytes >= 100_000);
    const small = files.filter((f) => f.bytes < 100_000);
    L.push(`Output: ${b.output.files} files, ${MB(b.output.bytes)} MB — ${big.map((f) => `${f.path} ${MB(f.bytes)} MB`).join(', ')}${small.length ? `, ${small.length} more ${(small.reduce((a, f) => a + f.bytes, 0) / 1e3).toFixed(1)} kB` : ''}.`);
    L.push(`Same bytes from both layouts: ${b.sameBytesBothLayouts === null ? '–' : b.sameBytesBothLayouts ? 'yes' : `no, ${b.differingBetweenLayouts.join(', ')} differ${b.differingBetweenLayouts.length === 1 ? 's' : ''}`}.`);
    for (const [id, c] of Object.entries(b.cli)) {
      if (!c) continue;
      L.push(`CLI, ${id}: "${c.stdout}"; ${c.files} files in the output directory (${c.generatedFiles} generated + ${c.marker ? 'the build marker' : '**no build marker**'}), ${MB(c.bytes)} MB; same bytes as buildFiles: ${c.sameAsBuildFiles === null ? '–' : c.sameAsBuildFiles ? 'yes' : '**no**'}.`);
    }
    L.push('');
  }
  for (const [id, d] of Object.entries(b.securityDiagnostics)) {
    if (d && d.total) {
      L.push(`**toll-fraud check, ${id}: ${d.total} diagnostic(s)**`, '', '```');
      for (const x of d.first) L.push(`${x.file}:${x.line}:${x.column} ${x.severity} [${x.rule}] ${x.message}`);
      L.push('```', '');
    }
  }
  for (const [id, e] of Object.entries(b.errors)) L.push(`**${id} failed:** ${e.split('\n')[0]}`, '', '```', e, '```', '');
  const p = r.buildProfile;
  if (p && !p.error) {
    L.push(`Where the build spends its time (one CPU profile of the split build: checkProject ${p.checkMs} ms, buildFiles ${p.buildMs} ms, toll-fraud check ${p.securityMs} ms; samples cut to each phase; shares are of that phase):`);
    L.push('');
    L.push('| buildFiles: folder / package | Inclusive ms | % of phase |');
    L.push('|---|---:|---:|');
    for (const x of p.build.inclusiveByFolder.slice(0, 8)) L.push(`| ${x.file} | ${x.ms} | ${x.share} |`);
    L.push('');
    L.push('buildFiles, inclusive by file: ' + p.build.inclusive.filter((x) => x.file.startsWith('dist/')).slice(0, 8).map((x) => `${x.file} ${x.share} %`).join(', ') + '.');
    L.push('');
    L.push('buildFiles, self time by file: ' + p.build.self.slice(0, 6).map((x) => `${x.file} ${x.share} %`).join(', ') + '.');
    L.push('');
    L.push('buildFiles, hottest functions (self): ' + p.build.selfByFunction.slice(0, 6).map((x) => `\`${x.file}\` ${x.share} %`).join(', ') + '.');
    L.push('');
    L.push('Toll-fraud check, hottest functions (self): ' + p.security.selfByFunction.slice(0, 4).map((x) => `\`${x.file}\` ${x.share} %`).join(', ') + `; garbage collector ${p.security.self.find((x) => x.file === '(garbage collector)')?.share ?? 0} %.`);
    L.push('');
  } else if (p?.error) {
    L.push(`Build profile failed: ${p.error}`, '');
  }
}

try {
  main();
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  if (tmpRoot) rmSync(tmpRoot, { recursive: true, force: true });
}

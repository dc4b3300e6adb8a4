#!/usr/bin/env node
// callplan benchmark (`npm run bench`, which builds first).
//
//   node bench/run.js [--quick] [--no-profile] [--keep]
//
// 1. Generates the big project (10,000 users, 500 queues, 200 IVR menus, 50 sites) into
//    bench/.work/ in two layouts: split files (callplan.yaml + include) and one single file,
//    plus the same data as JSON.
// 2. Measures, each sample in a fresh `node` process, median of N runs:
//    - checkProject (load + validate + normalize) of both layouts: time and peak RSS;
//    - baselines on the same data: js-yaml load (CORE_SCHEMA), JSON.parse, `yaml` parseDocument().toJS()
//      (reference only), `node -e 0`;
//    - cold start of `node bin/run.js --version` against `node -e 0`.
// 3. Writes bench/results/latest.json and latest.md and prints the markdown table.
//
// Reports, never asserts: the exit code is 0 unless the benchmark itself could not run.
// Every child process is bounded by a timeout, and the whole run by a time budget.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { writeProject } from './generate-project.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repo = join(benchDir, '..');
const workDir = join(benchDir, '.work');
const resultsDir = join(benchDir, 'results');
const measureScript = join(benchDir, 'measure.js');
const checkModule = join(repo, 'dist/project/check.js');
const cliEntry = join(repo, 'bin/run.js');

const args = new Set(process.argv.slice(2));
const QUICK = args.has('--quick'); // fewer samples, for trying the script out
const PROFILE = !args.has('--no-profile');
const N_BIG = QUICK ? 2 : 5;
const N_COLD = QUICK ? 3 : 15;
const BUDGET_MS = 4 * 60 * 1000; // stop taking more samples after this; report what we have
const CHILD_TIMEOUT_MS = 60_000; // one big-project sample
const SMALL_TIMEOUT_MS = 20_000; // baselines and cold start
const AIM_BIG_MS = 1000;
const AIM_COLD_MS = 250;

const started = performance.now();
const overBudget = () => performance.now() - started > BUDGET_MS;
const log = (...a) => console.error('[bench]', ...a);

// Secrets the generated project references. Derived, not random, so runs are comparable;
// long and random-looking so no "weak secret" rule fires.
const derive = (label) => createHash('sha256').update(`callplan-bench/${label}`).digest('base64url');
const benchEnv = {
  ...process.env,
  CALLPLAN_DEVICE_MASTER: derive('device-master'),
  CALLPLAN_TRUNK_A_PASSWORD: derive('trunk-a'),
  CALLPLAN_TRUNK_B_PASSWORD: derive('trunk-b'),
  CALLPLAN_PHONE_ADMIN_PASSWORD: derive('phone-admin'),
  CALLPLAN_ARCHIVE_PASSWORD: derive('archive'),
  NO_COLOR: '1',
};

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

function runRounds(series, label) {
  // one discarded warm-up of each (file cache, compile cache), then interleaved rounds
  for (const s of series) {
    const w = s.run();
    if (!w.ok) s.errors.push(w.error + (w.stderr ? `\n${w.stderr.trim().split('\n').slice(-15).join('\n')}` : ''));
    else s.warmup = w;
  }
  let n = 0;
  while (series.some((s) => !s.done)) {
    if (overBudget()) {
      log(`time budget reached during ${label}; reporting the samples taken so far`);
      break;
    }
    n++;
    for (const s of series) if (!s.done) s.step();
    log(`${label}: round ${n} done`);
  }
}

// ---------------------------------------------------------------- CPU profile (where the time goes)
function profileCheck(target) {
  const profDir = join(workDir, 'profile');
  rmSync(profDir, { recursive: true, force: true });
  mkdirSync(profDir, { recursive: true });
  const r = measure('check', target, CHILD_TIMEOUT_MS, ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=200']);
  if (!r.ok) return { error: r.error };
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) return { error: 'no profile written' };
  const prof = JSON.parse(readFileSync(join(profDir, file), 'utf8'));
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
  for (let i = 0; i < samples.length; i++) {
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
  return { totalMs: round(total), checkMs: round(r.data.ms), inclusiveByFolder: top(inclusiveDir, 12), inclusive: top(inclusive, 20), self: top(self, 12), selfByFunction: top(selfFn, 15) };
}

// ---------------------------------------------------------------- main
function main() {
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

  const haveCheck = existsSync(checkModule);
  const haveCli = existsSync(cliEntry);
  if (!haveCheck) log(`${relative(repo, checkModule)} missing (run npm run build): project check not measured`);
  if (!haveCli) log(`${relative(repo, cliEntry)} missing: cold start not measured`);

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

  const profile = haveCheck && PROFILE && !overBudget() ? profileCheck(singleFile) : null;

  // --- collect
  const S = Object.fromEntries([...big, ...cold].map((s) => [s.id, s]));
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

  // diagnostics of the project check (must be none)
  const checks = {};
  for (const id of ['check-single', 'check-split']) {
    const s = S[id];
    if (!s) continue;
    const d = (s.last ?? s.warmup)?.data;
    checks[id] = d ? { diagnostics: d.diagnostics, hasModel: d.hasModel, modelCounts: d.modelCounts } : { error: s.errors[0] };
  }

  const result = { ...meta, loadAverageAtEnd: loadavg().map((x) => round(x, 2)), project, measurements, checks, profile, notMeasured: [!haveCheck && 'checkProject (dist/project/check.js missing)', !haveCli && 'cold start (bin/run.js missing)'].filter(Boolean), totalSeconds: round((performance.now() - started) / 1000) };
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
  L.push('');
  L.push('| Measurement | Median | Min–max | n | Ratio to baseline | Aim | Met |');
  L.push('|---|---:|---:|---:|---|---|---|');
  for (const m of r.measurements) {
    const unit = m.unit === 'MiB' ? ' MiB' : ' ms';
    const has = m.median !== undefined;
    const rat = m.ratio !== undefined && m.ratio !== null ? `${m.ratio}× ${m.baseline}${m.ratioJson ? `; ${m.ratioJson}× JSON.parse` : ''}` : '';
    const met = m.aimMet === true ? 'yes' : m.aimMet === false ? '**no**' : '';
    L.push(`| ${m.what} | ${has ? fmt(m.median) + unit : (m.errors?.length ? 'failed' : '–')} | ${has ? `${fmt(m.min)}–${fmt(m.max)}` : ''} | ${has ? m.samples : ''} | ${rat} | ${m.aim ?? ''} | ${met} |`);
  }
  L.push('');
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
  const failures = r.measurements.filter((m) => m.errors?.length);
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
  if (r.notMeasured.length) L.push(`Not measured: ${r.notMeasured.join('; ')}.`, '');
  L.push(`Produced by \`npm run bench\` in ${r.totalSeconds} s.`);
  return L.join('\n') + '\n';
}

try {
  main();
} catch (e) {
  console.error(e);
  process.exit(1);
}

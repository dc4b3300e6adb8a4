// One benchmark sample, run by bench/run.js in a fresh `node` process.
//
//   node bench/measure.js <mode> [path]
//
// modes:
//   check <dir|file>   import dist/project/check.js and run checkProject(path, { env: process.env })
//   build <dir|file>   checkProject, then buildFiles (every generated file, in memory), then the
//                      toll-fraud check on those files: each timed on its own (what `callplan build`
//                      does before writing); then, untimed by ms, writeTree of the files into
//                      $CALLPLAN_BENCH_OUT (writeMs) and a hash of the output
//   stringify <dir|file>  checkProject, then the trivial "compiler": JSON.stringify(model, null, 2)
//                      and writeFileSync of it into $CALLPLAN_BENCH_OUT (the build's baseline)
//   trace <dir|file>   checkProject, then 100,000 deterministic random calls (bench/trace-calls.js,
//                      untimed), then trace(model, call) of the first $CALLPLAN_BENCH_TRACE_CALLS of
//                      them (default: all), timed as one loop (traceMs); then the baseline over all
//                      100,000 call objects: JSON.stringify of each (stringifyMs); the outcome mix
//                      of the traced calls, and peak RSS after each phase
//   coverage <dir|file>  checkProject, then the 7×24 coverage grid (dist/analysis/coverage.js) of the
//                      first 200 inbound numbers (one route each) from Monday 2026-11-23 (gridMs);
//                      the reference algorithm, a plain trace at every quarter hour of the same two
//                      weeks with no state cache and no holidays, on the first 20 of them
//                      (naiveMs, naiveNumbers); then every analysis validate runs, over the whole
//                      project (analyseMs) and what they found
//   jsyaml <file>      js-yaml load(text, { schema: CORE_SCHEMA })
//   yaml <file>        yaml parseDocument(text).toJS()  (reference: the document API DESIGN.md measured)
//   json <file>        JSON.parse(text)
//   noop               nothing (process baseline for memory)
//
// Prints one JSON line on stdout: { mode, ms, importMs, maxRSSKiB, ... }.
// ms is the time of the measured work itself (file reads included, module import excluded);
// importMs is the time to import the module under test. The build modes write into a fresh
// folder under $CALLPLAN_BENCH_OUT (default: the OS temp dir) and delete it before exiting.

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const [mode, target] = process.argv.slice(2);
const out = { mode };

async function timedImport(spec) {
  const t0 = performance.now();
  const mod = await import(spec);
  out.importMs = performance.now() - t0;
  return mod;
}

function summarizeDiagnostics(diagnostics) {
  const bySeverity = {};
  const byRule = {};
  for (const d of diagnostics) {
    bySeverity[d.severity] = (bySeverity[d.severity] ?? 0) + 1;
    byRule[d.rule] = (byRule[d.rule] ?? 0) + 1;
  }
  return {
    total: diagnostics.length,
    bySeverity,
    byRule,
    first: diagnostics.slice(0, 20).map((d) => ({
      severity: d.severity,
      rule: d.rule,
      message: d.message,
      file: d.file,
      line: d.line,
      column: d.column,
    })),
  };
}

const dist = (file) => pathToFileURL(join(repo, 'dist', file)).href;
/** process.hrtime in µs: the clock of --cpu-prof sample times, so run.js can cut a profile to a phase. */
const clockUs = () => Number(process.hrtime.bigint() / 1000n);
const maxRSSKiB = () => process.resourceUsage().maxRSS;
const outDir = () => join(process.env.CALLPLAN_BENCH_OUT || tmpdir(), `${mode}-${process.pid}`);

/** checkProject with the timing and the fingerprint every mode that needs a model reports. */
function checkForModel(checkProject) {
  const t0 = performance.now();
  const result = checkProject(target, { env: process.env });
  out.checkMs = performance.now() - t0;
  out.diagnostics = summarizeDiagnostics(result?.diagnostics ?? []);
  out.hasModel = result?.model !== undefined && result?.model !== null;
  out.rssAfterCheckKiB = maxRSSKiB();
  if (!out.hasModel) {
    process.stdout.write(JSON.stringify(out) + '\n');
    console.error('checkProject returned no model: the project has errors');
    process.exit(3);
  }
  return result;
}

switch (mode) {
  case 'check': {
    const { checkProject } = await timedImport(pathToFileURL(join(repo, 'dist/project/check.js')).href);
    const t0 = performance.now();
    const result = checkProject(target, { env: process.env });
    out.ms = performance.now() - t0;
    out.diagnostics = summarizeDiagnostics(result?.diagnostics ?? []);
    out.hasModel = result?.model !== undefined && result?.model !== null;
    if (out.hasModel && typeof result.model === 'object') {
      // a cheap fingerprint of what came back, to notice a model that silently shrank
      const m = result.model;
      out.modelCounts = Object.fromEntries(
        Object.entries(m)
          .filter(([, v]) => v && typeof v === 'object')
          .map(([k, v]) => [k, v instanceof Map ? v.size : Array.isArray(v) ? v.length : Object.keys(v).length]),
      );
    }
    break;
  }
  case 'build': {
    const t0 = performance.now();
    const [{ checkProject }, { buildFiles }, { asteriskSecurityDiagnostics }, { writeTree }] = await Promise.all([
      import(dist('project/check.js')),
      import(dist('project/build.js')),
      import(dist('targets/asterisk/security/check.js')),
      import(dist('build/write-tree.js')),
    ]);
    out.importMs = performance.now() - t0;
    const { model, secrets, rootFile } = checkForModel(checkProject);

    out.window = { buildFrom: clockUs() };
    const t1 = performance.now();
    const files = buildFiles(model, secrets);
    out.buildMs = performance.now() - t1;
    out.window.buildTo = clockUs();
    out.rssAfterBuildKiB = maxRSSKiB();

    out.window.securityFrom = clockUs();
    const t2 = performance.now();
    const security = asteriskSecurityDiagnostics(model, rootFile, files);
    out.securityMs = performance.now() - t2;
    out.window.securityTo = clockUs();
    out.rssAfterSecurityKiB = maxRSSKiB();
    out.securityDiagnostics = summarizeDiagnostics(security);
    out.ms = out.checkMs + out.buildMs + out.securityMs; // validate + build, what the aim is about

    out.files = [...files].map(([path, content]) => ({ path, bytes: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex').slice(0, 16) }));
    out.bytes = out.files.reduce((a, f) => a + f.bytes, 0);

    const dir = outDir();
    const t3 = performance.now();
    writeTree(dir, files);
    out.writeMs = performance.now() - t3;
    rmSync(dir, { recursive: true, force: true });

    const h = createHash('sha256');
    for (const [path, content] of files) h.update(path).update('\0').update(content).update('\0');
    out.sha256 = h.digest('hex');
    break;
  }
  case 'stringify': {
    const t0 = performance.now();
    const { checkProject } = await import(dist('project/check.js'));
    out.importMs = performance.now() - t0;
    const { model } = checkForModel(checkProject);
    const dir = outDir();
    mkdirSync(dir, { recursive: true });
    const t1 = performance.now();
    const text = JSON.stringify(model, null, 2) + '\n';
    out.stringifyMs = performance.now() - t1;
    const t2 = performance.now();
    writeFileSync(join(dir, 'model.json'), text);
    out.writeMs = performance.now() - t2;
    out.ms = out.stringifyMs + out.writeMs;
    out.bytes = Buffer.byteLength(text);
    rmSync(dir, { recursive: true, force: true });
    break;
  }
  case 'trace': {
    const t0 = performance.now();
    const [{ checkProject }, { trace }, { generateCalls }] = await Promise.all([
      import(dist('project/check.js')),
      import(dist('callflow/trace.js')),
      import(pathToFileURL(join(repo, 'bench/trace-calls.js')).href),
    ]);
    out.importMs = performance.now() - t0;
    const { model } = checkForModel(checkProject);
    const count = 100_000;

    const t1 = performance.now();
    const { calls, kinds, kindOf } = generateCalls(model, { count });
    out.generateMs = performance.now() - t1;
    out.calls = calls.length;
    out.kinds = kinds;
    const toTrace = Math.min(calls.length, Number(process.env.CALLPLAN_BENCH_TRACE_CALLS) || calls.length);
    out.traced = toTrace;
    out.tracedKinds = { inbound: 0, internal: 0, outbound: 0 };
    for (let i = 0; i < toTrace; i++) out.tracedKinds[kindOf[i]]++;
    out.rssAfterGenerateKiB = maxRSSKiB();

    const outcomes = {};
    const byKind = {};
    const byCallKind = {};
    let steps = 0;
    let failures = 0;
    let firstFailure;
    out.window = { traceFrom: clockUs() };
    const t2 = performance.now();
    for (let i = 0; i < toTrace; i++) {
      let t;
      try {
        t = trace(model, calls[i]);
      } catch (e) {
        failures++;
        firstFailure ??= { call: calls[i], error: String(e?.stack ?? e).split('\n').slice(0, 4).join('\n') };
        continue;
      }
      const k = t.outcome.kind;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
      const kk = `${kindOf[i]} → ${k}`;
      byCallKind[kk] = (byCallKind[kk] ?? 0) + 1;
      steps += t.steps.length;
      if (k === 'hangup' || k === 'refused') {
        // why, with extensions and group names folded: "nobody in group <group> answered"
        // a hangup target says only "hangup": name what led there (announcement closed, invalid digits ...)
        const before = t.outcome.reason === 'hangup' ? ` after "${(t.steps.at(-2) ?? '').replace(/^\d+: /, '').replace(/:.*/, '')}"` : '';
        const why = `${k}: ${t.outcome.reason.replace(/\b\d{4,}\b/g, 'N').replace(/ [a-z0-9-]+-g\d+/, ' <group>')}${before}`;
        byKind[why] = (byKind[why] ?? 0) + 1;
      }
    }
    out.traceMs = performance.now() - t2;
    out.window.traceTo = clockUs();
    out.rssAfterTraceKiB = maxRSSKiB();
    out.callsPerSec = (toTrace / out.traceMs) * 1000;
    out.outcomes = outcomes;
    out.reasons = byKind;
    out.outcomesByCallKind = byCallKind;
    out.meanSteps = steps / Math.max(1, toTrace - failures);
    out.failures = failures;
    out.firstFailure = firstFailure;

    // baseline: a trivial per-call operation over the same objects
    let chars = 0;
    const t3 = performance.now();
    for (let i = 0; i < calls.length; i++) chars += JSON.stringify(calls[i]).length;
    out.stringifyMs = performance.now() - t3;
    out.stringifyCallsPerSec = (calls.length / out.stringifyMs) * 1000;
    out.stringifyChars = chars;
    out.ms = out.traceMs;
    break;
  }
  case 'coverage': {
    const t0 = performance.now();
    const [{ checkProject }, { coverageGrid }, { trace }, { analyseProject }] = await Promise.all([
      import(dist('project/check.js')),
      import(dist('analysis/coverage.js')),
      import(dist('callflow/trace.js')),
      import(dist('project/analyse.js')),
    ]);
    out.importMs = performance.now() - t0;
    const checked = checkProject(target, { env: process.env });
    const model = checked.model;
    const from = new Date('2026-11-23T00:00Z');
    const numbers = Math.min(200, model.inbound.length);
    out.sites = model.sites.length;
    out.numbers = numbers;
    const reach = {};
    const t1 = performance.now();
    for (let i = 0; i < numbers; i++) {
      const grid = coverageGrid(model, i, from);
      for (const row of grid.week) for (const cell of row) if (cell) reach[cell.reach] = (reach[cell.reach] ?? 0) + 1;
    }
    out.gridMs = performance.now() - t1;
    out.cellsByReach = reach;
    // reference: trace every quarter hour of both weeks, each call on its own
    out.naiveNumbers = Math.min(20, numbers);
    const t2 = performance.now();
    for (let i = 0; i < out.naiveNumbers; i++) {
      for (const start of [from.getTime(), from.getTime() + 26 * 7 * 86_400_000]) {
        for (let t = start; t < start + 7 * 86_400_000; t += 900_000) trace(model, { to: model.inbound[i].dids[0], at: new Date(t) });
      }
    }
    out.naiveMs = performance.now() - t2;
    const t3 = performance.now();
    const found = analyseProject(checked, from);
    out.analyseMs = performance.now() - t3;
    out.routes = model.inbound.length;
    out.findings = summarizeDiagnostics(found);
    out.ms = out.gridMs;
    break;
  }
  case 'jsyaml': {
    const yaml = (await timedImport('js-yaml')).default;
    const t0 = performance.now();
    const doc = yaml.load(readFileSync(target, 'utf8'), { schema: yaml.CORE_SCHEMA });
    out.ms = performance.now() - t0;
    out.keys = Object.keys(doc).length;
    break;
  }
  case 'yaml': {
    const { parseDocument } = await timedImport('yaml');
    const t0 = performance.now();
    const doc = parseDocument(readFileSync(target, 'utf8')).toJS();
    out.ms = performance.now() - t0;
    out.keys = Object.keys(doc).length;
    break;
  }
  case 'json': {
    out.importMs = 0;
    const t0 = performance.now();
    const doc = JSON.parse(readFileSync(target, 'utf8'));
    out.ms = performance.now() - t0;
    out.keys = Object.keys(doc).length;
    break;
  }
  case 'noop':
    out.importMs = 0;
    out.ms = 0;
    break;
  default:
    console.error(`unknown mode ${mode}`);
    process.exit(2);
}

out.maxRSSKiB = maxRSSKiB();
out.sinceStartMs = performance.now(); // process time origin → now: node startup is not included
process.stdout.write(JSON.stringify(out) + '\n');

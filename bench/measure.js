// One benchmark sample, run by bench/run.js in a fresh `node` process.
//
//   node bench/measure.js <mode> [path]
//
// modes:
//   check <dir|file>   import dist/project/check.js and run checkProject(path, { env: process.env })
//   jsyaml <file>      js-yaml load(text, { schema: CORE_SCHEMA })
//   yaml <file>        yaml parseDocument(text).toJS()  (reference: the document API DESIGN.md measured)
//   json <file>        JSON.parse(text)
//   noop               nothing (process baseline for memory)
//
// Prints one JSON line on stdout: { mode, ms, importMs, maxRSSKiB, ... }.
// ms is the time of the measured work itself (file reads included, module import excluded);
// importMs is the time to import the module under test.

import { readFileSync } from 'node:fs';
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

out.maxRSSKiB = process.resourceUsage().maxRSS;
out.sinceStartMs = performance.now(); // process time origin → now: node startup is not included
process.stdout.write(JSON.stringify(out) + '\n');

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Model } from '../../src/model/types.js';
import { checkProject } from '../../src/project/check.js';
import { memFs, type Files } from './project.js';

const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/** Every file of examples/<name>, relative path → text. */
export function exampleFiles(name: string): Files {
  const root = path.join(EXAMPLES, name);
  const out: Files = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else out[path.relative(root, full)] = readFileSync(full, 'utf8');
    }
  };
  walk(root);
  return out;
}

/** Text edits to a project's files: each `from` must occur (once is enough), or the test is wrong. */
export function edit(files: Files, edits: Record<string, [from: string | RegExp, to: string][]>): Files {
  const out = { ...files };
  for (const [file, list] of Object.entries(edits)) {
    let text = out[file] ?? '';
    for (const [from, to] of list) {
      const next = text.replace(from, to);
      if (next === text) throw new Error(`edit of ${file}: ${String(from)} not found`);
      text = next;
    }
    out[file] = text;
  }
  return out;
}

/** load → validate → normalize an in-memory project; throws with the diagnostics when it has errors. */
export function modelOf(files: Files): Model {
  const result = checkProject('/p', { fs: memFs(files), env: {}, cwd: '/p' });
  if (!result.model) throw new Error(result.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.message}`).join('\n'));
  return result.model;
}

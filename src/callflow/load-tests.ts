import path from 'node:path';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { parseFile } from '../model/load/parse-file.js';
import { SourcePositions } from '../model/load/positions.js';
import { TESTS_DIR } from '../model/load/load-project.js';
import type { ProjectFs } from '../model/load/project-fs.js';
import { createAjv } from '../model/schema/ajv-options.js';
import { explainErrors } from '../model/schema/validate-schema.js';
import type { ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import type { CallflowTest } from './tests.js';


const SCHEMA_URL = new URL('../../schemas/callflow-tests.schema.json', import.meta.url);
let validator: ValidateFunction | undefined;

export interface LoadedTest {
  test: CallflowTest;
  file: string;
  line: number;
  column: number;
}

/** Every tests/*.yaml of a project, checked against its schema; problems have positions like any diagnostic. */
export function loadCallflowTests(fs: ProjectFs, rootDir: string, cwd: string): { tests: LoadedTest[]; diagnostics: Diagnostic[] } {
  validator ??= createAjv().compile(JSON.parse(readFileSync(SCHEMA_URL, 'utf8')));
  const dir = path.join(rootDir, TESTS_DIR);
  const tests: LoadedTest[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!fs.existsSync(dir)) return { tests, diagnostics };
  const names = fs.readdirSync(dir).map(String).filter((n) => /\.ya?ml$/.test(n)).sort();
  for (const name of names) {
    const abs = path.join(dir, name);
    const rel = path.relative(cwd, abs);
    const file = rel && !rel.startsWith('..') ? rel : abs;
    const text = fs.readFileSync(abs, 'utf8');
    const parsed = parseFile(text, file);
    if (!parsed.ok) {
      for (const p of parsed.problems) diagnostics.push({ severity: 'error', rule: 'yaml-syntax', file, ...p });
      continue;
    }
    const positions = new SourcePositions(text);
    if (!validator(parsed.data)) {
      for (const p of explainErrors(validator.errors ?? [], (q) => positions.sourceText(q))) {
        diagnostics.push({ severity: 'error', rule: 'schema', message: p.message, hint: p.hint, file, ...positions.locate(p.path, p.anchor) });
      }
      continue;
    }
    (parsed.data as { tests: CallflowTest[] }).tests.forEach((test, i) => tests.push({ test, file, ...positions.locate(['tests', i]) }));
  }
  return { tests, diagnostics };
}

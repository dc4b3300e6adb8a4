import path from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { LoadedFiles, SourceFile } from './load/load-project.js';
import { parseFile } from './load/parse-file.js';
import { SourcePositions } from './load/positions.js';
import type { ProjectFs } from './load/project-fs.js';
import { Project, rejectedBy, type Where } from './project.js';
import { RULES } from './rules/index.js';
import type { Rule } from './rules/rule.js';
import { validateDocument } from './schema/validate-schema.js';
import { secretValues, type SecretValues } from '../secrets/refs.js';

export interface ValidateOptions {
  fs: ProjectFs;
  env: Readonly<Record<string, string | undefined>>;
  rules?: readonly Rule[];
}

export interface Validated {
  project: Project;
  diagnostics: Diagnostic[];
  secrets: SecretValues;
}

/**
 * Both layers over loaded files: the JSON Schema per file, then the semantic rules over the
 * merged project. Every problem of every file is collected; nothing stops at the first.
 */
export function validateFiles(loaded: LoadedFiles, options: ValidateOptions): Validated {
  const diagnostics: Diagnostic[] = loaded.problems.map((p) => ({ severity: 'error', ...p }));

  const rejected = new Set<object>();
  for (const file of loaded.files) {
    if (file.data === undefined) continue;
    for (const problem of validateDocument(file.data, (p) => file.positions.sourceText(p))) {
      const pos = file.positions.locate(problem.path, problem.anchor);
      diagnostics.push({ severity: 'error', rule: 'schema', message: problem.message, hint: problem.hint, file: file.displayPath, ...pos });
      const entity = rejectedBy(file.data, problem.path);
      if (entity) rejected.add(entity);
    }
  }
  const root = loaded.files[0];
  if (root?.data !== undefined && (root.data as { version?: unknown }).version === undefined) {
    diagnostics.push({
      severity: 'error',
      rule: 'schema',
      message: 'callplan.yaml is missing required key "version"',
      hint: 'Start the file with version: 1.',
      file: root.displayPath,
      line: 1,
      column: 1,
    });
  }

  const project = new Project(loaded.rootDir, loaded.files, rejected);
  const secretsFile = readSecretsFile(options.fs, loaded.rootDir, project, root);
  const secrets = secretValues(options.env, secretsFile.values);
  diagnostics.push(...secretsFile.diagnostics);

  const schemaFailed = rejected.size > 0;
  const unreadable = loaded.files.some((f) => f.data === undefined);
  for (const rule of options.rules ?? RULES) {
    if (unreadable && rule.needsEveryFile) continue;
    const report = (where: Where, message: string, hint?: string) => project.report({ ...where, rule: rule.id, severity: rule.severity, message, hint });
    try {
      rule.check({ raw: project.raw, known: project.known, secrets, report });
    } catch (e) {
      // Entities the schema rejected are left out, but a half-valid one can still surprise a rule;
      // the schema errors already explain the input. Without schema errors a crash is our bug.
      if (!schemaFailed) throw e;
    }
  }
  for (const p of project.problems) {
    diagnostics.push({ severity: p.severity, rule: p.rule, message: p.message, hint: p.hint, ...project.locate(p) });
  }
  return { project, diagnostics: sortDiagnostics(diagnostics), secrets };
}

/** The secrets file is optional at validate time (CI has none); when present it must be a flat mapping. */
function readSecretsFile(
  fs: ProjectFs,
  rootDir: string,
  project: Project,
  root: SourceFile | undefined,
): { values?: Record<string, unknown>; diagnostics: Diagnostic[] } {
  const name = project.raw.secrets?.file;
  if (name === undefined || !root) return { diagnostics: [] };
  const abs = path.resolve(rootDir, name);
  if (!fs.existsSync(abs)) return { diagnostics: [] };
  const text = fs.readFileSync(abs, 'utf8');
  const parsed = parseFile(text, name);
  const data = parsed.ok ? (parsed.data ?? {}) : undefined;
  const where = project.locate({ at: project.raw.secrets!, path: ['file'] });
  if (data === undefined || typeof data !== 'object' || Array.isArray(data)) {
    // Never quote the file's content: it holds secrets.
    return {
      diagnostics: [{ severity: 'error', rule: 'secrets-file', message: `secrets file ${name} is not a YAML mapping of NAME: value`, hint: 'Write one NAME: value per line.', ...where }],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const positions = new SourcePositions(text);
  for (const [key, value] of Object.entries(data)) {
    if (typeof value === 'string') continue;
    diagnostics.push({
      severity: 'error',
      rule: 'secrets-file',
      message: `secret ${key} in ${name} is not text${typeof value === 'number' ? ': YAML reads it as a number, dropping leading zeros and + signs' : ''}`,
      hint: `Quote it: ${key}: "...".`,
      file: path.join(path.dirname(root.displayPath), name),
      ...positions.locate([key]),
    });
  }
  return { values: data as Record<string, unknown>, diagnostics };
}


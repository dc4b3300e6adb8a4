import { createHash } from 'node:crypto';
import path from 'node:path';
import { isSeq, parseDocument } from 'yaml';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RawUser } from '../model/input.js';
import { loadFiles, TESTS_DIR } from '../model/load/load-project.js';
import { parseFile } from '../model/load/parse-file.js';
import { realFs, type ProjectFs } from '../model/load/project-fs.js';
import { validateFiles } from '../model/validate.js';
import { checkProject } from '../project/check.js';
import { findSnomModel } from '../targets/snom/models.js';
import { resolveColumns, type ColumnSpec, type Field } from './columns.js';
import { readCsv } from './csv.js';
import { ImportUsageError } from './errors.js';
import { readExistingProject } from './existing.js';
import { addInclude, isIncluded } from './include.js';
import { overlayFs } from './overlay-fs.js';
import { FILE_PREFIX, matchName, planImport, type ImportedRow, type SkippedRow, type Split } from './plan.js';
import { renderUsersFile, schemaRefFor } from './render.js';

export interface ImportRequest {
  /** The CSV's bytes, and its name as the user gave it (`people.csv`, or `stdin`). */
  csv: { bytes: Uint8Array; name: string };
  /** The project: a directory holding callplan.yaml, or a single YAML file. */
  project: string;
  cwd: string;
  /** Read-only: everything is planned and validated in memory; applyImport writes. */
  fs?: ProjectFs;
  map?: ColumnSpec;
  encoding?: string;
  delimiter?: string;
  site?: string;
  group?: string;
  model?: string;
  /** Folder for the new files, relative to the project. Default users. */
  dir?: string;
  split?: Split;
  force?: boolean;
}

export interface PlannedFile {
  /** Relative to the project, forward slashes. */
  path: string;
  absPath: string;
  action: 'create' | 'replace';
  users: number;
  phones: number;
  softphones: number;
  content: string;
}

export type IncludeChange =
  | { status: 'covered' }
  | { status: 'added'; pattern: string; file: string; absPath: string; content: string }
  | { status: 'manual'; pattern: string; file: string };

export interface ImportResult {
  source: string;
  encoding: string;
  delimiter: string;
  /** Field → the CSV header it was read from. */
  columns: Partial<Record<Field, string>>;
  unusedColumns: string[];
  /** Unused columns that look like passwords or PINs: never imported. */
  secretColumns: string[];
  rows: number;
  blank: number;
  imported: ImportedRow[];
  skipped: SkippedRow[];
  files: PlannedFile[];
  include: IncludeChange;
  notes: string[];
}

/** The project has errors before the import: fix them first, so the result can be judged. */
export class ProjectHasErrors extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('the project has errors; fix them before importing');
  }
}

/** The files the import would write do not validate: nothing is written. Its checks missed a rule. */
export class ResultHasErrors extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super('the imported users would make the project invalid; nothing was written');
  }
}

/**
 * Plans an import completely without writing: reads the project and the CSV, decides each row,
 * renders the files, adds the include if needed, and validates the project as it would be
 * afterwards (in memory). `--dry-run` stops here; applyImport writes what this returns.
 */
export function planProjectImport(req: ImportRequest): ImportResult {
  const fs = req.fs ?? realFs;
  const dir = (req.dir ?? 'users').replace(/\\/g, '/').replace(/^\.\/|\/+$/g, '');
  if (dir.startsWith('/') || /^[A-Za-z]:/.test(dir) || dir.split('/').includes('..')) throw new ImportUsageError(`--dir ${req.dir}: give a folder inside the project, e.g. users`);
  // The loader never reads these, whatever include says.
  const [top = ''] = dir.split('/');
  if (top === TESTS_DIR || dir.split('/').some((d) => d.startsWith('.') || d === 'node_modules')) {
    throw new ImportUsageError(`--dir ${req.dir}: callplan never reads project files from ${TESTS_DIR}/, node_modules or hidden folders; choose another, e.g. users`);
  }
  const split = req.split ?? 'site';

  const loaded = loadFiles(fs, req.project, req.cwd);
  const before = validateFiles(loaded, { fs, env: {} });
  if (hasErrors(before.diagnostics)) throw new ProjectHasErrors(before.diagnostics);

  const table = readCsv(req.csv.bytes, { encoding: req.encoding, delimiter: req.delimiter });
  if (table.headers.length === 0) throw new ImportUsageError(`${req.csv.name} is empty: the first line must name the columns`);
  const columns = resolveColumns(table.headers, req.map);

  let existing = readExistingProject(loaded);
  const options = { dir, split, ...checkDefaults(req, existing.sites, [...existing.groups.keys()]) };
  let plan = planImport(table, columns, existing, options);

  const abs = (rel: string) => path.join(loaded.rootDir, ...rel.split('/'));
  const present = plan.targets.filter((rel) => fs.existsSync(abs(rel)));
  if (present.length > 0 && !req.force) {
    throw new ImportUsageError(`${present.join(', ')} already exist${present.length === 1 ? 's' : ''}; run again with --force to replace ${present.length === 1 ? 'it' : 'them'} (nothing was written)`);
  }
  for (const rel of present) {
    const parsed = parseFile(fs.readFileSync(abs(rel), 'utf8'), rel);
    const keys = parsed.ok && parsed.data !== null && typeof parsed.data === 'object' ? Object.keys(parsed.data) : [];
    if (keys.some((k) => k !== 'users')) {
      throw new ImportUsageError(`${rel} holds ${keys.filter((k) => k !== 'users').join(', ')} besides users; callplan import replaces only files of users. Move them to another file, or import with --dir elsewhere`);
    }
  }
  if (present.length > 0) {
    // Replaced files' users are not "already in the project": they are being written anew.
    existing = readExistingProject(loaded, new Set(present.map(abs)));
    plan = planImport(table, columns, existing, options);
  }

  const sha256 = createHash('sha256').update(req.csv.bytes).digest('hex').slice(0, 16);
  const byFile = new Map<string, RawUser[]>();
  for (const row of plan.imported) {
    if (!byFile.has(row.file)) byFile.set(row.file, []);
    byFile.get(row.file)!.push(row.user);
  }
  // Nothing imported: nothing written, not even over a file --force would replace.
  if (plan.imported.length > 0) for (const rel of present) if (!byFile.has(rel)) byFile.set(rel, []);
  const files: PlannedFile[] = [...byFile.keys()].sort().map((rel) => {
    const users = byFile.get(rel)!.sort((a, b) => a.extension.localeCompare(b.extension, 'en', { numeric: true }));
    const phones = users.filter((u) => u.devices?.[0]?.type === 'snom').length;
    const absPath = abs(rel);
    const schema = schemaRefFor(existing.rootText, loaded.rootDir, path.dirname(absPath));
    return {
      path: rel,
      absPath,
      action: present.includes(rel) ? 'replace' : 'create',
      users: users.length,
      phones,
      softphones: users.length - phones,
      content: renderUsersFile(users, { source: path.basename(req.csv.name), sha256, ...(schema ? { schema } : {}) }),
    };
  });

  const rootRel = path.relative(req.cwd, existing.rootPath) || path.basename(existing.rootPath);
  const include = includeChange(files, existing.include, existing.rootText, existing.rootPath, rootRel, `${dir === '' ? '' : `${dir}/`}${FILE_PREFIX}*.yaml`);

  if (files.length > 0) {
    const overlay = new Map(files.map((f) => [f.absPath, f.content]));
    if (include.status === 'added') overlay.set(existing.rootPath, include.content);
    if (include.status === 'manual') overlay.set(existing.rootPath, withIncludeReformatted(existing.rootText, include.pattern));
    const after = checkProject(req.project, { fs: overlayFs(fs, overlay), env: {}, cwd: req.cwd });
    const errors = after.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) throw new ResultHasErrors(errors);
  }

  const notes: string[] = [];
  if (columns.secrets.length > 0) {
    notes.push(`not imported: ${columns.secrets.map((h) => `"${h}"`).join(', ')}; passwords never go into the YAML: each phone's is derived from secrets.device_master`);
  }
  if (plan.imported.some((r) => r.user.devices?.some((d) => d.type === 'snom')) && !existing.hasDeviceMaster) {
    notes.push('the project declares no secrets.device_master: `callplan build` needs it to derive the phones\' SIP passwords (e.g. device_master: "${env:CALLPLAN_DEVICE_MASTER}")');
  }

  return {
    source: req.csv.name,
    encoding: table.encoding,
    delimiter: table.delimiter,
    columns: columns.header,
    unusedColumns: columns.unused,
    secretColumns: columns.secrets,
    rows: plan.rows,
    blank: plan.blank,
    imported: plan.imported,
    skipped: plan.skipped,
    files,
    include,
    notes,
  };
}

/** --site, --group and --model name something that exists: a typo there would skip every row. */
function checkDefaults(req: ImportRequest, sites: string[], groups: string[]): { site?: string; group?: string; model?: string } {
  const out: { site?: string; group?: string; model?: string } = {};
  if (req.site !== undefined) {
    const site = matchName(req.site, sites);
    if (!site) throw new ImportUsageError(`--site ${req.site}: the project has no such site (sites: ${sites.join(', ') || 'none'})`);
    out.site = site;
  }
  if (req.group !== undefined) {
    const group = matchName(req.group, groups);
    if (!group) throw new ImportUsageError(`--group ${req.group}: the project has no such group (groups: ${groups.sort().join(', ') || 'none'})`);
    out.group = group;
  }
  if (req.model !== undefined) {
    const model = findSnomModel(req.model.replace(/^snom[\s_-]*/i, ''));
    if (!model) throw new ImportUsageError(`--model ${req.model}: not a SNOM model callplan provisions`);
    out.model = model.model;
  }
  return out;
}

function includeChange(files: PlannedFile[], include: string[], rootText: string, rootPath: string, rootRel: string, pattern: string): IncludeChange {
  if (files.every((f) => isIncluded(f.path, include))) return { status: 'covered' };
  const content = addInclude(rootText, pattern);
  return content === undefined ? { status: 'manual', pattern, file: rootRel } : { status: 'added', pattern, file: rootRel, absPath: rootPath, content };
}

/** Only to validate the result when the include cannot be added in place: the same data, reformatted. */
function withIncludeReformatted(text: string, pattern: string): string {
  const doc = parseDocument(text);
  const include = doc.get('include');
  if (isSeq(include)) include.add(pattern);
  else doc.set('include', [pattern]);
  return doc.toString();
}

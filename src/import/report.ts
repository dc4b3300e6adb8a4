import type { Field } from './columns.js';
import type { ImportResult } from './import.js';
import type { SkippedRow } from './plan.js';

const DELIMITER_NAMES: Record<string, string> = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };
const FIELD_LABELS: Record<Field, string> = {
  extension: 'extension',
  name: 'name',
  first_name: 'first name',
  last_name: 'last name',
  email: 'e-mail',
  mac: 'MAC',
  model: 'model',
  site: 'site',
  group: 'group',
};

/** One line per skipped row, `people.csv:17: skipped 1042 Jan Kowalski — reason; reason`. */
export function skippedLine(source: string, row: SkippedRow): string {
  const who = [row.extension, row.name].filter(Boolean).join(' ') || 'a row';
  return `${source}:${row.line}: skipped ${who} — ${row.reasons.map((r) => r.message).join('; ')}`;
}

/** The report for people: every skipped row first (like compiler errors), then what was (or would be) written. */
export function formatImportText(result: ImportResult, dryRun: boolean): string {
  const out = result.skipped.map((row) => skippedLine(result.source, row));
  const delimiter = DELIMITER_NAMES[result.delimiter] ?? `"${result.delimiter}"`;
  out.push(
    `${result.source}: ${plural(result.rows, 'row')}: ${result.imported.length} imported, ${result.skipped.length} skipped (${result.encoding.toUpperCase()}, ${delimiter}-separated)`,
  );
  const columns = (Object.entries(result.columns) as [Field, string][]).map(([field, header]) => `${FIELD_LABELS[field]} ← "${header}"`);
  out.push(`  columns: ${columns.join(', ')}`);
  // Password columns are named in a note of their own.
  const unused = result.unusedColumns.filter((h) => !result.secretColumns.includes(h));
  if (unused.length > 0) out.push(`  not read: ${unused.map((h) => `"${h}"`).join(', ')}`);
  const would = (verb: string) => (dryRun ? `would ${verb}` : `${verb.replace(/e$/, '')}ed`);
  for (const f of result.files) {
    out.push(`${would(f.action)} ${f.path}: ${plural(f.users, 'user')} (${plural(f.phones, 'SNOM phone')}, ${plural(f.softphones, 'softphone')})`);
  }
  if (result.include.status === 'added') out.push(`${would('add')} ${result.include.pattern} to include in ${result.include.file}`);
  if (result.include.status === 'manual') {
    out.push(
      `ADD THIS to include in ${result.include.file} (callplan could not add it without reformatting the file), or the imported users are not part of the project:`,
      `  include:`,
      `    - ${result.include.pattern}`,
    );
  }
  for (const note of result.notes) out.push(`note: ${note}`);
  if (dryRun) out.push('dry run: nothing was written');
  else if (result.files.length === 0) out.push('nothing was written');
  return out.join('\n') + '\n';
}

/** The report for tools: the same facts, without file contents. */
export function importJson(result: ImportResult, dryRun: boolean): object {
  return {
    source: result.source,
    dryRun,
    encoding: result.encoding,
    delimiter: result.delimiter,
    columns: result.columns,
    unusedColumns: result.unusedColumns,
    rows: result.rows,
    blankRows: result.blank,
    imported: result.imported.length,
    skipped: result.skipped.length,
    files: result.files.map(({ path, action, users, phones, softphones }) => ({ path, action, users, phones, softphones })),
    include: result.include.status === 'covered' ? { status: 'covered' } : { status: result.include.status, pattern: result.include.pattern, file: result.include.file },
    skippedRows: result.skipped,
    notes: result.notes,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

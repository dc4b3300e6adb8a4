import { ImportUsageError } from './errors.js';

/** What a CSV column can hold. `name` may instead come from first_name and last_name (Wazo's export). */
export const FIELDS = ['extension', 'name', 'first_name', 'last_name', 'email', 'mac', 'model', 'site', 'group'] as const;
export type Field = (typeof FIELDS)[number];

/**
 * Header names recognised without --map, compared after `headerKey` (case, accents, spaces and
 * punctuation ignored): what PBX exports (FreePBX bulk handler, Wazo, 3CX), HR lists and
 * spreadsheets made by hand call these columns, in English, Polish and Russian.
 */
export const SYNONYMS: Record<Field, readonly string[]> = {
  extension: ['extension', 'ext', 'exten', 'extn', 'ext no', 'extension number', 'internal number', 'number', 'user extension', 'directory number', 'dn', 'numer wewnętrzny', 'nr wewnętrzny', 'wewnętrzny', 'внутренний номер', 'внутренний', 'добавочный'],
  name: ['name', 'full name', 'display name', 'caller id name', 'callerid name', 'cid name', 'employee', 'employee name', 'imię i nazwisko', 'nazwa', 'фио', 'имя и фамилия'],
  first_name: ['first name', 'firstname', 'given name', 'imię', 'имя'],
  last_name: ['last name', 'lastname', 'surname', 'family name', 'nazwisko', 'фамилия'],
  email: ['email', 'e-mail', 'mail', 'email address', 'e-mail address', 'adres e-mail', 'почта', 'электронная почта'],
  mac: ['mac', 'mac address', 'hardware address', 'hw address', 'device mac', 'phone mac', 'adres mac', 'mac-адрес'],
  model: ['model', 'phone model', 'device model', 'phone type', 'model telefonu', 'модель', 'модель телефона'],
  site: ['site', 'office', 'location', 'branch', 'oddział', 'lokalizacja', 'biuro', 'офис', 'филиал'],
  group: ['group', 'team', 'department', 'dept', 'zespół', 'dział', 'группа', 'отдел'],
};

/** Columns whose content callplan never imports: device passwords are derived from secrets.device_master. */
const SECRET_HEADER = /pass|secret|pin|hasło|haslo|пароль/;

/** Case, accents, spaces and punctuation do not matter in a header: "E-Mail address" = "emailaddress". */
export function headerKey(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

const SYNONYM_KEYS = new Map<string, Field>();
for (const field of FIELDS) for (const s of SYNONYMS[field]) if (!SYNONYM_KEYS.has(headerKey(s))) SYNONYM_KEYS.set(headerKey(s), field);

/** A field → column choice: a header name, `#N` (1-based column number), or '' for "none". */
export type ColumnSpec = Partial<Record<Field, string>>;

export interface Columns {
  /** Field → 0-based column index. */
  index: Partial<Record<Field, number>>;
  /** Field → the header it was read from, for the report. */
  header: Partial<Record<Field, string>>;
  /** Headers read into no field. */
  unused: string[];
  /** Of those, the ones that look like passwords or PINs: named in the report as deliberately left out. */
  secrets: string[];
}

/** `extension=Ext,name="Full name",mac=#5`: field=header pairs, a header in double quotes when it holds a comma. */
export function parseMapSpec(spec: string): ColumnSpec {
  const out: ColumnSpec = {};
  const pair = /\s*([A-Za-z_-]+)\s*=\s*(?:"((?:[^"]|"")*)"|([^,]*?))\s*(?:,|$)/y;
  let at = 0;
  while (at < spec.length) {
    pair.lastIndex = at;
    const m = pair.exec(spec);
    if (!m || m[0] === '') throw new ImportUsageError(`--map ${spec}: write field=Header pairs separated by commas, e.g. extension=Ext,name="Full name"`);
    out[fieldName(m[1]!)] = m[2] !== undefined ? m[2].replace(/""/g, '"') : m[3]!;
    at = pair.lastIndex;
  }
  return out;
}

/** The fields of a mapping file (YAML or JSON: `extension: Ext`), checked like --map. */
export function mapFromObject(data: unknown, file: string): ColumnSpec {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ImportUsageError(`${file}: a mapping file holds field: Header lines, e.g. extension: Ext`);
  }
  const out: ColumnSpec = {};
  for (const [key, value] of Object.entries(data)) {
    if (value !== null && typeof value !== 'string' && typeof value !== 'number') throw new ImportUsageError(`${file}: ${key} must name a column header`);
    out[fieldName(key)] = value === null ? '' : String(value);
  }
  return out;
}

function fieldName(key: string): Field {
  const wanted = key.toLowerCase().replace(/-/g, '_');
  const field = FIELDS.find((f) => f === wanted || f.replace('_', '') === wanted || (f === 'email' && wanted === 'e_mail'));
  if (!field) throw new ImportUsageError(`unknown field "${key}" in the column mapping; fields are ${FIELDS.join(', ')}`);
  return field;
}

/**
 * Which column holds which field: the explicit mapping first, then headers recognised by name.
 * A header serves one field only. Without an extension column, or a name (or first and last
 * name) column, nothing can be imported: that is a usage error naming the headers found.
 */
export function resolveColumns(headers: readonly string[], explicit: ColumnSpec = {}): Columns {
  const index: Partial<Record<Field, number>> = {};
  const taken = new Set<number>();
  for (const field of FIELDS) {
    const spec = explicit[field];
    if (spec === undefined || spec === '') continue;
    const i = findHeader(headers, spec);
    if (i === undefined) {
      throw new ImportUsageError(`--map ${field}=${spec}: no such column; the header has ${headers.map((h) => `"${h}"`).join(', ')}`);
    }
    index[field] = i;
    taken.add(i);
  }
  headers.forEach((h, i) => {
    if (taken.has(i)) return;
    const field = SYNONYM_KEYS.get(headerKey(h));
    if (field && index[field] === undefined && explicit[field] === undefined) {
      index[field] = i;
      taken.add(i);
    }
  });
  const found = `the header has ${headers.map((h) => `"${h}"`).join(', ') || 'no columns'}`;
  if (index.extension === undefined) throw new ImportUsageError(`no extension column: ${found}; name it with --map extension=HEADER`);
  if (index.name === undefined && index.first_name === undefined && index.last_name === undefined) {
    throw new ImportUsageError(`no name column: ${found}; name it with --map name=HEADER (or first_name= and last_name=)`);
  }
  const header: Partial<Record<Field, string>> = {};
  for (const field of FIELDS) if (index[field] !== undefined) header[field] = headers[index[field]!]!;
  const unused = headers.filter((h, i) => !taken.has(i) && h !== '');
  return { index, header, unused, secrets: unused.filter((h) => SECRET_HEADER.test(headerKey(h))) };
}

/** A column by header name (exact, then ignoring case and punctuation) or `#N`; undefined when there is none. */
export function findHeader(headers: readonly string[], spec: string): number | undefined {
  const byNumber = /^#(\d+)$/.exec(spec);
  if (byNumber) {
    const n = Number(byNumber[1]);
    return n >= 1 && n <= headers.length ? n - 1 : undefined;
  }
  const exact = headers.indexOf(spec);
  if (exact >= 0) return exact;
  const key = headerKey(spec);
  const loose = headers.findIndex((h) => headerKey(h) === key);
  return loose >= 0 ? loose : undefined;
}

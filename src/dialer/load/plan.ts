import { createHash } from 'node:crypto';
import type { CsvTable } from '../../import/csv.js';
import type { NumberType } from '../pacing/types.js';
import type { NewContact, StoredContact, StoredNumber } from '../state/rows.js';
import { NUMBER_FIELDS, type LoadColumns } from './columns.js';
import { normalizeNumber, numberTimezone, regionTimezone, validTimezone } from './numbers.js';

export interface LoadOptions {
  campaign: string;
  /** ISO country of national numbers (no + or 00). */
  country?: string;
  /** The campaign's time zone: a number in it needs no zone of its own. */
  timezone?: string;
}

export interface SkippedRow {
  line: number;
  reasons: string[];
}

export interface LoadPlan {
  campaign: string;
  rows: number;
  /** Contacts new to the campaign, in file order. */
  add: (NewContact & { line: number })[];
  /** Rows whose contact is in the campaign already, with the same data. */
  unchanged: number;
  /** Rows whose contact id is in the campaign already with other data: the stored contact is kept. */
  differs: { line: number; id: string }[];
  skipped: SkippedRow[];
  /** How contacts are told apart: the id column, or a key of their content when there is none. */
  keyedBy: 'id' | 'content';
}

/**
 * What loading a list would do: every row checked on its own (numbers to E.164, time zone or
 * region, priority), bad rows named with their line and every reason, contacts already in the
 * campaign recognised by id (or, without an id column, by a key of their numbers, name and case
 * number), so that loading the same file again adds nothing. Pure: `existing` looks up the
 * database.
 */
export function planLoad(table: CsvTable, columns: LoadColumns, options: LoadOptions, existing: (id: string) => StoredContact | undefined): LoadPlan {
  const plan: LoadPlan = { campaign: options.campaign, rows: table.rows.length, add: [], unchanged: 0, differs: [], skipped: [], keyedBy: columns.index.id === undefined ? 'content' : 'id' };
  const seen = new Map<string, number>();
  for (const row of table.rows) {
    const r = contactOfRow(row.fields, columns, options);
    if ('reasons' in r) {
      plan.skipped.push({ line: row.line, reasons: r.reasons });
      continue;
    }
    const c = r.contact;
    const earlier = seen.get(c.id);
    if (earlier !== undefined) {
      plan.skipped.push({ line: row.line, reasons: [plan.keyedBy === 'id' ? `id ${c.id} is already on line ${earlier}` : `the same contact is already on line ${earlier}`] });
      continue;
    }
    seen.set(c.id, row.line);
    const stored = existing(c.id);
    if (!stored) plan.add.push({ ...c, line: row.line });
    else if (sameContact(stored, c)) plan.unchanged++;
    else plan.differs.push({ line: row.line, id: c.id });
  }
  return plan;
}

function contactOfRow(fields: readonly string[], columns: LoadColumns, options: LoadOptions): { contact: NewContact } | { reasons: string[] } {
  const reasons: string[] = [];
  const cell = (i: number | undefined) => (i === undefined ? '' : (fields[i] ?? '').trim());
  const label = (f: string) => `${f} (${columns.headers[columns.index[f as keyof typeof columns.index]!]})`;

  let timezone: string | undefined;
  const tz = cell(columns.index.timezone);
  const region = cell(columns.index.region);
  if (tz !== '') {
    if (validTimezone(tz)) timezone = tz;
    else reasons.push(`${label('timezone')}: unknown time zone "${tz}"; use an IANA name such as Europe/Warsaw`);
  } else if (region !== '') {
    const z = regionTimezone(region);
    if (z.ok) timezone = z.timezone;
    else reasons.push(`${label('region')}: ${z.reason}`);
  }

  const numbers: StoredNumber[] = [];
  for (const f of NUMBER_FIELDS) {
    const text = cell(columns.index[f]);
    if (text === '') continue;
    const n = normalizeNumber(text, options.country);
    if (!n.ok) {
      reasons.push(`${label(f)}: ${n.reason}`);
      continue;
    }
    if (numbers.some((x) => x.number === n.e164)) continue;
    const own = timezone === undefined ? numberTimezone(n.e164) : undefined;
    numbers.push({ number: n.e164, type: (columns.types[f] ?? 'unknown') as NumberType, ...(own !== undefined && own !== options.timezone && { timezone: own }) });
  }
  if (numbers.length === 0 && reasons.length === 0) reasons.push('no phone number');

  let priority = 0;
  const p = cell(columns.index.priority);
  if (p !== '') {
    priority = Number(p);
    if (!Number.isInteger(priority) || priority < -1000 || priority > 1000) reasons.push(`${label('priority')}: "${p}" is not a whole number from -1000 to 1000`);
  }

  let id = cell(columns.index.id);
  if (columns.index.id !== undefined && id === '') reasons.push(`${label('id')}: empty`);
  if (reasons.length > 0) return { reasons };

  const name = cell(columns.index.name);
  const caseNumber = cell(columns.index.case);
  const custom: Record<string, string> = {};
  for (const { name: key, index } of columns.custom) {
    const v = cell(index);
    if (v !== '') custom[key] = v;
  }
  if (columns.index.id === undefined) id = contentKey(numbers, name, caseNumber);
  const contact: NewContact = { campaign: options.campaign, id, priority, numbers, fields: custom, source: 'load' };
  if (name !== '') contact.name = name;
  if (caseNumber !== '') contact.caseNumber = caseNumber;
  if (timezone !== undefined) contact.timezone = timezone;
  return { contact };
}

/** A contact without an id column is known by its numbers, name and case number. */
export function contentKey(numbers: readonly StoredNumber[], name: string, caseNumber: string): string {
  const h = createHash('sha256').update(JSON.stringify([numbers.map((n) => n.number), name, caseNumber])).digest('hex');
  return `k-${h.slice(0, 20)}`;
}

function sameContact(a: StoredContact, b: NewContact): boolean {
  const norm = (c: NewContact | StoredContact) =>
    JSON.stringify([c.priority, c.name ?? '', c.caseNumber ?? '', c.timezone ?? '', c.numbers.map((n) => [n.number, n.type, n.timezone ?? '']), Object.entries(c.fields).sort(([x], [y]) => (x < y ? -1 : 1))]);
  return norm(a) === norm(b);
}

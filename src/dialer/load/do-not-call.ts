import { headerKey } from '../../import/columns.js';
import type { CsvTable } from '../../import/csv.js';
import { normalizeNumber } from './numbers.js';

const NUMBER_HEADERS = new Set(['number', 'phone', 'phonenumber', 'msisdn', 'telefon', 'numer', 'numertelefonu', 'номер', 'телефон'].map(headerKey));

export interface DoNotCallPlan {
  numbers: string[];
  skipped: { line: number; reasons: string[] }[];
}

/**
 * The numbers of a do-not-call list (the campaign's contacts.do_not_call files): the column
 * named number or phone (in English, Polish or Russian), else the first; a first line that is
 * itself a number is not taken for a header. Numbers become E.164 like a contact's.
 */
export function planDoNotCall(table: CsvTable, country: string | undefined): DoNotCallPlan {
  let col = table.headers.findIndex((h) => NUMBER_HEADERS.has(headerKey(h)));
  const rows = table.rows.map((r) => ({ line: r.line, cell: r.fields[col < 0 ? 0 : col] ?? '' }));
  if (col < 0) {
    col = 0;
    const first = table.headers[0] ?? '';
    if (normalizeNumber(first, country).ok) rows.unshift({ line: (table.rows[0]?.line ?? 2) - 1, cell: first });
  }
  const out: DoNotCallPlan = { numbers: [], skipped: [] };
  const seen = new Set<string>();
  for (const { line, cell } of rows) {
    if (cell.trim() === '') continue;
    const n = normalizeNumber(cell, country);
    if (!n.ok) out.skipped.push({ line, reasons: [n.reason] });
    else if (!seen.has(n.e164)) {
      seen.add(n.e164);
      out.numbers.push(n.e164);
    }
  }
  return out;
}

import { findHeader, headerKey } from '../../import/columns.js';
import { ImportUsageError } from '../../import/errors.js';
import type { NumberType } from '../pacing/types.js';

/** What a column of a contact list can hold; every other column is a custom field. */
export const LOAD_FIELDS = ['id', 'name', 'case', 'priority', 'timezone', 'region', 'number1', 'number2', 'number3', 'number4'] as const;
export type LoadField = (typeof LOAD_FIELDS)[number];
export const NUMBER_FIELDS = ['number1', 'number2', 'number3', 'number4'] as const;

/** Headers recognised without --map (compared after headerKey), in English, Polish and Russian. */
const SYNONYMS: Partial<Record<LoadField, readonly string[]>> = {
  id: ['id', 'contact id', 'customer id', 'client id', 'record id', 'lead id', 'task id', 'identyfikator', 'id klienta', 'идентификатор'],
  name: ['name', 'full name', 'customer name', 'client name', 'debtor name', 'imię i nazwisko', 'nazwa', 'klient', 'фио', 'имя'],
  case: ['case', 'case number', 'case no', 'case id', 'file number', 'numer sprawy', 'sprawa', 'номер дела', 'дело'],
  priority: ['priority', 'priorytet', 'приоритет'],
  timezone: ['timezone', 'time zone', 'tz', 'strefa czasowa', 'часовой пояс'],
  region: ['region', 'country', 'kraj', 'województwo', 'регион', 'страна'],
  number1: ['phone', 'phone1', 'phone 1', 'number', 'number1', 'mobile', 'telefon', 'telefon1', 'телефон', 'телефон1'],
  number2: ['phone2', 'phone 2', 'number2', 'telefon2', 'телефон2'],
  number3: ['phone3', 'phone 3', 'number3', 'telefon3', 'телефон3'],
  number4: ['phone4', 'phone 4', 'number4', 'telefon4', 'телефон4'],
};

/** The campaign's own description of its lists (the model's campaign.contacts). */
export interface CampaignColumns {
  /** Number columns in dialling order (up to 4). */
  numbers: readonly string[];
  numberTypes: Readonly<Record<string, 'mobile' | 'landline'>>;
  timezoneField?: string;
  priorityField?: string;
  /** Custom fields to keep; empty: every column not read into a field. */
  fields: readonly string[];
}

export type LoadMap = Partial<Record<LoadField, string>>;

export interface LoadColumns {
  index: Partial<Record<LoadField, number>>;
  /** Kind of each number field's column. */
  types: Partial<Record<LoadField, NumberType>>;
  /** Custom fields: name → column. */
  custom: { name: string; index: number }[];
  headers: readonly string[];
}

/**
 * One --map value: `field=Header` (as `callplan import` takes it) or `Header=field`, whichever
 * side names a field; several pairs may be given separated by commas; a header in double quotes
 * may hold a comma. `#N` names a column by number.
 */
export function parseLoadMap(spec: string): LoadMap {
  const out: LoadMap = {};
  const pair = /\s*(?:"((?:[^"]|"")*)"|([^=,]*?))\s*=\s*(?:"((?:[^"]|"")*)"|([^,]*?))\s*(?:,|$)/y;
  let at = 0;
  while (at < spec.length) {
    pair.lastIndex = at;
    const m = pair.exec(spec);
    if (!m || m[0] === '') throw new ImportUsageError(`--map ${spec}: write field=Header pairs separated by commas, e.g. number1=Mobile,id="Client no"`);
    const left = m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!;
    const right = m[3] !== undefined ? m[3].replace(/""/g, '"') : m[4]!;
    const lf = loadField(left);
    const rf = loadField(right);
    if (lf) out[lf] = right;
    else if (rf) out[rf] = left;
    else throw new ImportUsageError(`--map ${left}=${right}: neither side is a field; fields are ${LOAD_FIELDS.join(', ')}`);
    at = pair.lastIndex;
  }
  return out;
}

function loadField(s: string): LoadField | undefined {
  const k = s.trim().toLowerCase().replace(/[\s_-]/g, '');
  if (k === 'phone' || k === 'number') return 'number1';
  const m = /^(?:phone|number)([1-4])$/.exec(k);
  if (m) return `number${m[1]}` as LoadField;
  if (k === 'casenumber') return 'case';
  if (k === 'tz') return 'timezone';
  return LOAD_FIELDS.find((f) => f === k);
}

/**
 * Which column holds what: --map first, then the campaign's own columns (its numbers in order,
 * time zone and priority fields), then headers recognised by name. A list without any number
 * column is a usage error naming the headers found.
 */
export function resolveLoadColumns(headers: readonly string[], campaign: CampaignColumns, explicit: LoadMap = {}): LoadColumns {
  const index: Partial<Record<LoadField, number>> = {};
  const taken = new Set<number>();
  const found = `the header has ${headers.map((h) => `"${h}"`).join(', ') || 'no columns'}`;
  const use = (field: LoadField, spec: string, from: string) => {
    const i = findHeader(headers, spec);
    if (i === undefined) throw new ImportUsageError(`${from} ${field}=${spec}: no such column; ${found}`);
    index[field] = i;
    taken.add(i);
  };
  for (const f of LOAD_FIELDS) if (explicit[f] !== undefined && explicit[f] !== '') use(f, explicit[f]!, '--map');
  if (campaign.numbers.length > NUMBER_FIELDS.length) throw new ImportUsageError(`the campaign names ${campaign.numbers.length} number columns; a contact has at most 4`);
  const anyNumberMapped = NUMBER_FIELDS.some((f) => explicit[f] !== undefined);
  if (!anyNumberMapped) {
    campaign.numbers.forEach((col, k) => {
      const i = findHeader(headers, col);
      if (i !== undefined && !taken.has(i)) {
        index[NUMBER_FIELDS[k]!] = i;
        taken.add(i);
      }
    });
  }
  if (campaign.timezoneField !== undefined && index.timezone === undefined && explicit.timezone === undefined) {
    const i = findHeader(headers, campaign.timezoneField);
    if (i !== undefined && !taken.has(i)) (index.timezone = i), taken.add(i);
  }
  if (campaign.priorityField !== undefined && index.priority === undefined && explicit.priority === undefined) {
    const i = findHeader(headers, campaign.priorityField);
    if (i !== undefined && !taken.has(i)) (index.priority = i), taken.add(i);
  }
  const campaignNamesNumbers = campaign.numbers.length > 0 && !anyNumberMapped;
  headers.forEach((h, i) => {
    if (taken.has(i)) return;
    const key = headerKey(h);
    const field = LOAD_FIELDS.find((f) => index[f] === undefined && explicit[f] === undefined && !(campaignNamesNumbers && f.startsWith('number')) && SYNONYMS[f]?.some((s) => headerKey(s) === key));
    if (field) {
      index[field] = i;
      taken.add(i);
    }
  });
  if (!NUMBER_FIELDS.some((f) => index[f] !== undefined)) {
    throw new ImportUsageError(`no phone number column: ${found}; name them with --map number1=HEADER (up to number4), or list them in the campaign's contacts.numbers`);
  }
  const types: Partial<Record<LoadField, NumberType>> = {};
  for (const f of NUMBER_FIELDS) {
    const i = index[f];
    if (i === undefined) continue;
    const h = headers[i]!;
    types[f] = campaign.numberTypes[h] ?? Object.entries(campaign.numberTypes).find(([k]) => headerKey(k) === headerKey(h))?.[1] ?? guessType(h);
  }
  const custom: { name: string; index: number }[] = [];
  if (campaign.fields.length > 0) {
    for (const name of campaign.fields) {
      const i = findHeader(headers, name);
      if (i !== undefined) custom.push({ name, index: i });
    }
  } else headers.forEach((h, i) => !taken.has(i) && h !== '' && custom.push({ name: h, index: i }));
  return { index, types, custom, headers };
}

/** A number column's kind from its header, when the campaign does not say: mobile, home and work are common enough. */
function guessType(header: string): NumberType {
  if (/mobile|mobil|komór|cell|gsm|моб|сот/i.test(header)) return 'mobile';
  if (/home|work|office|landline|fixed|domow|praca|stacjon|дом|раб|стац/i.test(header)) return 'landline';
  return 'unknown';
}

import type { RawDevice, RawUser } from '../model/input.js';
import { normalizeMac, SNOM_OUI } from '../model/mac.js';
import { closest } from '../model/schema/suggest.js';
import { findSnomModel, SNOM_MODELS } from '../targets/snom/models.js';
import type { Columns, Field } from './columns.js';
import type { CsvTable } from './csv.js';
import type { ExistingProject } from './existing.js';

/** Why a row was left out. Codes are stable (JSON report); messages are for people. */
export type ReasonCode =
  | 'field-count'
  | 'missing-extension'
  | 'invalid-extension'
  | 'duplicate-extension'
  | 'missing-name'
  | 'invalid-name'
  | 'invalid-email'
  | 'missing-site'
  | 'unknown-site'
  | 'unknown-group'
  | 'invalid-mac'
  | 'mac-not-snom'
  | 'duplicate-mac'
  | 'missing-model'
  | 'missing-mac'
  | 'unknown-model';

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface ImportedRow {
  line: number;
  /** The project file (relative to the project, forward slashes) the user goes to. */
  file: string;
  user: RawUser;
}

export interface SkippedRow {
  line: number;
  /** As written in the row, when present: the report names the row by them. */
  extension?: string;
  name?: string;
  reasons: Reason[];
}

export type Split = 'site' | 'group' | 'none';

export interface PlanOptions {
  /** Folder for the new files, relative to the project (forward slashes). */
  dir: string;
  split: Split;
  /** For rows whose cell is empty. */
  site?: string;
  group?: string;
  /** For rows with a MAC and no model. */
  model?: string;
}

export interface ImportPlan {
  /** Data rows with anything in them. */
  rows: number;
  /** Rows with every field empty (Excel writes ;;;;; for them): ignored, not reported. */
  blank: number;
  imported: ImportedRow[];
  skipped: SkippedRow[];
  /**
   * Every file some row is placed in, imported or not. A file here that exists already is
   * replaced as a whole (with --force), so its users must not count as already in the project.
   */
  targets: string[];
}

/** The prefix of every file an import writes, so its files never take the name of one written by hand. */
export const FILE_PREFIX = 'imported';

const EXTENSION = /^[0-9]{2,8}$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const NAME_FORBIDDEN = /[;"<>\r\n]/;
/** Model cells that say "no desk phone" (exports list the softphone product). */
const SOFTPHONE = /soft|zoiper|linphone|microsip|bria|x-?lite|webrtc|^app$|mobile|^pc$|laptop/i;

/**
 * The core of `callplan import`: CSV rows to users, each row either imported or skipped with
 * every reason that applies. Checks mirror the project's rules (extension, MAC, model, site,
 * group), and duplicates are looked up both among earlier rows and in the project, so the
 * result validates; the first of two rows wins.
 */
export function planImport(table: Pick<CsvTable, 'headers' | 'rows'>, columns: Columns, project: ExistingProject, options: PlanOptions): ImportPlan {
  const plan: ImportPlan = { rows: 0, blank: 0, imported: [], skipped: [], targets: [] };
  const targets = new Set<string>();
  const extensions = new Map<string, { label: string; line: number }>();
  const macs = new Map<string, { label: string; line: number }>();
  const siteNames = project.sites;
  const groupNames = [...project.groups.keys()].sort();
  // Empty header cells at the end (a trailing delimiter) are no columns: rows may leave them out.
  let width = table.headers.length;
  while (width > 0 && table.headers[width - 1] === '') width--;

  for (const row of table.rows) {
    const cell = (field: Field) => {
      const i = columns.index[field];
      return i === undefined ? '' : (row.fields[i] ?? '').trim();
    };
    if (row.fields.every((f) => f.trim() === '')) {
      plan.blank++;
      continue;
    }
    plan.rows++;
    const reasons: Reason[] = [];
    const skip = (code: ReasonCode, message: string) => reasons.push({ code, message });

    const extra = row.fields.slice(width);
    if (row.fields.length < width || extra.some((f) => f.trim() !== '')) {
      skip('field-count', `${row.fields.length} fields where the header has ${width} (a delimiter or quote out of place?)`);
    }

    const extension = cell('extension');
    if (extension === '') skip('missing-extension', 'no extension');
    else if (!EXTENSION.test(extension)) skip('invalid-extension', `invalid extension "${extension}": 2 to 8 digits`);

    const name = (cell('name') || [cell('first_name'), cell('last_name')].filter(Boolean).join(' ')).replace(/\s+/g, ' ');
    if (name === '') skip('missing-name', 'no name');
    else if (NAME_FORBIDDEN.test(name)) skip('invalid-name', `name "${name}" holds ; " < > or a line break, which Asterisk's files cannot take`);

    const email = cell('email');
    if (email !== '' && !EMAIL.test(email)) skip('invalid-email', `invalid e-mail "${email}"`);

    // Group before site: a row without a site takes its group's.
    const groupText = cell('group') || options.group || '';
    const group = groupText === '' ? undefined : matchName(groupText, groupNames);
    if (groupText !== '' && group === undefined) skip('unknown-group', unknown('group', groupText, groupNames));
    const siteText = cell('site');
    let site = siteText === '' ? undefined : matchName(siteText, siteNames);
    if (siteText !== '' && site === undefined) skip('unknown-site', unknown('site', siteText, siteNames));
    if (siteText === '') {
      site = (group && project.groups.get(group)?.site) || options.site || (siteNames.length === 1 ? siteNames[0] : undefined);
      if (site === undefined) skip('missing-site', 'no site: fill the site column, or give --site');
    }

    const device = deviceOf(cell('mac'), cell('model'), options.model, skip);

    const label = `${extension} ${name}`.trim();
    if (EXTENSION.test(extension)) {
      const earlier = extensions.get(extension);
      const owner = project.extensions.get(extension);
      if (earlier) skip('duplicate-extension', `extension ${extension} already used by ${earlier.label} (line ${earlier.line})`);
      else if (owner) skip('duplicate-extension', `extension ${extension} already used by ${owner.what} in ${owner.where()}`);
    }
    // Looked up even when the row fails for its model, so one run names every problem of the row.
    const mac = normalizeMac(cell('mac'));
    if (mac !== undefined) {
      const earlier = macs.get(mac);
      const owner = project.macs.get(mac);
      if (earlier) skip('duplicate-mac', `MAC ${cell('mac')} already used by ${earlier.label} (line ${earlier.line})`);
      else if (owner) skip('duplicate-mac', `MAC ${cell('mac')} already used by ${owner.what} in ${owner.where()}`);
    }

    const file = site === undefined || (groupText !== '' && group === undefined) ? undefined : fileFor(options, site, group);
    if (file) targets.add(file);
    if (reasons.length > 0 || device === undefined || site === undefined || file === undefined) {
      plan.skipped.push({ line: row.line, ...(extension ? { extension } : {}), ...(name ? { name } : {}), reasons });
      continue;
    }
    extensions.set(extension, { label, line: row.line });
    if (mac !== undefined) macs.set(mac, { label, line: row.line });
    const user: RawUser = { extension, name, ...(email ? { email } : {}), site, ...(group ? { group } : {}), devices: [device] };
    plan.imported.push({ line: row.line, file, user });
  }
  plan.targets = [...targets].sort();
  return plan;
}

/** The device of a row: a SNOM phone when it has a MAC, a softphone otherwise; undefined when the row is skipped for it. */
function deviceOf(macText: string, modelText: string, defaultModel: string | undefined, skip: (code: ReasonCode, message: string) => void): RawDevice | undefined {
  const modelName = modelText.replace(/^snom[\s_-]*/i, '');
  if (macText === '') {
    if (modelText === '' || SOFTPHONE.test(modelText)) return { type: 'softphone' };
    if (findSnomModel(modelName)) skip('missing-mac', `SNOM ${findSnomModel(modelName)!.model} without a MAC`);
    else skip('unknown-model', unknownModel(modelText));
    return undefined;
  }
  let ok = true;
  const mac = normalizeMac(macText);
  if (mac === undefined) {
    skip('invalid-mac', `"${macText}" is not a MAC address`);
    ok = false;
  } else if (mac === '000000000000' || (parseInt(mac.slice(0, 2), 16) & 1) === 1) {
    skip('invalid-mac', `MAC ${macText} is not the address of a phone (zero, broadcast or multicast)`);
    ok = false;
  } else if (!mac.startsWith(SNOM_OUI)) {
    skip('mac-not-snom', `MAC ${macText} does not start with SNOM's prefix 00:04:13`);
    ok = false;
  }
  const wanted = modelText === '' ? defaultModel : modelName;
  const model = wanted === undefined ? undefined : findSnomModel(wanted);
  if (wanted === undefined) skip('missing-model', 'a MAC but no model: fill the model column, or give --model');
  else if (!model) skip('unknown-model', unknownModel(modelText || wanted));
  if (!ok || !model) return undefined;
  return { type: 'snom', model: model.model, mac: mac!.match(/../g)!.join(':') };
}

function unknownModel(text: string): string {
  const names = SNOM_MODELS.map((m) => m.model);
  const guess = closest(text.replace(/^snom[\s_-]*/i, ''), names);
  return `unknown model "${text}"${guess ? `; did you mean ${guess}?` : ` (SNOM models: ${names.join(', ')})`}`;
}

function unknown(what: string, text: string, names: readonly string[]): string {
  const guess = closest(slug(text), names);
  return `unknown ${what} "${text}"${guess ? `; did you mean ${guess}?` : names.length > 0 ? ` (${what}s: ${names.join(', ')})` : ''}`;
}

/** A cell names a site or group as written, in another case, or with spaces for dashes ("Sales Moscow" = sales-moscow). */
export function matchName(text: string, names: readonly string[]): string | undefined {
  if (names.includes(text)) return text;
  const lower = text.toLowerCase();
  return names.find((n) => n === lower) ?? names.find((n) => n === slug(text));
}

function slug(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ł/g, 'l')
    .trim()
    .replace(/[\s_]+/g, '-');
}

/** users/imported-<site>.yaml; by group: users/imported-<group>.yaml (users without one by site); or one users/imported.yaml. */
export function fileFor(options: Pick<PlanOptions, 'dir' | 'split'>, site: string, group: string | undefined): string {
  const base = options.split === 'none' ? FILE_PREFIX : `${FILE_PREFIX}-${options.split === 'group' && group ? group : site}`;
  return `${options.dir ? `${options.dir.replace(/\/+$/, '')}/` : ''}${base}.yaml`;
}

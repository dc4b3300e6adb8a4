import type { FileChange, PhoneResync } from './types.js';

/**
 * Which SNOM phones must fetch their settings again, from the changed files under snom/ (see
 * docs/snom.md for the layout): a phone's own files concern it; a model's defaults
 * (`snom<type>.htm`) concern every phone of that model; a site's directory (`tbook-<site>.xml`)
 * every phone whose settings list names it. The last two need the whole new build to say which
 * phones those are; without it they concern every phone.
 */
export interface PhonesResult {
  phones: PhoneResync[];
  all?: { why: string[] };
}

const OWN_SETTINGS = /^([0-9A-F]{12})\.xml$/;
const OWN_LIST = /^snom([A-Za-z0-9]+)-([0-9A-F]{12})\.htm$/;
const MODEL_DEFAULTS = /^snom([A-Za-z0-9]+)\.htm$/;
const DIRECTORY = /^tbook-(.+)\.xml$/;

export function phoneResyncs(changes: readonly FileChange[], after?: ReadonlyMap<string, string>): PhonesResult {
  const why = new Map<string, string[]>();
  const all: string[] = [];
  const add = (mac: string, reason: string) => why.set(mac, [...(why.get(mac) ?? []), reason]);
  const lists = after ? [...after].filter(([p]) => p.startsWith('snom/') && OWN_LIST.test(p.slice(5))) : [];
  for (const c of changes) {
    if (!c.path.startsWith('snom/')) continue;
    const file = c.path.slice('snom/'.length);
    let m: RegExpExecArray | null;
    if ((m = OWN_SETTINGS.exec(file)) || (m = OWN_LIST.exec(file))) {
      const mac = m.length === 2 ? m[1]! : m[2]!;
      // A phone whose files are gone is no longer provisioned: nothing to fetch.
      if (c.after !== undefined) add(mac, `${c.path} ${c.before === undefined ? 'added' : 'changed'}`);
    } else if ((m = MODEL_DEFAULTS.exec(file))) {
      if (!after) all.push(`${c.path} changed (defaults of every ${m[1]})`);
      else for (const [p] of lists) if (OWN_LIST.exec(p.slice(5))![1] === m[1]) add(OWN_LIST.exec(p.slice(5))![2]!, `${c.path} changed (defaults of every ${m[1]})`);
    } else if ((m = DIRECTORY.exec(file))) {
      if (!after) all.push(`${c.path} changed (the directory of site ${m[1]})`);
      else for (const [p, text] of lists) if (text.includes(file)) add(OWN_LIST.exec(p.slice(5))![2]!, `${c.path} changed (its site's directory)`);
    } else all.push(`${c.path} changed (a file callplan does not know the phones of)`);
  }
  const phones = [...why].sort(([a], [b]) => (a < b ? -1 : 1)).map(([mac, reasons]) => ({ mac, why: reasons }));
  return all.length > 0 ? { phones, all: { why: all } } : { phones };
}

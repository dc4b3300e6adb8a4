import { sharedPrefix, sharedSuffix } from './files/diff.js';

/**
 * Reads Asterisk's configuration syntax back into sections, just enough to tell which parts of a
 * file changed between two builds: `[name]` or `[name](template)` headers, `key = value` lines,
 * `;` comments. Names repeat in pjsip.conf (an endpoint and its aor share one), so a section is
 * known by its name and its `type`.
 */
export interface ConfSection {
  /** `name` or `name/type` when the section has a type (pjsip.conf). */
  key: string;
  name: string;
  type?: string;
  /** `key = value` lines without comments or surrounding blanks, in file order. */
  lines: string[];
}

const HEADER = /^\[([^\]]+)\]/;

export function readSections(text: string): ConfSection[] {
  const sections: ConfSection[] = [];
  let current: ConfSection | undefined;
  // Line by line with indexOf rather than split: a 10,000-user pjsip.conf is 370,000 lines, and
  // the array of all of them is garbage the moment it has been read.
  for (let start = 0; start <= text.length; ) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl;
    const line = stripComment(text.slice(start, end)).trim();
    start = end + 1;
    if (line === '') continue;
    if (line.charCodeAt(0) === 91 /* [ */) {
      const header = HEADER.exec(line);
      if (header) {
        current = { key: header[1]!, name: header[1]!, lines: [] };
        sections.push(current);
        continue;
      }
    }
    if (!current) continue;
    const pair = PAIR.exec(line);
    if (pair && pair[1] === 'type') current.type = pair[2]!;
    current.lines.push(pair ? `${pair[1]} = ${pair[2]}` : line);
  }
  for (const s of sections) if (s.type) s.key = `${s.name}/${s.type}`;
  return sections;
}

const PAIR = /^([^=]+?)\s*=>?\s*(.*)$/;

/** Asterisk escapes a literal semicolon as `\;`; any other `;` starts a comment. */
function stripComment(line: string): string {
  for (let i = line.indexOf(';'); i >= 0; i = line.indexOf(';', i + 1)) if (line.charCodeAt(i - 1) !== 92 /* \ */) return line.slice(0, i);
  return line;
}

export interface SectionChange {
  key: string;
  name: string;
  type?: string;
  kind: 'added' | 'removed' | 'changed';
  before?: ConfSection;
  after?: ConfSection;
}

/**
 * Sections added, removed or changed from one text to the other (comments and blank lines ignored).
 * The whole sections both texts share at their start and at their end are read once, for both: a
 * one-user change in a 7 MB pjsip.conf then reads the file once instead of twice, and compares the
 * sections it shares as one object each.
 */
export function changedSections(before: string | undefined, after: string | undefined): SectionChange[] {
  const [old, now] = [before ?? '', after ?? ''];
  if (old === now) return [];
  const { head, oldTail, nowTail } = sharedSections(old, now);
  const start = readSections(old.slice(0, head));
  const end = readSections(old.slice(oldTail));
  const was = byKey([...start, ...readSections(old.slice(head, oldTail)), ...end]);
  const is = byKey([...start, ...readSections(now.slice(head, nowTail)), ...end]);
  const out: SectionChange[] = [];
  for (const [key, a] of is) {
    const b = was.get(key);
    if (!b) out.push({ key, name: a.name, type: a.type, kind: 'added', after: a });
    else if (b !== a && !sameLines(b.lines, a.lines)) out.push({ key, name: a.name, type: a.type ?? b.type, kind: 'changed', before: b, after: a });
  }
  for (const [key, b] of was) if (!is.has(key)) out.push({ key, name: b.name, type: b.type, kind: 'removed', before: b });
  return out;
}

/**
 * Where two texts stop sharing whole sections: `old.slice(0, head)` (the same in `now`) ends just
 * before a header line both texts share, or is empty; `old.slice(oldTail)` equals
 * `now.slice(nowTail)` and starts with a header line, or is empty. Each part then reads into the
 * same sections alone as within the whole text, since a section runs from its header to the next.
 */
export function sharedSections(old: string, now: string): { head: number; oldTail: number; nowTail: number } {
  // The last header line that ends within the shared start.
  const same = sharedPrefix(old, now);
  let head = 0;
  for (let end = old.lastIndexOf('\n', same - 1); end > 0; ) {
    const start = old.lastIndexOf('\n', end - 1) + 1;
    if (isHeader(old.slice(start, end))) {
      head = start;
      break;
    }
    end = start - 1;
  }
  // The first header line, in the shared end, that starts a line in both texts.
  const back = sharedSuffix(old, now, Math.min(old.length, now.length) - head);
  const shift = now.length - old.length;
  const lineStart = (text: string, i: number) => i === 0 || text.charCodeAt(i - 1) === 10;
  let oldTail = old.length;
  for (let at = old.length - back; at < old.length; ) {
    const next = old.indexOf('\n', at);
    const end = next < 0 ? old.length : next;
    if (lineStart(old, at) && lineStart(now, at + shift) && isHeader(old.slice(at, end))) {
      oldTail = at;
      break;
    }
    at = end + 1;
  }
  return { head, oldTail, nowTail: oldTail + shift };
}

function isHeader(line: string): boolean {
  return HEADER.test(stripComment(line).trim());
}

/**
 * Later sections with the same key are merged into the first, as Asterisk does when a file repeats
 * a header. Sections read once for both texts are shared, so a merge copies the first (once).
 */
function byKey(sections: readonly ConfSection[]): Map<string, ConfSection> {
  const map = new Map<string, ConfSection>();
  const merged = new Set<ConfSection>();
  for (const s of sections) {
    const seen = map.get(s.key);
    if (!seen) {
      map.set(s.key, s);
      continue;
    }
    const into = merged.has(seen) ? seen : { ...seen, lines: [...seen.lines] };
    into.lines.push(...s.lines);
    merged.add(into);
    map.set(s.key, into);
  }
  return map;
}

/** Lines are never empty and hold no line break, so comparing them one by one is comparing their joined text. */
function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

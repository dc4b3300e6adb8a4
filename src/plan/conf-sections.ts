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

/** Sections added, removed or changed from one text to the other (comments and blank lines ignored). */
export function changedSections(before: string | undefined, after: string | undefined): SectionChange[] {
  const old = byKey(readSections(before ?? ''));
  const now = byKey(readSections(after ?? ''));
  const out: SectionChange[] = [];
  for (const [key, a] of now) {
    const b = old.get(key);
    if (!b) out.push({ key, name: a.name, type: a.type, kind: 'added', after: a });
    else if (!sameLines(b.lines, a.lines)) out.push({ key, name: a.name, type: a.type ?? b.type, kind: 'changed', before: b, after: a });
  }
  for (const [key, b] of old) if (!now.has(key)) out.push({ key, name: b.name, type: b.type, kind: 'removed', before: b });
  return out;
}

/**
 * Later sections with the same key are merged into the first, as Asterisk does when a file repeats
 * a header. The sections are this module's own (just read), so they are merged in place.
 */
function byKey(sections: ConfSection[]): Map<string, ConfSection> {
  const map = new Map<string, ConfSection>();
  for (const s of sections) {
    const seen = map.get(s.key);
    if (seen) seen.lines.push(...s.lines);
    else map.set(s.key, s);
  }
  return map;
}

/** Lines are never empty and hold no line break, so comparing them one by one is comparing their joined text. */
function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

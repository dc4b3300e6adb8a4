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
  for (const raw of text.split('\n')) {
    const line = stripComment(raw).trim();
    if (line === '') continue;
    const header = HEADER.exec(line);
    if (header) {
      current = { key: header[1]!, name: header[1]!, lines: [] };
      sections.push(current);
      continue;
    }
    if (!current) continue;
    const pair = /^([^=]+?)\s*=>?\s*(.*)$/.exec(line);
    if (pair && pair[1] === 'type') current.type = pair[2]!;
    current.lines.push(pair ? `${pair[1]} = ${pair[2]}` : line);
  }
  for (const s of sections) if (s.type) s.key = `${s.name}/${s.type}`;
  return sections;
}

/** Asterisk escapes a literal semicolon as `\;`; any other `;` starts a comment. */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) if (line[i] === ';' && line[i - 1] !== '\\') return line.slice(0, i);
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
    else if (b.lines.join('\n') !== a.lines.join('\n')) out.push({ key, name: a.name, type: a.type ?? b.type, kind: 'changed', before: b, after: a });
  }
  for (const [key, b] of old) if (!now.has(key)) out.push({ key, name: b.name, type: b.type, kind: 'removed', before: b });
  return out;
}

/** Later sections with the same key are merged into the first, as Asterisk does when a file repeats a header. */
function byKey(sections: ConfSection[]): Map<string, ConfSection> {
  const map = new Map<string, ConfSection>();
  for (const s of sections) {
    const seen = map.get(s.key);
    if (seen) seen.lines.push(...s.lines);
    else map.set(s.key, { ...s, lines: [...s.lines] });
  }
  return map;
}

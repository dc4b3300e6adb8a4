import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';

/**
 * Reads the SNOM files back with a real XML parser (fast-xml-parser), independent of how the
 * target writes them: entities are decoded once by the parser, so a value escaped twice or not at
 * all shows up as a different value here.
 */
type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false, parseAttributeValue: false, trimValues: false, preserveOrder: true, commentPropName: '#comment' });

export interface ParsedSetting {
  name: string;
  idx?: string;
  perm?: string;
  value: string;
}

export interface ParsedKey {
  idx: string;
  context?: string;
  label?: string;
  perm?: string;
  value: string;
}

export interface ParsedSettings {
  comment: string;
  settings: ParsedSetting[];
  firmware?: string;
  keys: ParsedKey[];
}

export interface ParsedPhonebook {
  comment: string;
  attrs: Record<string, string>;
  entries: { attrs: Record<string, string>; name: string; number: string }[];
}

/** Fails the test unless the text is well-formed XML. */
export function expectWellFormed(text: string, file: string): void {
  const result = XMLValidator.validate(text);
  expect(result === true ? true : result.err, `${file} is not well-formed XML`).toBe(true);
}

const nameOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;
const children = (n: Node) => ((n[nameOf(n)] as Node[]) ?? []).filter((c) => nameOf(c) !== '#text' || String(c['#text']).trim() !== '');
const textOf = (n: Node) => children(n).map((c) => String(c['#text'] ?? '')).join('');
const element = (nodes: Node[], name: string) => nodes.find((n) => nameOf(n) === name);

function top(text: string): { root: Node; comment: string } {
  const doc = parser.parse(text) as Node[];
  const comment = doc.find((n) => nameOf(n) === '#comment');
  const root = doc.find((n) => !['?xml', '#comment', '#text'].includes(nameOf(n)))!;
  return { root, comment: comment ? textOf(comment).trim() : '' };
}

/** `<MAC>.xml`: phone settings in order, firmware, function keys (the directory is a file of its own). */
export function parseSettings(text: string): ParsedSettings {
  const { root, comment } = top(text);
  expect(nameOf(root)).toBe('settings');
  const parts = children(root);
  const settings = children(element(parts, 'phone-settings')!).map((n) => ({ name: nameOf(n), ...n[':@'], value: textOf(n) }) as ParsedSetting);
  const fw = element(parts, 'firmware-settings');
  const keys = children(element(parts, 'functionKeys')!).map((n) => {
    expect(nameOf(n)).toBe('fkey');
    return { ...n[':@'], value: textOf(n) } as ParsedKey;
  });
  expect(element(parts, 'tbook'), 'the directory is in tbook-<site>.xml, not in each phone\'s settings').toBeUndefined();
  return { comment, settings, ...(fw && { firmware: textOf(children(fw)[0]!) }), keys };
}

/** `tbook-<site>.xml`: a site's directory. */
export function parsePhonebook(text: string): ParsedPhonebook {
  const { root, comment } = top(text);
  expect(nameOf(root)).toBe('tbook');
  return {
    comment,
    attrs: root[':@'] ?? {},
    entries: children(root).map((item) => ({ attrs: item[':@'] ?? {}, name: textOf(element(children(item), 'name')!), number: textOf(element(children(item), 'number')!) })),
  };
}

/** `*.htm`: the URLs of a setting-files list. */
export function parseSettingFiles(text: string): { comment: string; urls: string[] } {
  const { root, comment } = top(text);
  expect(nameOf(root)).toBe('setting-files');
  return { comment, urls: children(root).map((n) => n[':@']!.url!) };
}

/** The value of one setting (identity `idx` for per-identity settings). */
export function setting(parsed: ParsedSettings, name: string, idx?: number): ParsedSetting | undefined {
  return parsed.settings.find((s) => s.name === name && (idx === undefined ? s.idx === undefined : s.idx === String(idx)));
}

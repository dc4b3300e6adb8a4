import { isDeepStrictEqual } from 'node:util';
import picomatch from 'picomatch';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import { parseFile } from '../model/load/parse-file.js';

/** Whether the project's include globs already read a file (matched exactly as the loader matches them). */
export function isIncluded(file: string, include: readonly string[]): boolean {
  return include.some((pattern) => picomatch(pattern, { dot: false })(file));
}

/**
 * callplan.yaml with one more `include` entry, changed in that one place only: a line after the
 * last item of a block list, an item before the `]` of a flow list, or a new `include:` key at
 * the end. Every other byte, comment and blank line stays. The result is read back and must
 * hold exactly the old data plus the new entry; anything unusual (an include written some other
 * way) gives undefined, and the caller tells the user what to add instead of guessing.
 */
export function addInclude(text: string, pattern: string): string | undefined {
  const before = parseFile(text, 'callplan.yaml');
  if (!before.ok || !isPlainObject(before.data ?? {})) return undefined;
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const root = doc.contents;
  const item = /^[\w./-][\w./*-]*$/.test(pattern) ? pattern : JSON.stringify(pattern);
  let edited: string | undefined;
  if (root === null || (isMap(root) && !root.flow && !root.items.some((p) => isScalar(p.key) && p.key.value === 'include'))) {
    const body = text === '' || text.endsWith('\n') ? text : `${text}\n`;
    edited = `${body}${body === '' ? '' : '\n'}include:\n  - ${item}\n`;
  } else if (isMap(root)) {
    const value = root.items.find((p) => isScalar(p.key) && p.key.value === 'include')?.value;
    if (isSeq(value) && value.flow && value.range) {
      const close = text.lastIndexOf(']', value.range[1]);
      if (close > value.range[0]) edited = `${text.slice(0, close).replace(/\s*$/, '')}${value.items.length > 0 ? ', ' : ''}${item}${text.slice(close)}`;
    } else if (isSeq(value) && !value.flow) {
      const last = value.items.at(-1);
      const range = (last as { range?: [number, number, number] } | undefined)?.range;
      if (range) {
        const lineStart = text.lastIndexOf('\n', range[0] - 1) + 1;
        const dash = /^[ ]*-[ ]+/.exec(text.slice(lineStart, range[0]));
        const lineEnd = text.indexOf('\n', range[1]);
        const at = lineEnd < 0 ? text.length : lineEnd;
        if (dash) edited = `${text.slice(0, at)}\n${dash[0]}${item}${text.slice(at)}`;
      }
    }
  }
  if (edited === undefined) return undefined;
  const after = parseFile(edited, 'callplan.yaml');
  const old = (before.data ?? {}) as Record<string, unknown>;
  const expected = { ...old, include: [...(Array.isArray(old.include) ? old.include : []), pattern] };
  return after.ok && isDeepStrictEqual(normalizeOrder(after.data), normalizeOrder(expected)) ? edited : undefined;
}

function isPlainObject(v: unknown): boolean {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Key order does not matter for the comparison (a new include key goes at the end). */
function normalizeOrder(data: unknown): unknown {
  if (!isPlainObject(data)) return data;
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)));
}

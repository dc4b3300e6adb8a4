import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import type { DocPath } from './path.js';
import { SourcePositions } from './positions.js';
import { loadFast, YamlFastError } from './yaml-fast.js';

export interface SyntaxProblem {
  message: string;
  hint: string;
  line: number;
  column: number;
}

export type ParsedFile = { ok: true; data: unknown } | { ok: false; problems: SyntaxProblem[] };

/** Deeper than any real callplan file (about 8 levels); the bound keeps hostile input from exhausting the stack. */
export const MAX_DEPTH = 64;
/** Aliases may reuse a block, not blow it up (a "billion laughs" file is a few hundred bytes). */
const MAX_EXPANSION_FACTOR = 20;
const MIN_EXPANSION_LIMIT = 100_000;

/**
 * Reads one YAML file as YAML 1.2 without silent coercion. Valid files take the fast path;
 * on any failure the `yaml` library re-reads the text to report every syntax error with its
 * exact position (js-yaml stops at the first).
 */
export function parseFile(text: string, filename: string): ParsedFile {
  let data: unknown;
  try {
    data = loadFast(text, filename);
  } catch (e) {
    if (e instanceof RangeError) return fail(tooDeep(1, 1));
    if (!(e instanceof YamlFastError)) throw e;
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    if (/maxDepth/.test((e as { reason?: string }).reason ?? '')) return fail(tooDeep((mark?.line ?? 0) + 1, (mark?.column ?? 0) + 1));
    const problems = preciseProblems(text);
    if (problems.length > 0) return fail(...problems);
    return fail({
      message: `YAML syntax error: ${(e as { reason?: string }).reason ?? 'unreadable YAML'}`,
      hint: 'Check the indentation and quoting around this place.',
      line: (mark?.line ?? 0) + 1,
      column: (mark?.column ?? 0) + 1,
    });
  }
  const shape = checkShape(data, text.length);
  if (shape === 'too-deep') {
    const pos = new SourcePositions(text).locate(deepestPath(data));
    return fail(tooDeep(pos.line, pos.column));
  }
  if (shape === 'aliases') {
    const precise = preciseProblems(text);
    return fail(...(precise.length > 0 ? precise : [ALIAS_PROBLEM]));
  }
  return { ok: true, data };
}

function fail(...problems: SyntaxProblem[]): ParsedFile {
  return { ok: false, problems };
}

function tooDeep(line: number, column: number): SyntaxProblem {
  return {
    message: `nested deeper than ${MAX_DEPTH} levels`,
    hint: 'A callplan file needs only a few levels; check for runaway indentation or brackets.',
    line,
    column,
  };
}

const ALIAS_PROBLEM: SyntaxProblem = {
  message: 'YAML aliases expand to an excessive amount of data',
  hint: 'Use anchors and aliases only to reuse small blocks, or write the data out.',
  line: 1,
  column: 1,
};

/** Depth and alias expansion, measured without recursion so hostile input cannot overflow the stack. */
function checkShape(data: unknown, textLength: number): 'too-deep' | 'aliases' | undefined {
  const limit = Math.max(MIN_EXPANSION_LIMIT, MAX_EXPANSION_FACTOR * textLength);
  let visited = 0;
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_DEPTH) return 'too-deep';
    if (++visited > limit) return 'aliases';
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return undefined;
}

/** The path to the first place nesting passes MAX_DEPTH; walked again only when a file is too deep. */
function deepestPath(data: unknown): DocPath {
  const stack: Array<[unknown, DocPath]> = [[data, []]];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (path.length > MAX_DEPTH) return path;
    for (const [key, child] of Object.entries(node)) stack.push([child, [...path, Array.isArray(node) ? Number(key) : key]]);
  }
  return [];
}

/** Hints by what went wrong; the `yaml` library's codes are too coarse (MISSING_CHAR covers quotes and colons). */
const HINTS: [RegExp, string][] = [
  [/Missing closing "?'?quote/i, 'This quoted text is never closed: add the closing quote.'],
  [/end with a \]/, 'A [ list is not closed with ], or a line inside it is not indented more than its key.'],
  [/end with a \}/, 'A { mapping is not closed with }, or a line inside it is not indented more than its key.'],
  [/Implicit map keys need to be followed by map values/, 'A key needs a colon and a space after it ("key: value"); or this line continues text that needs quotes.'],
  [/Map keys must be unique/, 'Each key may appear once in a mapping: remove or rename one of them.'],
  [/Tabs are not allowed/, 'YAML does not allow tabs for indentation: indent with spaces.'],
  [/excessive alias count|resource exhaustion/i, 'Use anchors and aliases only to reuse small blocks, or write the data out.'],
  [/multiple documents/, 'Keep one document per file: remove the "---" line, or move the second document to its own file and include it.'],
  [/indent/i, 'Align this line with its siblings, using spaces only.'],
];
const DEFAULT_HINT = 'Check the indentation and quoting around this place.';

function hintFor(message: string): string {
  return HINTS.find(([re]) => re.test(message))?.[1] ?? DEFAULT_HINT;
}

function preciseProblems(text: string): SyntaxProblem[] {
  try {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    if (doc.errors.length === 0) {
      // Aliases are only counted when converting to JS.
      doc.toJS({ maxAliasCount: 100 });
      return [];
    }
    return withoutCascades(doc.errors, text, lines).map((err) => {
      const offset = err.code === 'MISSING_CHAR' && /quote/.test(err.message) ? (openingQuote(text) ?? err.pos[0]) : err.pos[0];
      const pos = lines.linePos(offset);
      return { message: `YAML syntax error: ${describeError(err)}`, hint: hintFor(err.message), line: pos.line, column: pos.col };
    });
  } catch (e) {
    if (e instanceof RangeError) return [tooDeep(1, 1)];
    const message = e instanceof Error ? e.message : String(e);
    return [{ message: `YAML error: ${firstLine(message)}`, hint: hintFor(message), line: 1, column: 1 }];
  }
}

function describeError(err: YAMLError): string {
  if (err.code === 'MULTIPLE_DOCS') return 'the file holds more than one YAML document (a "---" line starts another)';
  return firstLine(err.message);
}

/**
 * After a structural error the parser's recovery produces follow-on complaints (a bogus duplicate
 * key, errors on the lines that follow). Once the structure is broken, keep only tabs and errors
 * that start a new top-level section, where the parser has surely recovered.
 */
function withoutCascades(errors: readonly YAMLError[], text: string, lines: LineCounter): YAMLError[] {
  const kept: YAMLError[] = [];
  let brokenAtLine: number | undefined;
  for (const err of errors) {
    const { line, col } = lines.linePos(err.pos[0]);
    // A tab is found by the scanner, not by recovery: it is always real.
    if (brokenAtLine !== undefined && err.code !== 'TAB_AS_INDENT') {
      const startsSection = col === 1 && line > brokenAtLine && !/^\s/.test(text.slice(lines.lineStarts[line - 1]));
      if (!startsSection) continue;
    }
    if (err.code !== 'DUPLICATE_KEY') brokenAtLine = line;
    kept.push(err);
  }
  return kept;
}

/**
 * Where a never-closed double quote opened: the parser only notices at the end of the file.
 * Scans for the last unescaped quote left open, skipping comments.
 */
function openingQuote(text: string): number | undefined {
  let open: number | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (open === undefined && c === '#' && (i === 0 || /\s/.test(text[i - 1]!))) {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
    } else if (c === '\\' && open !== undefined) {
      i++;
    } else if (c === '"') {
      open = open === undefined ? i : undefined;
    }
  }
  return open;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

import { LineCounter, parseDocument } from 'yaml';
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
    const problems = preciseProblems(text);
    if (problems.length > 0) return fail(...problems);
    const mark = (e as { mark?: { line: number; column: number } }).mark;
    return fail({
      message: `YAML syntax error: ${(e as { reason?: string }).reason ?? 'unreadable YAML'}`,
      hint: 'Check the indentation and quoting around this place.',
      line: (mark?.line ?? 0) + 1,
      column: (mark?.column ?? 0) + 1,
    });
  }
  const shape = checkShape(data, text.length);
  if (shape) {
    const precise = preciseProblems(text);
    return fail(...(precise.length > 0 ? precise : [shape]));
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

/** Depth and alias expansion, measured without recursion so hostile input cannot overflow the stack. */
function checkShape(data: unknown, textLength: number): SyntaxProblem | undefined {
  const limit = Math.max(MIN_EXPANSION_LIMIT, MAX_EXPANSION_FACTOR * textLength);
  let visited = 0;
  const stack: Array<[unknown, number]> = [[data, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_DEPTH) return tooDeep(1, 1);
    if (++visited > limit) {
      return {
        message: 'YAML aliases expand to an excessive amount of data',
        hint: 'Use anchors and aliases only to reuse small blocks, or write the data out.',
        line: 1,
        column: 1,
      };
    }
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
  return undefined;
}

const HINTS: Record<string, string> = {
  DUPLICATE_KEY: 'Each key may appear once in a mapping: remove or rename one of them.',
  TAB_AS_INDENT: 'YAML does not allow tabs for indentation: indent with spaces.',
  BAD_INDENT: 'Align this line with its siblings (spaces only).',
  MISSING_CHAR: 'A quote or bracket is not closed.',
  BLOCK_AS_IMPLICIT_KEY: 'A key cannot span lines; check for a missing colon or quote.',
  MULTILINE_IMPLICIT_KEY: 'A key cannot span lines; check for a missing colon or quote.',
  RESOURCE_EXHAUSTION: 'Use anchors and aliases only to reuse small blocks, or write the data out.',
  UNEXPECTED_TOKEN: 'Check the indentation and quoting around this place.',
};

function preciseProblems(text: string): SyntaxProblem[] {
  try {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
    const problems = doc.errors.map((err) => {
      const pos = lines.linePos(err.pos[0]);
      return {
        message: `YAML syntax error: ${firstLine(err.message)}`,
        hint: HINTS[err.code] ?? 'Check the indentation and quoting around this place.',
        line: pos.line,
        column: pos.col,
      };
    });
    if (problems.length === 0 && doc.errors.length === 0) {
      // Aliases are only counted when converting to JS.
      doc.toJS({ maxAliasCount: 100 });
    }
    return problems;
  } catch (e) {
    if (e instanceof RangeError) return [tooDeep(1, 1)];
    const message = e instanceof Error ? e.message : String(e);
    return [{ message: `YAML error: ${firstLine(message)}`, hint: HINTS.RESOURCE_EXHAUSTION!, line: 1, column: 1 }];
  }
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

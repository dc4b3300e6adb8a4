import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/model/load/parse-file.js';
import { loadFast } from '../../../src/model/load/yaml-fast.js';

/**
 * The loader reads with js-yaml (fast) and positions errors with `yaml` (precise). Both must
 * read every file the same way, or a diagnostic could describe data the loader never saw.
 */
const ROOTS = ['examples', 'templates', 'test/fixtures'];

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(name) ? [p] : [];
  });
}

function read(reader: () => unknown): { ok: true; data: unknown } | { ok: false } {
  try {
    return { ok: true, data: reader() };
  } catch {
    return { ok: false };
  }
}

const files = ROOTS.filter((root) => existsSync(root)).flatMap(yamlFiles).sort();

describe('js-yaml (fast path) and yaml (positions) read alike', () => {
  it('has files to compare', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files)('%s', (file) => {
    const text = readFileSync(file, 'utf8');
    const fast = read(() => loadFast(text, file));
    const precise = read(() => parse(text, { maxAliasCount: 100 }));
    if (fast.ok && precise.ok) expect(fast.data).toEqual(precise.data);
    // Where the readers disagree (an alias bomb, hostile nesting), the loader's limits refuse the file.
    else if (fast.ok !== precise.ok) expect(parseFile(text, file).ok).toBe(false);
  });

  it.each([
    ['binary-looking ints stay strings', 'a: 0b101\n'],
    ['octal and hex', 'a: 0o17\nb: 0x1F\n'],
    ['signed and leading zeros', 'a: +12\nb: 0100\nc: -0\n'],
    ['floats and specials', 'a: 1e3\nb: .5\nc: .inf\nd: .nan\n'],
    ['underscores are not digits in 1.2', 'a: 1_000\n'],
    ['no timestamps', 'a: 2026-12-25\nb: 2026-12-25T10:00:00Z\n'],
    ['null forms', 'a: ~\nb: null\nc:\n'],
  ])('%s', (_name, text) => {
    expect(loadFast(text, 'x')).toEqual(parse(text));
  });
});

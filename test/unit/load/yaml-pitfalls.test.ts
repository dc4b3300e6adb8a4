import { describe, expect, it } from 'vitest';
import { parseFile } from '../../../src/model/load/parse-file.js';
import { BASE, check } from '../../helpers/project.js';

describe('YAML 1.2 without silent coercion', () => {
  it.each([
    ['an unquoted DID loses its +', 'did: "+48221234567"', 'did: +48221234567', 'did', '+48221234567'],
    ['an extension with a leading zero loses it', 'extension: "1002"', 'extension: 0100', 'extension', '0100'],
    ['a long number loses digits past 2^53', 'did: "+48221234567"', 'did: "+48221234567"\n    trunk: carrier\n  - did: 12345678901234567890', 'did', '12345678901234567890'],
  ])('%s: an error at its position that says to quote it', (_name, from, to, key, raw) => {
    const result = check({ 'callplan.yaml': BASE.replace(from, to).replace('{ extension: "1002", name: Piotr', '{ extension: 0100, name: Piotr') });
    const d = result.diagnostics.find((x) => x.message.startsWith(`${key} must be a string`) && x.message.includes(raw));
    expect(d).toBeDefined();
    expect(d!.hint).toContain(`"${raw}"`);
    expect(d!.line).toBeGreaterThan(1);
  });

  it('reads 08:00 as a string (YAML 1.1 would read a sexagesimal number)', () => {
    expect(parseFile('t: 08:00\n', 'x')).toEqual({ ok: true, data: { t: '08:00' } });
  });

  it('reads yes/no/on/off as strings, as YAML 1.2 does', () => {
    expect(parseFile('a: yes\nb: off\n', 'x')).toEqual({ ok: true, data: { a: 'yes', b: 'off' } });
  });

  it('reports every duplicate key with its position instead of keeping the last value', () => {
    const parsed = parseFile('a: 1\nb: 2\na: 3\nc: 4\nb: 5\n', 'x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => [p.line, p.column, p.message])).toEqual([[3, 1, 'YAML syntax error: Map keys must be unique'], [5, 1, 'YAML syntax error: Map keys must be unique']]);
  });

  it('reports a tab once, without the follow-on errors the parser\'s recovery makes up', () => {
    const parsed = parseFile('a:\n\tb: 1\n  c: 2\n  d: 3\n', 'x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toMatchObject([{ line: 2, column: 1, hint: expect.stringMatching(/spaces/) }]);
  });

  it('reports a never-closed quote where it opens, not at the end of the file', () => {
    const parsed = parseFile('a: "x"\nb: "it says # not a comment\nc: 1\nd: 2\n', 'x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems).toMatchObject([{ line: 2, column: 4, hint: expect.stringMatching(/never closed/) }]);
  });

  it('refuses an alias bomb without expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const parsed = parseFile(bomb.join('\n') + '\n', 'x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.message).toMatch(/alias|excessive/i);
  });

  it('refuses absurdly deep nesting without overflowing the stack', () => {
    const deep = 'a: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n';
    const parsed = parseFile(deep, 'x');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.message).toMatch(/nested deeper|syntax/);
  });

  it('treats an empty or comment-only file as an empty section list', () => {
    expect(check({ 'callplan.yaml': BASE + 'include: [x.yaml]\n', 'x.yaml': '# nothing yet\n' }).diagnostics).toEqual([]);
  });
});

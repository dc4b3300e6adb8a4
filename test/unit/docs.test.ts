import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderRulesReference } from '../../src/docs/rules-reference.js';
import { ANALYSES } from '../../src/analysis/index.js';
import { RULES } from '../../src/model/rules/index.js';

const DOC = new URL('../../docs/rules.md', import.meta.url);

describe('generated documentation', () => {
  it('docs/rules.md lists exactly the rules the code has (UPDATE_DOCS=1 to refresh)', () => {
    const expected = renderRulesReference(RULES, ANALYSES);
    if (process.env.UPDATE_DOCS) writeFileSync(DOC, expected);
    expect(readFileSync(DOC, 'utf8')).toBe(expected);
  });

  it('keeps the rule index sorted by id, with unique kebab-case ids', () => {
    const ids = RULES.map((r) => r.id);
    const analyses = ANALYSES.map((a) => a.id);
    expect(analyses).toEqual([...analyses].sort());
    expect(ids.filter((id) => analyses.includes(id))).toEqual([]);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});

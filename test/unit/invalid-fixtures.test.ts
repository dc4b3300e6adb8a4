import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/model/rules/index.js';
import { checkProject } from '../../src/project/check.js';
import { FIXTURES_DIR, invalidFixtures, key, type InvalidFixture } from '../helpers/invalid-fixtures.js';

/**
 * The corpus of invalid inputs (see test/helpers/invalid-fixtures.ts for the format): each
 * fixture, read from the real file system, yields exactly the diagnostics its header names.
 * File names in diagnostics are relative to test/fixtures/invalid (the working directory).
 */
const fixtures = invalidFixtures();
const working = fixtures.filter((f) => f.knownIssues.length === 0);
const known = fixtures.filter((f) => f.knownIssues.length > 0);

function checkFixture(f: InvalidFixture): void {
  // No environment: ${env:...} stays unresolved, so only secrets files (weak-secret fixtures) give values.
  const { diagnostics, model } = checkProject(f.target, { cwd: FIXTURES_DIR, env: {} });
  // Compared as sorted lists, so a diagnostic reported twice counts as an extra one.
  expect(diagnostics.map(key).sort(), 'rule file:line:col of every diagnostic').toEqual(f.expected.map(key).sort());
  for (const d of diagnostics) {
    expect(d.message.trim(), `${key(d)} has a message`).not.toBe('');
    expect(d.hint?.trim() ?? '', `${key(d)} (${d.message}) has a hint`).not.toBe('');
  }
  expect(diagnostics.some((d) => d.severity === 'error'), 'at least one error').toBe(true);
  expect(model).toBeUndefined();
}

describe('invalid fixtures', () => {
  it('has at least 60 fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(60);
  });

  it('covers every semantic rule in at least two fixtures', () => {
    const count = (rule: string) => fixtures.filter((f) => f.expected.some((e) => e.rule === rule)).length;
    const uncovered = RULES.map((r) => r.id).filter((id) => count(id) < 2);
    expect(uncovered).toEqual([]);
  });

  it.each(working)('$name', (f) => checkFixture(f));

  // Each names what the tool gets wrong in its "# known-issue:" line; remove the line once fixed.
  if (known.length > 0) it.fails.each(known)('$name (known issue)', (f) => checkFixture(f));
});

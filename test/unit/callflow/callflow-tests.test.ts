import { describe, expect, it } from 'vitest';
import { loadCallflowTests } from '../../../src/callflow/load-tests.js';
import { failureDiagnostics, runTest, type TestResult } from '../../../src/callflow/tests.js';
import { BASE, check, memFs } from '../../helpers/project.js';

const PROJECT = BASE.replace(/(name: \w+, site: hq, group: team) \}/g, '$1, devices: [{ type: softphone, name: desk }] }').replace('name: Anna, site: hq,', 'name: Anna, site: hq, outbound: office,');

const TESTS = `tests:
  - name: menu 1 reaches support
    call: { to: "+48221234567", at: "2026-11-25T10:00+01:00", digits: "1" }
    expect: { reaches: queue:support, ends: answered }
  - name: wrongly expects the night to reach the queue
    call: { to: "+48221234567", at: "2026-11-25T22:00+01:00" }
    expect: { reaches: queue:support, ends: "user:1001" }
  - name: office calls go out through the carrier
    call: { from: "1001", to: "0221234567", at: "2026-11-25T10:00+01:00" }
    expect: { trunks: [carrier] }
`;

function run(files: Record<string, string>) {
  const fs = memFs(files);
  const model = check(files).model!;
  const loaded = loadCallflowTests(fs, '/p', '/p');
  const results: TestResult[] = loaded.tests.map(({ test, file, line, column }) => ({ name: test.name, file, line, column, ...runTest(model, test) }));
  return { loaded, results, failures: failureDiagnostics(results) };
}

describe('callplan test', () => {
  it('passes what the model does and reports what it does not, at the failing test, expected against actual', () => {
    const { results, failures } = run({ 'callplan.yaml': PROJECT, 'tests/calls.yaml': TESTS });
    expect(results.map((r) => r.failures.length === 0)).toEqual([true, false, true]);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ rule: 'callflow-test', file: 'tests/calls.yaml', line: 5, column: 5 });
    expect(failures[0]!.message).toBe(
      'wrongly expects the night to reach the queue: expected to reach queue:support; it passed nowhere; expected to end user:1001; it ends with a hang-up (hangup)',
    );
    expect(failures[0]!.hint).toMatch(/site hq: closed at 2026-11-25 wed 22:00 Europe\/Warsaw/);
  });

  it('checks test files against their schema, with positions', () => {
    const { loaded } = run({ 'callplan.yaml': PROJECT, 'tests/bad.yaml': 'tests:\n  - name: x\n    call: { to: +48221234567, at: "2026-11-25T10:00+01:00" }\n    expect: { ends: somewhere }\n' });
    expect(loaded.tests).toEqual([]);
    expect(loaded.diagnostics.map((d) => [d.rule, d.line, d.column, d.message])).toEqual([
      ['schema', 3, 17, 'to must be a string, but YAML reads +48221234567 as a number (48221234567)'],
      ['schema', 4, 21, '"somewhere" is not a valid ends'],
    ]);
  });

  it('never reads tests/ as project files, even when an include glob would match them', () => {
    const result = check({ 'callplan.yaml': PROJECT + 'include: ["**/*.yaml"]\n', 'tests/calls.yaml': TESTS, 'more/x.yaml': 'users: []\n' });
    expect(result.diagnostics).toEqual([]);
  });
});

describe("the examples' call-flow tests", () => {
  const REPO = new URL('../../../', import.meta.url).pathname;
  it.each(['debt-collection-pl', 'payment-center-by', 'sales-ru-follow-the-sun'])('%s: every test passes, and there are at least five', async (name) => {
    const { checkProject } = await import('../../../src/project/check.js');
    const { realFs } = await import('../../../src/model/load/project-fs.js');
    const dir = `${REPO}examples/${name}`;
    const model = checkProject(dir, { cwd: REPO }).model!;
    const loaded = loadCallflowTests(realFs, dir, REPO);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.tests.length).toBeGreaterThanOrEqual(5);
    const failing = loaded.tests.map(({ test }) => ({ name: test.name, failures: runTest(model, test).failures })).filter((r) => r.failures.length > 0);
    expect(failing).toEqual([]);
  });
});

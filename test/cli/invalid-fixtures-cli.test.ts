import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, STACK } from '../helpers/cli.js';
import { FIXTURES_DIR, invalidFixtures, key, type InvalidFixture } from '../helpers/invalid-fixtures.js';

/**
 * `callplan validate` (the built binary; `npm test` builds dist first) on every invalid fixture:
 * exit 1, each expected diagnostic as a `file:line:col: severity: message [rule]` line followed
 * by its hint, nothing else, and no stack trace. Node starts in ~0.3 s, so the fixtures run concurrently
 * (vitest's maxConcurrency, 5 by default) with async child processes instead of one by one.
 */
const BIN = path.join(REPO, 'bin/run.js');
// No secrets from the developer's shell: ${env:...} stays unresolved, as in the unit test.
const ENV = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LANG: 'C.UTF-8' };
const DIAGNOSTIC = /^(.+):([0-9]+):([0-9]+): (error|warning): .+ \[([a-z0-9-]+)\]$/;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function validate(target: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'validate', target], { cwd: FIXTURES_DIR, env: ENV, timeout: 20_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function checkFixture(f: InvalidFixture): Promise<void> {
  const r = await validate(f.target);
  const lines = r.stdout.split('\n');
  const shown = lines.flatMap((line, i) => {
    const m = DIAGNOSTIC.exec(line);
    if (!m) return [];
    // Every diagnostic is followed by its hint.
    expect(lines[i + 1], `hint after ${line}`).toMatch(/^ {4}hint: \S/);
    return [key({ rule: m[5]!, file: m[1]!, line: Number(m[2]), column: Number(m[3]) })];
  });
  expect(r.stderr, 'stderr').toBe('');
  expect(r.stdout, 'no stack trace').not.toMatch(STACK);
  expect(r.stdout, 'no stack trace').not.toMatch(/^ {4}at /m);
  expect(shown.sort(), 'file:line:col [rule] lines on stdout').toEqual(f.expected.map(key).sort());
  expect(r.code, 'exit code').toBe(1);
}

const fixtures = invalidFixtures();
const working = fixtures.filter((f) => f.knownIssues.length === 0);
const known = fixtures.filter((f) => f.knownIssues.length > 0);

describe('callplan validate on the invalid fixtures', () => {
  it.concurrent.each(working)('$name', (f) => checkFixture(f));

  // See the fixture's "# known-issue:" line; remove it once the tool is fixed.
  if (known.length > 0) it.concurrent.fails.each(known)('$name (known issue)', (f) => checkFixture(f));
});

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';

/**
 * The corpus of invalid projects (test/fixtures/invalid). Each fixture is one project with one
 * realistic mistake (a few hold several, to prove every problem is reported in one run):
 *
 *   NNN-short-name.yaml        a whole project in one file
 *   NNN-short-name/            a directory with callplan.yaml and the files it includes
 *
 * The comment lines at the very top of the root file say what validate must report, one line
 * per diagnostic (positions count these lines too):
 *
 *   # expect: RULE-ID LINE:COL                        in the root file
 *   # expect: RULE-ID path/in/fixture.yaml:LINE:COL   in another file of a directory fixture
 *
 * A fixture the tool does not handle correctly yet keeps the correct expectation and says what
 * is wrong in a `# known-issue: ...` line at the END of its root file (so deleting it shifts no
 * position). Its test is expected to fail (it.fails) until the tool is fixed; then the test
 * fails itself, and the line is to be deleted.
 */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/invalid/', import.meta.url));

export interface Expected {
  rule: string;
  /** Relative to FIXTURES_DIR, with forward slashes: `012-unquoted-did.yaml`, `086-x/contact-center/sales.yaml`. */
  file: string;
  line: number;
  column: number;
}

export interface InvalidFixture {
  name: string;
  /** What to pass to `checkProject` / `callplan validate`, relative to FIXTURES_DIR. */
  target: string;
  expected: Expected[];
  knownIssues: string[];
}

const NAME = /^[0-9]{3}-[a-z0-9]+(-[a-z0-9]+)*(\.yaml)?$/;
const EXPECT = /^# expect: ([a-z0-9]+(?:-[a-z0-9]+)*) (?:([^\s:]+\.ya?ml):)?([0-9]+):([0-9]+)$/;
const KNOWN = /^# known-issue: (.+)$/;

/** Every fixture, sorted by name. Throws on a fixture whose header cannot be read. */
export function invalidFixtures(): InvalidFixture[] {
  return readdirSync(FIXTURES_DIR)
    .sort()
    .map((name) => {
      if (!NAME.test(name)) throw new Error(`${name}: fixture names are NNN-short-name.yaml or NNN-short-name/`);
      const isDir = statSync(path.join(FIXTURES_DIR, name)).isDirectory();
      if (!isDir && !name.endsWith('.yaml')) throw new Error(`${name}: a single-file fixture ends in .yaml`);
      const rootFile = isDir ? `${name}/callplan.yaml` : name;
      const expected: Expected[] = [];
      const knownIssues: string[] = [];
      const lines = readFileSync(path.join(FIXTURES_DIR, rootFile), 'utf8').split('\n');
      const header = lines.findIndex((line) => !line.startsWith('#'));
      lines.forEach((line, i) => {
        if (line.startsWith('# expect:')) {
          const m = EXPECT.exec(line.trimEnd());
          if (!m) throw new Error(`${rootFile}: cannot read "${line}" (write # expect: RULE-ID [path/in/fixture.yaml:]LINE:COL)`);
          if (header >= 0 && i > header) throw new Error(`${rootFile}:${i + 1}: "# expect:" lines belong at the very top`);
          if (m[2] !== undefined && !isDir) throw new Error(`${rootFile}: a single-file fixture has no other files ("${line}")`);
          expected.push({ rule: m[1]!, file: m[2] === undefined ? rootFile : `${name}/${m[2]}`, line: Number(m[3]), column: Number(m[4]) });
        }
        const known = KNOWN.exec(line.trimEnd());
        if (known) knownIssues.push(known[1]!);
      });
      if (expected.length === 0) throw new Error(`${rootFile}: no "# expect:" line at the top`);
      return { name, target: name, expected, knownIssues };
    });
}

/** One diagnostic as compared: `rule file:line:col`. */
export function key(d: Pick<Diagnostic, 'rule' | 'file' | 'line' | 'column'>): string {
  return `${d.rule} ${d.file.split(path.sep).join('/')}:${d.line}:${d.column}`;
}

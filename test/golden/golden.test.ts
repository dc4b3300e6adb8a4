import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFiles } from '../../src/project/build.js';
import { checkProject } from '../../src/project/check.js';
import type { SecretValues } from '../../src/secrets/refs.js';

/**
 * Every file the build writes for every example, compared with test/golden/<example>/. On a
 * mismatch the actual file is written beside the expected one as NAME.ACTUAL (gitignored);
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites the expected files.
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = path.join(REPO, 'test/golden');
/** Fixed test secrets, strong and free of account names: golden files must not depend on anyone's environment. */
const standIn = (name: string) => `Gx7!${createHash('sha256').update(name).digest('base64url').slice(0, 32)}`;
const ENV: Record<string, string> = new Proxy({} as Record<string, string>, {
  get: (_t, name) => (typeof name === 'string' ? standIn(name) : undefined),
});

/** Every secret, from the environment or a secrets file, gets a fixed stand-in: digits for PINs. */
const SECRETS: SecretValues = {
  get: (ref) => (/pin/i.test(ref.name) ? String(7_300_000 + ref.name.length * 1_013) : standIn(ref.name)),
};

const examples = readdirSync(path.join(REPO, 'examples')).sort();

describe.each(examples)('golden build of examples/%s', (example) => {
  const result = checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO });
  const dir = path.join(GOLDEN, example);

  it('validates', () => {
    expect(result.diagnostics).toEqual([]);
  });

  const files = result.model ? buildFiles(result.model, SECRETS) : new Map<string, string>();
  it.each([...files.keys()])('%s', (file) => {
    const actual = files.get(file)!;
    const expectedPath = path.join(dir, file);
    if (process.env.UPDATE_GOLDEN) {
      mkdirSync(path.dirname(expectedPath), { recursive: true });
      writeFileSync(expectedPath, actual);
    }
    const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : undefined;
    if (expected !== actual) writeFileSync(`${expectedPath}.ACTUAL`, actual);
    else rmSync(`${expectedPath}.ACTUAL`, { force: true });
    expect(actual, `${file} differs from the golden file; see ${expectedPath}.ACTUAL, or UPDATE_GOLDEN=1 to accept`).toBe(expected);
  });

  it('builds byte-identical output twice', () => {
    const again = buildFiles(checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO }).model!, SECRETS);
    expect([...again]).toEqual([...files]);
  });
});

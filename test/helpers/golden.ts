import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/**
 * Compares generated text with a golden file. UPDATE_GOLDEN=1 rewrites the golden file; on a
 * mismatch the actual text is written beside it as NAME.ACTUAL (gitignored) for a diff.
 */
export function expectGolden(expectedPath: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN) {
    mkdirSync(path.dirname(expectedPath), { recursive: true });
    writeFileSync(expectedPath, actual);
  }
  const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : undefined;
  if (expected !== actual) writeFileSync(`${expectedPath}.ACTUAL`, actual);
  else rmSync(`${expectedPath}.ACTUAL`, { force: true });
  expect(actual, `${expectedPath} differs; see ${expectedPath}.ACTUAL, or UPDATE_GOLDEN=1 to accept`).toBe(expected);
}

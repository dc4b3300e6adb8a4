import * as nodeFs from 'node:fs';
import path from 'node:path';
import type { ImportResult } from './import.js';

/** What writing needs of a file system: node:fs, or memfs in tests. */
export type WriteFs = Pick<typeof nodeFs, 'mkdirSync' | 'writeFileSync' | 'renameSync' | 'rmSync'>;

/**
 * Writes the planned files and the edited callplan.yaml. Each is written beside its target
 * first and renamed over it only once every one is written, so a failure (disk full, a
 * permission) leaves the project as it was; a rename replaces a file whole, so no file is ever
 * seen half-written.
 */
export function applyImport(result: Pick<ImportResult, 'files' | 'include'>, fs: WriteFs = nodeFs): string[] {
  const writes = result.files.map((f) => ({ target: f.absPath, content: f.content }));
  if (result.include.status === 'added') writes.push({ target: result.include.absPath, content: result.include.content });
  const staged: { tmp: string; target: string }[] = [];
  try {
    for (const { target, content } of writes) {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const tmp = path.join(path.dirname(target), `.${path.basename(target)}.callplan-import-${process.pid}`);
      staged.push({ tmp, target });
      fs.writeFileSync(tmp, content);
    }
  } catch (e) {
    for (const { tmp } of staged) fs.rmSync(tmp, { force: true });
    throw e;
  }
  for (const { tmp, target } of staged) fs.renameSync(tmp, target);
  return writes.map((w) => w.target);
}

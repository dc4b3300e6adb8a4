import * as nodeFs from 'node:fs';
import path from 'node:path';
import type { FileTree } from '../targets/target.js';

/** Marks a directory as callplan's, so a rebuild may replace it and nothing else is ever deleted. */
export const BUILD_MARKER = '.callplan-build';

export class OutputDirError extends Error {}

const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Writes a build next to the output directory, then swaps it in with renames: a failure at
 * any point leaves either the old build or the new one whole, never a mix. A build holds SIP,
 * manager and provisioning secrets, so only its owner may read it (folders 0700, files 0600),
 * whatever the umask.
 */
export function writeTree(outDir: string, files: FileTree, fs: typeof nodeFs = nodeFs): void {
  const abs = path.resolve(outDir);
  if (fs.existsSync(abs)) {
    const entries = fs.readdirSync(abs);
    if (entries.length > 0 && !entries.includes(BUILD_MARKER)) {
      throw new OutputDirError(`${outDir} exists and was not written by callplan build; choose an empty or new directory`);
    }
  }
  const staging = `${abs}.tmp-${process.pid}`;
  const previous = `${abs}.old-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  try {
    fs.mkdirSync(staging, { mode: PRIVATE_DIR });
    for (const [file, content] of files) {
      const target = path.join(staging, file);
      fs.mkdirSync(path.dirname(target), { recursive: true, mode: PRIVATE_DIR });
      fs.writeFileSync(target, content, { mode: PRIVATE_FILE });
    }
    fs.writeFileSync(path.join(staging, BUILD_MARKER), 'Written by callplan build. The whole directory is replaced on every build.\n', { mode: PRIVATE_FILE });
    if (fs.existsSync(abs)) fs.renameSync(abs, previous);
    fs.renameSync(staging, abs);
  } catch (e) {
    fs.rmSync(staging, { recursive: true, force: true });
    if (!fs.existsSync(abs) && fs.existsSync(previous)) fs.renameSync(previous, abs);
    throw e;
  }
  fs.rmSync(previous, { recursive: true, force: true });
}

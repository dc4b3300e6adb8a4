import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { ArchiveError } from './errors.js';

/** The lock beside the journal: one archive run per recordings folder at a time. */
export const LOCK_SUFFIX = '.lock';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * Takes the lock file (created exclusively, holding our pid). A lock left by a process that is
 * gone (a crash, a kill -9) is taken over; one held by a live process refuses the run.
 * Returns the release function.
 */
export function acquireLock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      const release = () => {
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
        } catch {
          // already gone
        }
        process.removeListener('exit', release);
      };
      process.on('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number(readFileSync(file, 'utf8').trim());
      } catch {
        // removed meanwhile: try again
      }
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new ArchiveError('local', `another archive run (pid ${pid}) is working on this folder (lock ${file})`, 'Wait for it to finish; the systemd timer never starts a second run while one is going.');
      }
      try {
        unlinkSync(file);
      } catch {
        // someone else took it over first: the next attempt sees theirs
      }
    }
  }
  throw new ArchiveError('local', `could not take the lock ${file}`, 'Another archive run may have started at the same moment; run again.');
}

import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { StateDatabase } from './database.js';

/** Another live daemon holds this state directory: two would dial the same contacts. */
export class StateInUseError extends Error {}

interface Owner {
  pid: number;
  host: string;
  boot: string;
  since: number;
}

function bootId(): string {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Makes this process the owner of the state (one daemon per state directory), unless another
 * process on this machine, since its last boot, still runs and owns it. An owner killed with
 * SIGKILL leaves its row behind; it is taken over because its process is gone. Returns the
 * release, which clears the row if it is still ours.
 */
export function claimState(db: StateDatabase, now: number, where: string): () => void {
  const me: Owner = { pid: process.pid, host: hostname(), boot: bootId(), since: now };
  db.transaction(() => {
    const row = db.prepare("SELECT value FROM meta WHERE key = 'owner'").get() as { value: string } | undefined;
    if (row) {
      const o = JSON.parse(row.value) as Owner;
      const sameRun = o.host === me.host && o.boot === me.boot;
      if (o.pid !== me.pid && (!sameRun ? o.host !== me.host : alive(o.pid))) {
        throw new StateInUseError(
          `the dialer state in ${where} is in use by process ${o.pid} on ${o.host} (since ${new Date(o.since).toISOString()}); stop that daemon first (two would dial the same contacts)`,
        );
      }
    }
    db.prepare("INSERT INTO meta (key, value) VALUES ('owner', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(JSON.stringify(me));
  }).immediate();
  return () => {
    if (!db.open) return;
    db.prepare("DELETE FROM meta WHERE key = 'owner' AND json_extract(value, '$.pid') = ? AND json_extract(value, '$.host') = ?").run(me.pid, me.host);
  };
}

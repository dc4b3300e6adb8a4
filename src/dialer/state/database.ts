import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

export type StateDatabase = Database.Database;

/** The database file inside a state directory. */
export const STATE_FILE = 'dialer.sqlite';

/** The daemon's state directory unless --state or CALLPLAN_DIALER_STATE says otherwise. */
export const DEFAULT_STATE_DIR = '/var/lib/callplan-dialer';

export function stateDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? env['CALLPLAN_DIALER_STATE'] ?? DEFAULT_STATE_DIR;
}

/** The database is newer than this callplan: it refuses to guess what a later schema means. */
export class SchemaTooNewError extends Error {}

/**
 * Opens (creating if needed) the dialer's database: a file in `dir`, or ':memory:' for tests.
 *
 * WAL: readers (`dialer status`, `dialer load` in another process) never block the daemon's
 * writes. synchronous=FULL: every commit is fsynced to the WAL before it returns, so an attempt
 * the runtime has handed to the daemon survives a power cut, not only a killed process (NORMAL
 * would keep the database consistent but could lose the last commits on power loss, and a lost
 * write-ahead attempt means a call nobody knows about). The fsync costs about a millisecond per
 * decision that dials, far below the pace at which calls are placed.
 */
export function openStateDatabase(location: string, options: { readonly?: boolean } = {}): StateDatabase {
  let file = location;
  if (location !== ':memory:') {
    if (!options.readonly) mkdirSync(location, { recursive: true });
    file = path.join(location, STATE_FILE);
  }
  const db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  db.pragma('busy_timeout = 5000');
  if (options.readonly) return db;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Applies the migrations not applied yet; returns the schema version reached. */
export function migrate(db: StateDatabase): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new SchemaTooNewError(`the dialer database has schema version ${current}, newer than this callplan knows (${MIGRATIONS.length}); upgrade callplan`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      if (v === 0) db.prepare('INSERT INTO meta (key, value) VALUES (?, ?)').run('instance', randomBytes(4).toString('hex'));
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return MIGRATIONS.length;
}

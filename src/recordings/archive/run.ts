import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import path from 'node:path';
import { ArchiveError, classify, fatalForRun, retryable, type Failure, type Where } from './errors.js';
import { RemoteSession, type RemoteOptions } from './ftp.js';
import { Journal, type JournalFs } from './journal.js';
import { acquireLock, LOCK_SUFFIX } from './lock.js';
import { openWriters } from './open-files.js';
import { selectRecordings, SETTLE_MS, type ArchiveUnit, type LocalFile, type Selection, type Skipped } from './select.js';
import { refText, type ArchiveSettings } from './settings.js';
import { archiveUnit, readUnitSidecar, remotePaths, type ArchivedUnit } from './transfer.js';

/** What a run reports as it goes (a terminal's progress display, log lines, or nothing). */
export interface ArchiveReporter {
  planned(plan: Plan): void;
  bytes(n: number): void;
  started(unit: ArchiveUnit, connection: number): void;
  archived(unit: ArchivedUnit): void;
  failed(unit: ArchiveUnit, failure: Failure, retrying: boolean): void;
  /** Recordings never tried (or given up on) because the run could not go on: why, once. */
  abandoned(units: ArchiveUnit[], failure: Failure): void;
  warn(message: string): void;
}

export interface Plan {
  units: number;
  files: number;
  bytes: number;
  connections: number;
  skipped: Skipped[];
  notDue: number;
  alreadyArchived: number;
  /** With --dry-run: where each file would go. */
  dryRun?: { file: string; remote: string; bytes: number }[];
}

export interface FailedUnit {
  file: string;
  kind: Failure['kind'];
  message: string;
  hint: string;
}

export interface ArchiveResult {
  plan: Plan;
  archived: ArchivedUnit[];
  failed: FailedUnit[];
  /** Set when the run could not start or was stopped as a whole (login refused, unreachable, TLS, lock). */
  aborted?: Failure;
  /** Bytes of the files archived by this run (uploaded or found verified on the server). */
  bytes: number;
  /** Bytes sent over the network. */
  sentBytes: number;
  seconds: number;
}

const MAX_ATTEMPTS = 3; // per unit, when the connection breaks or a data connection is refused
const MAX_RECONNECTS = 3; // per connection, in a row, with backoff

/** Lists the recordings folder (only plain files at its top). */
export function listSource(dir: string): LocalFile[] {
  const out: LocalFile[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (!e.isFile()) continue;
    const p = path.join(dir, e.name);
    try {
      const s = statSync(p);
      out.push({ name: e.name, path: p, size: s.size, mtimeMs: s.mtimeMs });
    } catch {
      // removed meanwhile
    }
  }
  return out;
}

export interface RunDeps {
  now(): number;
  connect(options: RemoteOptions, id: number): Promise<RemoteSession>;
  procRoot: string;
  sleep(ms: number): Promise<void>;
}

const defaultDeps: RunDeps = {
  now: () => Date.now(),
  connect: (o, id) => RemoteSession.connect(o, id),
  procRoot: '/proc',
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
};

/**
 * One archive run: lock the folder, read the journal, select what is due, then upload and verify
 * with up to `parallel` connections; local files are deleted only after verification. Never
 * throws for what the server or the network does: every problem ends up in the result.
 */
export async function runArchive(settings: ArchiveSettings, password: string | undefined, reporter: ArchiveReporter, deps: RunDeps = defaultDeps): Promise<ArchiveResult> {
  const t0 = deps.now();
  const where: Where = { server: `${settings.host}:${settings.port}`, user: settings.user, ...(settings.passwordRef && { passwordFrom: refText(settings.passwordRef) }) };
  const emptyPlan: Plan = { units: 0, files: 0, bytes: 0, connections: 0, skipped: [], notDue: 0, alreadyArchived: 0 };
  const result = (plan: Plan, extra: Partial<ArchiveResult>): ArchiveResult => ({ plan, archived: [], failed: [], bytes: 0, sentBytes: 0, seconds: (deps.now() - t0) / 1000, ...extra });

  let release: (() => void) | undefined;
  let journal: Journal | undefined;
  try {
    if (!settings.dryRun) release = acquireLock(settings.journal + LOCK_SUFFIX);
    const files = listSource(settings.source);
    journal = await Journal.open(fsp as unknown as JournalFs, settings.journal);
    if (journal.unreadableLines > 0) reporter.warn(`journal ${settings.journal}: ${journal.unreadableLines} unreadable line(s) ignored (a write cut short by a crash); the server is checked before anything is uploaded`);
    const present = new Set(files.map((f) => f.name));
    if (!settings.dryRun) await journal.compact((f) => present.has(f));
    let real = settings.source;
    try {
      real = realpathSync(settings.source);
    } catch {
      // listed above, so it exists
    }
    const writers = openWriters(real, deps.procRoot);
    if (writers.uninspectable > 0) {
      reporter.warn(`could not see the open files of ${writers.uninspectable} process(es) of other users; files they might be writing are still protected by --older-than and the one-minute rule (run as the user Asterisk runs as, or as root)`);
    }
    const j = journal;
    const selection: Selection = selectRecordings(
      files.map((f) => (real !== settings.source ? { ...f, path: path.join(real, f.name) } : f)),
      { now: deps.now(), olderThanMs: settings.olderThanMs, settleMs: SETTLE_MS, openWriters: writers, verifiedBefore: (f) => j.isVerified(f.name, f.size, f.mtimeMs), keepLocal: settings.keepLocal },
    );
    const units = selection.selected;
    const plan: Plan = {
      units: units.length,
      files: units.reduce((a, u) => a + u.files.length, 0),
      bytes: units.reduce((a, u) => a + u.bytes, 0),
      connections: Math.min(settings.parallel, units.length),
      skipped: selection.skipped,
      notDue: selection.notDue,
      alreadyArchived: selection.alreadyArchived,
    };
    if (settings.dryRun) {
      plan.dryRun = [];
      for (const u of units) {
        const remotes = remotePaths(u, await readUnitSidecar(u, reporter.warn), settings.root, settings.layout);
        u.files.forEach((f, i) => plan.dryRun!.push({ file: f.name, remote: remotes[i]!, bytes: f.size }));
      }
      plan.connections = 0;
      reporter.planned(plan);
      return result(plan, {});
    }
    reporter.planned(plan);
    if (units.length === 0) return result(plan, {});
    return await transfer(settings, password ?? '', units, plan, j, reporter, deps, where, t0);
  } catch (e) {
    // The lock, the folder, the journal: local problems in words; anything else is a bug.
    if (!(e instanceof ArchiveError) && typeof (e as NodeJS.ErrnoException).code !== 'string') throw e;
    return result(emptyPlan, { aborted: classify(e, { ...where, file: settings.source }) });
  } finally {
    await journal?.close().catch(() => undefined);
    release?.();
  }
}

async function transfer(
  settings: ArchiveSettings,
  password: string,
  units: ArchiveUnit[],
  plan: Plan,
  journal: Journal,
  reporter: ArchiveReporter,
  deps: RunDeps,
  where: Where,
  t0: number,
): Promise<ArchiveResult> {
  const options: RemoteOptions = {
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    user: settings.user,
    password,
    ...(settings.ca && { ca: readFileSync(settings.ca) }),
    insecure: settings.insecure,
    timeoutMs: settings.timeoutMs,
  };
  const done = (extra: Partial<ArchiveResult>): ArchiveResult => ({
    plan,
    archived,
    failed,
    bytes: archived.reduce((a, u) => a + u.files.reduce((b, f) => b + f.bytes, 0), 0),
    sentBytes,
    seconds: (deps.now() - t0) / 1000,
    ...extra,
  });
  const archived: ArchivedUnit[] = [];
  const failed: FailedUnit[] = [];
  let sentBytes = 0;

  // The first connection alone: a refused login or an untrusted certificate ends the run before
  // anything is touched, and costs one attempt (servers delay failed logins by seconds).
  let first: RemoteSession;
  try {
    first = await deps.connect(options, 1);
  } catch (e) {
    return done({ aborted: classify(e, { ...where, connecting: true }) });
  }

  const queue = [...units];
  const attempts = new Map<ArchiveUnit, number>();
  const knownDirs = new Set<string>();
  // Each remote folder is listed once per run (by whichever connection gets there first).
  const listings = new Map<string, Promise<Map<string, number>>>();
  const listing = (session: RemoteSession, dir: string): Promise<Map<string, number>> => {
    let p = listings.get(dir);
    if (!p) {
      p = session.listSizes(dir).then((sizes) => {
        if (sizes) knownDirs.add(dir);
        return sizes ?? new Map<string, number>();
      });
      listings.set(dir, p);
      // A listing that failed (the connection broke) is asked again by the next attempt.
      p.catch(() => listings.delete(dir));
    }
    return p;
  };
  let stop: Failure | undefined; // a failure that ends the run for everyone
  let lastConnectFailure: Failure | undefined;
  const sessions = new Set<RemoteSession>([first]);
  const finishing = new Set<Promise<void>>();

  const worker = async (id: number, initial: RemoteSession | undefined): Promise<void> => {
    let session = initial;
    let reconnects = 0;
    for (;;) {
      if (stop) return;
      const unit = queue.shift();
      if (!unit) return;
      if (!session || session.closed) {
        try {
          session = await deps.connect(options, id);
          sessions.add(session);
          reconnects = 0;
        } catch (e) {
          queue.unshift(unit);
          const f = classify(e, { ...where, connecting: true });
          lastConnectFailure = f;
          if ((f.kind === 'connection' || f.kind === 'unreachable') && reconnects < MAX_RECONNECTS) {
            reconnects++;
            await deps.sleep(500 * 2 ** reconnects);
            continue;
          }
          if (f.kind === 'auth' || f.kind === 'tls') stop = f;
          return; // this connection gives up; the others go on
        }
      }
      let remote: string | undefined;
      reporter.started(unit, id);
      try {
        const { finish } = await archiveUnit(session, unit, {
          root: settings.root,
          layout: settings.layout,
          verify: settings.verify,
          keepLocal: settings.keepLocal,
          atomicRename: settings.atomicRename,
          journal,
          knownDirs,
          listing,
          onBytes: (n) => {
            sentBytes += n;
            reporter.bytes(n);
          },
          warn: reporter.warn,
          at: (r) => (remote = r),
        });
        // Verified: the journal record and the local delete finish in the background, the
        // connection moves on.
        finishing.add(
          finish.then(
            (done) => {
              archived.push(done);
              reporter.archived(done);
            },
            (e: unknown) => {
              const f = classify(e, { ...where, file: unit.name });
              failed.push({ file: unit.name, kind: f.kind, message: f.message, hint: f.hint });
              reporter.failed(unit, f, false);
            },
          ),
        );
      } catch (e) {
        const f = classify(e, { ...where, file: unit.name, ...(remote && { remote }) });
        const n = (attempts.get(unit) ?? 0) + 1;
        attempts.set(unit, n);
        if (retryable(f) && n < MAX_ATTEMPTS) {
          reporter.failed(unit, f, true);
          queue.unshift(unit);
          // A refused data connection (425: its passive ports busy) clears by itself: a short pause.
          if (f.keepConnection && !session.closed) {
            await deps.sleep(100 * n);
            continue;
          }
        } else {
          failed.push({ file: unit.name, kind: f.kind, message: f.message, hint: f.hint });
          reporter.failed(unit, f, false);
          if (fatalForRun(f)) stop = f;
        }
        if (retryable(f) || session.closed) {
          session.close();
          session = undefined;
        }
      }
    }
  };

  try {
    const workers = [worker(1, first)];
    for (let id = 2; id <= plan.connections; id++) workers.push(worker(id, undefined));
    await Promise.all(workers);
    await Promise.all(finishing);
  } finally {
    for (const s of sessions) s.close();
  }
  // Whatever is left was never attempted (or was given up on): say why, once.
  const why: Failure = stop ?? lastConnectFailure ?? { kind: 'connection', message: 'no connection to the server was left', hint: 'Run the archive again.' };
  for (const unit of queue) failed.push({ file: unit.name, kind: why.kind, message: `not archived: ${why.message}`, hint: why.hint });
  if (queue.length > 0) reporter.abandoned(queue, why);
  return done({});
}

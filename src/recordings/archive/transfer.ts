import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { statSync } from 'node:fs';
import { readFile, unlink } from 'node:fs/promises';
import path from 'node:path/posix';
import { ArchiveError } from './errors.js';
import { remoteDir, type RemoteSession } from './ftp.js';
import type { Journal, JournalEntry } from './journal.js';
import { layoutValues, type Layout } from './layout.js';
import type { ArchiveUnit, LocalFile } from './select.js';
import { parseSidecar, type Sidecar } from './sidecar.js';

/** The name a file is uploaded under before it is verified and renamed into place. */
export const PARTIAL_SUFFIX = '.callplan-partial';

export interface ArchivedFile {
  file: string;
  remote: string;
  bytes: number;
  /** How it was verified: the size, or the SHA-256 (by the server's command or read back). */
  verified: 'size' | 'sha256 (HASH)' | 'sha256 (XSHA256)' | 'sha256 (read back)';
  /** uploaded: it was not there; replaced: a different (partial) file was there; present: an earlier run's copy was verified, nothing uploaded. */
  how: 'uploaded' | 'replaced' | 'present';
  /** For replaced: the size of what was there. */
  replacedBytes?: number;
  sha256?: string;
}

export interface ArchivedUnit {
  name: string;
  files: ArchivedFile[];
  deletedLocal: boolean;
}

/** What one transfer needs besides the connection. */
export interface TransferContext {
  root: string;
  layout: Layout;
  verify: 'size' | 'hash';
  keepLocal: boolean;
  /** Upload under a temporary name, rename into place once verified. */
  atomicRename: boolean;
  journal: Journal;
  /** Folders known to exist on the server, shared by all connections. */
  knownDirs: Set<string>;
  /**
   * What a remote folder held before this run touched it (name → size), listed once per run and
   * shared by all connections; an empty map for a folder that does not exist yet.
   */
  listing(session: RemoteSession, dir: string): Promise<Map<string, number>>;
  onBytes(n: number): void;
  warn(message: string): void;
  /** Set before each remote operation, so a failure can name the remote path. */
  at(remote: string | undefined): void;
}

/** Reads a unit's sidecar for the layout's fields; a broken one gives none (and a warning), never a failure. */
export async function readUnitSidecar(unit: ArchiveUnit, warn: (m: string) => void): Promise<Sidecar | undefined> {
  const file = unit.sidecar ?? (unit.parsed.kind === 'sidecar' ? unit.files[0] : undefined);
  if (!file) return undefined;
  let text: string;
  try {
    text = await readFile(file.path, 'utf8');
  } catch {
    return undefined;
  }
  const parsed = parseSidecar(text);
  if ('error' in parsed) {
    warn(`${file.name}: sidecar ${parsed.error}; archived as it is, its fields left out of the layout`);
    return undefined;
  }
  return parsed.sidecar;
}

/** Where each file of a unit goes on the server. */
export function remotePaths(unit: ArchiveUnit, sidecar: Sidecar | undefined, root: string, layout: Layout): string[] {
  return unit.files.map((f) => path.join(root, layout.render(layoutValues(unit.parsed, f.name, sidecar))));
}

export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * Archives one unit (a recording and its sidecar): each file is uploaded under a temporary name,
 * its size (and with verify hash, its SHA-256) checked on the server, then renamed into place; a
 * file already on the server with the right size (and hash) is not uploaded again. Throws on the
 * first problem, leaving the local files in place.
 *
 * Resolves once every file is verified on the server, with `finish`: the journal's record of them
 * made durable (fsync), then, unless keepLocal, the local files deleted. The connection is free
 * for the next unit meanwhile; the caller awaits `finish` before it reports the unit archived.
 */
export async function archiveUnit(session: RemoteSession, unit: ArchiveUnit, ctx: TransferContext): Promise<{ finish: Promise<ArchivedUnit> }> {
  const sidecar = await readUnitSidecar(unit, ctx.warn);
  const remotes = remotePaths(unit, sidecar, ctx.root, ctx.layout);
  const archived: ArchivedFile[] = [];
  for (const [i, file] of unit.files.entries()) archived.push(await archiveFile(session, file, remotes[i]!, ctx));
  ctx.at(undefined);
  const now = new Date().toISOString();
  const records: JournalEntry[] = archived.map((a, i) => ({
    file: unit.files[i]!.name,
    state: 'verified',
    size: unit.files[i]!.size,
    mtimeMs: unit.files[i]!.mtimeMs,
    remote: a.remote,
    ...(a.sha256 && { sha256: a.sha256 }),
    at: now,
  }));
  const finish = ctx.journal.record(records, !ctx.keepLocal).then(async (): Promise<ArchivedUnit> => {
    if (!ctx.keepLocal) {
      for (const f of unit.files) {
        // Last look: the file must still be the one that was verified.
        let st;
        try {
          st = statSync(f.path);
        } catch {
          continue; // gone already
        }
        if (st.size !== f.size || st.mtimeMs !== f.mtimeMs) {
          throw new ArchiveError('changed', `${f.name} changed after it was archived (now ${st.size} bytes); the local file is kept`, 'Something wrote to it again: the next run archives the new version.');
        }
        try {
          await unlink(f.path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
            throw new ArchiveError('local', `${f.name}: archived and verified, but could not delete the local file: ${(e as Error).message}`, 'Let the archive run as a user that may delete the recordings (the asterisk user); the next run deletes it without uploading it again.');
          }
        }
      }
    }
    return { name: unit.name, files: archived, deletedLocal: !ctx.keepLocal };
  });
  // Handled by the caller; never an unhandled rejection in between.
  finish.catch(() => undefined);
  return { finish };
}

async function archiveFile(session: RemoteSession, file: LocalFile, remote: string, ctx: TransferContext): Promise<ArchivedFile> {
  const hashing = ctx.verify === 'hash';
  const dir = remoteDir(remote);
  ctx.at(dir);
  // What an earlier run (or anyone) left under the final name: from the folder's listing, one per run.
  const existing = (await ctx.listing(session, dir)).get(path.basename(remote));
  if (existing === file.size) {
    ctx.at(remote);
    // The listing said so; SIZE confirms it is still there as listed before it is taken as archived.
    if ((await session.size(remote)) === file.size) {
      if (!hashing) return { file: file.name, remote, bytes: file.size, verified: 'size', how: 'present' };
      const local = await sha256File(file.path);
      const theirs = await session.sha256(remote);
      if (theirs.sha256 === local) return { file: file.name, remote, bytes: file.size, verified: verifiedBy(theirs.by), how: 'present', sha256: local };
    }
  }
  // With atomicRename the upload goes to a temporary name and only a verified file is renamed
  // into place (2 more round trips); otherwise straight to the final name, replacing whatever was there.
  const partial = ctx.atomicRename ? remote + PARTIAL_SUFFIX : remote;
  await session.ensureDir(dir, ctx.knownDirs);
  ctx.at(remote);
  const { sha256, size: sent, mtimeMs } = await session.upload(file.path, partial, hashing, ctx.onBytes);
  const now = statSync(file.path);
  if (sent !== file.size || mtimeMs !== file.mtimeMs || now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    throw new ArchiveError('changed', `${file.name} changed while it was uploaded (${file.size} → ${now.size} bytes)`, 'Something is still writing it: it is left in place and archived by a later run.');
  }
  // Verified under the temporary name, so that a wrong copy never sits under the final one.
  const size = await session.size(partial);
  if (size !== file.size) {
    if (partial !== remote) await session.remove(partial).catch(() => undefined);
    throw new ArchiveError('verify', `${file.name}: the server holds ${size ?? 'no'} bytes of the ${file.size} sent to ${partial}`, 'The upload was cut short or altered on the way; run the archive again (the local file is kept).');
  }
  let verified: ArchivedFile['verified'] = 'size';
  if (hashing) {
    const theirs = await session.sha256(partial);
    if (theirs.sha256 !== sha256) {
      if (partial !== remote) await session.remove(partial).catch(() => undefined);
      throw new ArchiveError('verify', `${file.name}: the server's copy has a different SHA-256 than the local file`, 'The data was altered on the way or on the server; run the archive again (the local file is kept) and check the server.');
    }
    verified = verifiedBy(theirs.by);
  }
  // RNFR/RNTO: atomic on the server; the verified file is the one that lands.
  if (partial !== remote) await session.rename(partial, remote);
  return {
    file: file.name,
    remote,
    bytes: file.size,
    verified,
    how: existing === undefined ? 'uploaded' : 'replaced',
    ...(existing !== undefined && { replacedBytes: existing }),
    ...(sha256 && { sha256 }),
  };
}

const verifiedBy = (by: 'HASH' | 'XSHA256' | 'read-back'): ArchivedFile['verified'] => (by === 'read-back' ? 'sha256 (read back)' : by === 'HASH' ? 'sha256 (HASH)' : 'sha256 (XSHA256)');

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat, unlink } from 'node:fs/promises';
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
  journal: Journal;
  /** Folders known to exist on the server, shared by all connections. */
  knownDirs: Set<string>;
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
 * its size (and with verify hash, its SHA-256) checked on the server, then renamed into place and
 * its size checked again; a file already on the server with the right size (and hash) is not
 * uploaded again. Only when every file of the unit is verified and the journal says so on disk
 * are the local files deleted (unless keepLocal). Throws on the first problem, leaving the local
 * files in place.
 */
export async function archiveUnit(session: RemoteSession, unit: ArchiveUnit, ctx: TransferContext): Promise<ArchivedUnit> {
  const sidecar = await readUnitSidecar(unit, ctx.warn);
  const remotes = remotePaths(unit, sidecar, ctx.root, ctx.layout);
  const archived: ArchivedFile[] = [];
  for (const [i, file] of unit.files.entries()) archived.push(await archiveFile(session, file, remotes[i]!, ctx));
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
  ctx.at(undefined);
  await ctx.journal.record(records, true);
  if (!ctx.keepLocal) {
    for (const f of unit.files) {
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
}

async function archiveFile(session: RemoteSession, file: LocalFile, remote: string, ctx: TransferContext): Promise<ArchivedFile> {
  const hashing = ctx.verify === 'hash';
  ctx.at(remote);
  const existing = await session.size(remote);
  if (existing === file.size) {
    if (!hashing) return { file: file.name, remote, bytes: file.size, verified: 'size', how: 'present' };
    const local = await sha256File(file.path);
    const theirs = await session.sha256(remote);
    if (theirs.sha256 === local) return { file: file.name, remote, bytes: file.size, verified: verifiedBy(theirs.by), how: 'present', sha256: local };
  }
  const partial = remote + PARTIAL_SUFFIX;
  ctx.journal
    .record([{ file: file.name, state: 'uploading', size: file.size, mtimeMs: file.mtimeMs, remote, at: new Date().toISOString() }], false)
    .catch((e: Error) => ctx.warn(`journal: ${e.message}`));
  ctx.at(remoteDir(remote));
  await session.ensureDir(remoteDir(remote), ctx.knownDirs);
  ctx.at(remote);
  const { sha256 } = await session.upload(file.path, partial, hashing, ctx.onBytes);
  const now = await stat(file.path);
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) {
    throw new ArchiveError('changed', `${file.name} changed while it was uploaded (${file.size} → ${now.size} bytes)`, 'Something is still writing it: it is left in place and archived by a later run.');
  }
  const size = await session.size(partial);
  if (size !== file.size) {
    await session.remove(partial).catch(() => undefined);
    throw new ArchiveError('verify', `${file.name}: the server holds ${size ?? 'no'} bytes of the ${file.size} sent to ${partial}`, 'The upload was cut short or altered on the way; run the archive again (the local file is kept).');
  }
  let verified: ArchivedFile['verified'] = 'size';
  if (hashing) {
    const theirs = await session.sha256(partial);
    if (theirs.sha256 !== sha256) {
      await session.remove(partial).catch(() => undefined);
      throw new ArchiveError('verify', `${file.name}: the server's copy has a different SHA-256 than the local file`, 'The data was altered on the way or on the server; run the archive again (the local file is kept) and check the server.');
    }
    verified = verifiedBy(theirs.by);
  }
  await session.rename(partial, remote);
  const placed = await session.size(remote);
  if (placed !== file.size) {
    throw new ArchiveError('verify', `${file.name}: after renaming into place, ${remote} holds ${placed ?? 'no'} bytes instead of ${file.size}`, 'Another client may be writing the same path; run the archive again (the local file is kept).');
  }
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

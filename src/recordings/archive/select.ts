import type { OpenWriters } from './open-files.js';
import { parseRecordingName, type RecordingName } from './names.js';

/** One file in the source folder, as listed. */
export interface LocalFile {
  name: string;
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
}

/** What is archived together: a recording and its sidecar, or a sidecar whose recording is gone. */
export interface ArchiveUnit {
  /** The recording's name, or the lone sidecar's. */
  name: string;
  parsed: RecordingName;
  /** The recording first, then its sidecar. */
  files: LocalFile[];
  sidecar?: LocalFile;
  bytes: number;
}

export interface Skipped {
  file: string;
  reason: string;
}

export interface Selection {
  selected: ArchiveUnit[];
  /** Files left alone, each with why. */
  skipped: Skipped[];
  /** Recordings not old enough yet (--older-than): not listed one by one. */
  notDue: number;
  /** Recordings verified on the server by an earlier run and kept locally (--keep-local). */
  alreadyArchived: number;
}

export interface SelectOptions {
  now: number;
  /** Only files last modified at least this long ago (--older-than). */
  olderThanMs: number;
  /** Files modified more recently than this are never touched, whatever --older-than says. */
  settleMs: number;
  openWriters: OpenWriters;
  /** Whether the journal holds this exact file as verified (kept locally by an earlier run). */
  verifiedBefore(file: LocalFile): boolean;
  keepLocal: boolean;
}

/** The last minute: Asterisk may still be writing a file it touched this recently. */
export const SETTLE_MS = 60_000;

/**
 * Chooses what to archive from a folder listing (pure: the listing, the clock and the open
 * files are given). Hidden files (the journal, the lock) are ignored; files not named like
 * callplan's recordings are reported and left alone.
 */
export function selectRecordings(files: readonly LocalFile[], options: SelectOptions): Selection {
  const skipped: Skipped[] = [];
  const byBase = new Map<string, { recording?: { file: LocalFile; parsed: RecordingName }; sidecar?: { file: LocalFile; parsed: RecordingName } }>();
  for (const file of files) {
    if (file.name.startsWith('.')) continue;
    const parsed = parseRecordingName(file.name);
    if (!parsed) {
      skipped.push({ file: file.name, reason: 'not named like a callplan recording (YYYYMMDD-HHMMSS_queue_agent_callid.ext); left alone' });
      continue;
    }
    const group = byBase.get(parsed.base) ?? {};
    if (parsed.kind === 'sidecar') group.sidecar = { file, parsed };
    else if (group.recording) skipped.push({ file: file.name, reason: `a second recording of call ${parsed.base} (${group.recording.file.name} is archived); left alone` });
    else group.recording = { file, parsed };
    byBase.set(parsed.base, group);
  }

  const selected: ArchiveUnit[] = [];
  let notDue = 0;
  let alreadyArchived = 0;
  for (const base of [...byBase.keys()].sort()) {
    const group = byBase.get(base)!;
    const main = group.recording ?? group.sidecar!;
    const unitFiles = [group.recording?.file, group.sidecar?.file].filter((f): f is LocalFile => f !== undefined);
    const youngest = unitFiles.reduce((a, f) => (options.now - f.mtimeMs < options.now - a.mtimeMs ? f : a));
    const age = options.now - youngest.mtimeMs;
    if (age < options.settleMs && options.olderThanMs < options.settleMs) {
      skipped.push({ file: main.file.name, reason: `${youngest.name} was modified less than a minute ago (Asterisk may still be writing it)` });
      continue;
    }
    if (age < options.olderThanMs) {
      notDue++;
      continue;
    }
    const writer = unitFiles.map((f) => ({ f, w: options.openWriters.byPath.get(f.path) })).find((x) => x.w);
    if (writer) {
      skipped.push({ file: main.file.name, reason: `${writer.f.name} is open for writing by ${writer.w!.command} (pid ${writer.w!.pid})` });
      continue;
    }
    if (options.keepLocal && unitFiles.every((f) => options.verifiedBefore(f))) {
      alreadyArchived++;
      continue;
    }
    selected.push({
      name: main.file.name,
      parsed: main.parsed,
      files: unitFiles,
      ...(group.recording && group.sidecar && { sidecar: group.sidecar.file }),
      bytes: unitFiles.reduce((a, f) => a + f.size, 0),
    });
  }
  return { selected, skipped, notDue, alreadyArchived };
}

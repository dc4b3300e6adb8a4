import path from 'node:path';

/**
 * The archive's journal: a small file next to the recordings (by default
 * SOURCE/.callplan-archive.journal) that records, per local file, where it was uploaded, that it
 * was verified there, its size, modification time and (with verify hash) SHA-256. A rerun after
 * a crash, a killed server or a lost network reads it: a file verified while kept locally is not
 * uploaded again, and a verified file is only deleted locally once its record is on disk (fsync)
 * — the remote copy stays the source of truth, checked before anything is uploaded.
 *
 * Format: JSON lines. The first line names the format; each later line is one record, and the
 * last record of a file wins. Records are appended whole in one write (a group of workers' records
 * share one write and one fsync); a line cut short by a crash is ignored when read. At the start of
 * every run the journal is rewritten atomically (temporary file, fsync, rename) holding only the
 * files still present locally, so it stays small.
 */
export const JOURNAL_NAME = '.callplan-archive.journal';
const HEADER = { 'callplan-archive-journal': 1 };

/** How long a record nothing waits on may wait to share a write with others. */
const LAZY_MS = 200;

export interface JournalEntry {
  /** The local file name (no folder). */
  file: string;
  state: 'verified';
  size: number;
  mtimeMs: number;
  /** The remote path it was (or is being) uploaded to. */
  remote: string;
  /** SHA-256 of the file, when verified by hash. */
  sha256?: string;
  /** ISO time of the record. */
  at: string;
}

/** The file-system calls the journal makes: node:fs/promises has them, and so has memfs's promises API. */
export interface JournalFs {
  readFile(file: string, encoding: 'utf8'): Promise<string>;
  open(file: string, flags: string): Promise<JournalFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
}

export interface JournalFileHandle {
  write(data: Uint8Array): Promise<unknown>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export class Journal {
  private readonly entries = new Map<string, JournalEntry>();
  private handle: JournalFileHandle | undefined;
  private pending: { lines: string[]; durable: boolean; done: () => void; fail: (e: unknown) => void }[] = [];
  private writing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** Lines that were not records (a torn last line after a crash, or damage); reported, never fatal. */
  unreadableLines = 0;

  private constructor(
    private readonly fs: JournalFs,
    readonly file: string,
  ) {}

  /** Reads the journal (a missing one is empty). */
  static async open(fs: JournalFs, file: string): Promise<Journal> {
    const journal = new Journal(fs, file);
    let text = '';
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      const entry = parseLine(line);
      if (entry === 'header') continue;
      if (entry === undefined) journal.unreadableLines++;
      else journal.entries.set(entry.file, entry);
    }
    return journal;
  }

  get(file: string): JournalEntry | undefined {
    return this.entries.get(file);
  }

  /** Whether this exact local file (same size and modification time) was verified on the server. */
  isVerified(file: string, size: number, mtimeMs: number): boolean {
    const e = this.entries.get(file);
    return e !== undefined && e.state === 'verified' && e.size === size && e.mtimeMs === mtimeMs;
  }

  all(): JournalEntry[] {
    return [...this.entries.values()];
  }

  /**
   * Rewrites the journal atomically with only the entries `keep` accepts (the files still present
   * locally), then appends to the new file. Call once at the start, before any record.
   */
  async compact(keep: (file: string) => boolean): Promise<void> {
    await this.drain();
    for (const file of [...this.entries.keys()]) if (!keep(file)) this.entries.delete(file);
    await this.handle?.close();
    this.handle = undefined;
    const tmp = path.join(path.dirname(this.file), `${path.basename(this.file)}.tmp-${process.pid}`);
    const body = [JSON.stringify(HEADER), ...[...this.entries.values()].map((e) => JSON.stringify(e))].join('\n') + '\n';
    const h = await this.fs.open(tmp, 'w');
    try {
      await h.write(Buffer.from(body));
      await h.sync();
    } finally {
      await h.close();
    }
    try {
      await this.fs.rename(tmp, this.file);
    } catch (e) {
      await this.fs.unlink(tmp).catch(() => undefined);
      throw e;
    }
  }

  /**
   * Appends records. With `durable`, written at once and resolved only once they are on disk
   * (fsync): a local file is deleted only after its "verified" record is durable. Without, they
   * wait up to LAZY_MS for company (close() writes what is left). Concurrent calls share one write.
   */
  record(entries: JournalEntry[], durable: boolean): Promise<void> {
    for (const e of entries) this.entries.set(e.file, e);
    return new Promise((done, fail) => {
      this.pending.push({ lines: entries.map((e) => JSON.stringify(e)), durable, done, fail });
      if (durable) this.flushNow();
      // Records nothing waits on are gathered for a moment, so that many share one write.
      else this.timer ??= setTimeout(() => this.flushNow(), LAZY_MS);
    });
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    // A running loop takes what is pending before it stops.
    if (this.writing === undefined && this.pending.length > 0) this.writing = this.writeLoop();
  }

  private async writeLoop(): Promise<void> {
    // Never finish before the caller has stored this promise in `writing` (the finally below clears it).
    await Promise.resolve();
    try {
      while (this.pending.length > 0) {
        const batch = this.pending;
        this.pending = [];
        try {
          this.handle ??= await this.fs.open(this.file, 'a');
          await this.handle.write(Buffer.from(batch.flatMap((b) => b.lines).map((l) => `${l}\n`).join('')));
          if (batch.some((b) => b.durable)) await this.handle.sync();
          for (const b of batch) b.done();
        } catch (e) {
          for (const b of batch) b.fail(e);
        }
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async drain(): Promise<void> {
    if (this.pending.length > 0) this.flushNow();
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.drain();
    await this.handle?.close();
    this.handle = undefined;
  }
}

function parseLine(line: string): JournalEntry | 'header' | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const o = v as Record<string, unknown>;
  if (o['callplan-archive-journal'] !== undefined) return 'header';
  const ok =
    typeof o.file === 'string' &&
    o.file !== '' &&
    o.state === 'verified' &&
    typeof o.size === 'number' &&
    typeof o.mtimeMs === 'number' &&
    typeof o.remote === 'string' &&
    typeof o.at === 'string' &&
    (o.sha256 === undefined || typeof o.sha256 === 'string');
  return ok ? (o as unknown as JournalEntry) : undefined;
}

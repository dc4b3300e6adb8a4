import { Client, FTPError } from 'basic-ftp';
import { createHash } from 'node:crypto';
import { closeSync, createReadStream, fstatSync, openSync, readSync } from 'node:fs';
import { Readable, Transform, Writable } from 'node:stream';
import path from 'node:path/posix';

/** Where and how to connect. The password is held here and nowhere else; it is never printed. */
export interface RemoteOptions {
  host: string;
  port: number;
  /** Explicit TLS (ftps://): AUTH TLS on the control connection, PROT P for data. */
  secure: boolean;
  user: string;
  password: string;
  /** Extra trusted CA certificates (--ca), PEM. */
  ca?: Buffer;
  /** --insecure: no certificate check (tests only). */
  insecure: boolean;
  /** Per-operation timeout (control and data sockets). */
  timeoutMs: number;
}

/** One FTP(S) connection, with the few operations the archive needs. */
/** Files up to this size are read in one go into the connection's reused buffer. */
export const SMALL_FILE = 4 * 1024 * 1024;

export class RemoteSession {
  private hashCommand: 'HASH' | 'XSHA256' | undefined;
  private buffer: Buffer | undefined;

  private constructor(
    private readonly client: Client,
    readonly id: number,
  ) {}

  static async connect(options: RemoteOptions, id: number): Promise<RemoteSession> {
    const client = new Client(options.timeoutMs);
    try {
      await client.access({
        host: options.host,
        port: options.port,
        user: options.user,
        password: options.password,
        secure: options.secure,
        ...(options.secure && {
          secureOptions: {
            rejectUnauthorized: !options.insecure,
            ...(options.ca && { ca: options.ca }),
            // TLS 1.2 at least; Node's defaults otherwise.
            minVersion: 'TLSv1.2' as const,
          },
        }),
      });
      const session = new RemoteSession(client, id);
      const features = await client.features();
      // A missing folder must read as missing, not fall back to LIST (which lists nothing, or the parent).
      if (features.has('MLSD')) client.availableListCommands = ['MLSD'];
      const hash = features.get('HASH');
      if (hash !== undefined && /SHA-256/i.test(hash)) session.hashCommand = 'HASH';
      else if (features.has('XSHA256')) session.hashCommand = 'XSHA256';
      return session;
    } catch (e) {
      client.close();
      throw e;
    }
  }

  get closed(): boolean {
    return this.client.closed;
  }

  /** Whether the server can hash a file itself (HASH or XSHA256); otherwise hashes read the file back. */
  get remoteHash(): 'HASH' | 'XSHA256' | undefined {
    return this.hashCommand;
  }

  /** Size of a remote file, or undefined when there is none (550). */
  async size(remotePath: string): Promise<number | undefined> {
    try {
      return await this.client.size(remotePath);
    } catch (e) {
      if (e instanceof FTPError && e.code === 550) return undefined;
      throw e;
    }
  }

  /**
   * Name → size of the files in a remote folder (one listing, MLSD where the server has it), or
   * undefined when the folder does not exist.
   */
  async listSizes(dir: string): Promise<Map<string, number> | undefined> {
    try {
      const entries = await this.client.list(dir);
      return new Map(entries.filter((e) => e.isFile).map((e) => [e.name, e.size]));
    } catch (e) {
      if (e instanceof FTPError && (e.code === 550 || e.code === 450)) return undefined;
      throw e;
    }
  }

  /**
   * Creates the folders of a remote path that are not known to exist yet. `known` is shared by
   * every connection of a run, so each folder is created once. A refused MKD is not an error here
   * (the folder may exist, or another connection just made it): the upload into it says what is wrong.
   */
  async ensureDir(dir: string, known: Set<string>): Promise<void> {
    const parts = dir.split('/').filter(Boolean);
    let current = '';
    for (const part of parts) {
      current += `/${part}`;
      if (known.has(current)) continue;
      const res = await this.client.sendIgnoringError(`MKD ${current}`);
      if (res.code < 400 || /exist/i.test(res.message)) known.add(current);
      // Refused for another reason (permission, quota): say so now, naming the folder, rather
      // than let the upload into it fail with "no such file".
      else if (/denied|permission|not allowed|quota|space|full/i.test(res.message)) throw new FTPError(res);
    }
  }

  /**
   * Uploads a local file (STOR, replacing whatever is there); returns its SHA-256 when asked, and
   * the size and modification time it had when read (to tell whether it changed meanwhile).
   * A file up to SMALL_FILE is read in one go into this connection's own buffer, reused file
   * after file (safe: the next upload starts only once the server confirmed this one); bigger
   * ones are streamed. Reading through streams and a fresh buffer per file cost several times
   * the CPU of the transfer itself.
   */
  async upload(localPath: string, remotePath: string, hash: boolean, onBytes: (n: number) => void): Promise<{ sha256?: string; size: number; mtimeMs: number }> {
    const fd = openSync(localPath, 'r');
    let source: Readable;
    let size: number;
    let mtimeMs: number;
    const digest = hash ? createHash('sha256') : undefined;
    try {
      const st = fstatSync(fd);
      size = st.size;
      mtimeMs = st.mtimeMs;
      if (size <= SMALL_FILE) {
        this.buffer ??= Buffer.allocUnsafe(SMALL_FILE);
        let n = 0;
        for (let r; n < this.buffer.length && (r = readSync(fd, this.buffer, n, this.buffer.length - n, null)) > 0; ) n += r;
        closeSync(fd);
        const data = this.buffer.subarray(0, n);
        digest?.update(data);
        onBytes(n);
        source = Readable.from([data], { objectMode: false });
      } else {
        const stream = createReadStream('', { fd, highWaterMark: 1024 * 1024 });
        source = stream.pipe(
          new Transform({
            highWaterMark: 1024 * 1024,
            transform(chunk: Buffer, _enc, done) {
              digest?.update(chunk);
              onBytes(chunk.length);
              done(null, chunk);
            },
          }),
        );
        stream.once('error', (e) => source.destroy(e));
      }
    } catch (e) {
      try {
        closeSync(fd);
      } catch {
        // closed already
      }
      throw e;
    }
    try {
      await this.client.uploadFrom(source, remotePath);
    } finally {
      source.destroy();
    }
    return { ...(digest && { sha256: digest.digest('hex') }), size, mtimeMs };
  }

  /** SHA-256 of a remote file: by the server's HASH/XSHA256 where it has one, else by reading it back. */
  async sha256(remotePath: string): Promise<{ sha256: string; by: 'HASH' | 'XSHA256' | 'read-back' }> {
    if (this.hashCommand === 'HASH') {
      await this.client.send('OPTS HASH SHA-256');
      const res = await this.client.send(`HASH ${remotePath}`);
      const m = /\b([0-9a-fA-F]{64})\b/.exec(res.message);
      if (m) return { sha256: m[1]!.toLowerCase(), by: 'HASH' };
    } else if (this.hashCommand === 'XSHA256') {
      const res = await this.client.send(`XSHA256 ${remotePath}`);
      const m = /\b([0-9a-fA-F]{64})\b/.exec(res.message);
      if (m) return { sha256: m[1]!.toLowerCase(), by: 'XSHA256' };
    }
    const digest = createHash('sha256');
    const sink = new Writable({
      highWaterMark: 256 * 1024,
      write(chunk: Buffer, _enc, done) {
        digest.update(chunk);
        done();
      },
    });
    await this.client.downloadTo(sink, remotePath);
    return { sha256: digest.digest('hex'), by: 'read-back' };
  }

  /** Renames, replacing an existing target (deleting it first when the server will not rename over it). */
  async rename(from: string, to: string): Promise<void> {
    try {
      await this.client.rename(from, to);
    } catch (e) {
      if (!(e instanceof FTPError) || (e.code !== 550 && e.code !== 553)) throw e;
      if ((await this.size(to)) === undefined) throw e;
      await this.client.remove(to);
      await this.client.rename(from, to);
    }
  }

  /** Deletes a remote file; a missing one is fine. */
  async remove(remotePath: string): Promise<void> {
    await this.client.remove(remotePath, true);
  }

  close(): void {
    this.client.close();
  }
}

/** The folder of a remote path. */
export const remoteDir = (p: string): string => path.dirname(p);

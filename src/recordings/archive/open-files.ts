import * as nodeFs from 'node:fs';

/**
 * Which files in a folder some process holds open for writing, from /proc (Linux): each
 * /proc/PID/fd/N link names a file, /proc/PID/fdinfo/N its open flags. A process whose fd folder
 * we may not read (another user's, when not root) is counted, not guessed about: the caller still
 * has the modification-time guard. On systems without /proc, nothing is known to be open.
 */
export interface OpenWriters {
  /** Absolute path → the first process found writing it. */
  byPath: Map<string, { pid: number; command: string }>;
  /** Processes whose open files could not be inspected (permission). */
  uninspectable: number;
  /** Whether /proc was there to look at. */
  inspected: boolean;
}

/** The node:fs calls used (memfs has them too, for tests). */
export interface ProcFs {
  readdirSync(path: string): string[];
  readlinkSync(path: string): string;
  readFileSync(path: string, encoding: 'utf8'): string;
}

/** O_ACCMODE bits of the flags line in /proc/PID/fdinfo/N (octal): 1 write-only, 2 read-write. */
const O_ACCMODE = 0o3;

export function openWriters(dir: string, procRoot = '/proc', fs: ProcFs = nodeFs as unknown as ProcFs): OpenWriters {
  const byPath = new Map<string, { pid: number; command: string }>();
  const prefix = dir.endsWith('/') ? dir : `${dir}/`;
  let pids: string[];
  try {
    pids = fs.readdirSync(procRoot).filter((p) => /^\d+$/.test(p));
  } catch {
    return { byPath, uninspectable: 0, inspected: false };
  }
  let uninspectable = 0;
  for (const pid of pids) {
    let fds: string[];
    try {
      fds = fs.readdirSync(`${procRoot}/${pid}/fd`);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') uninspectable++;
      continue; // ENOENT: the process ended meanwhile
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      if (!target.startsWith(prefix) || byPath.has(target)) continue;
      let flags: number;
      try {
        const m = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`${procRoot}/${pid}/fdinfo/${fd}`, 'utf8'));
        if (!m) continue;
        flags = parseInt(m[1]!, 8);
      } catch {
        continue;
      }
      if ((flags & O_ACCMODE) === 0) continue; // read-only
      let command = '?';
      try {
        command = fs.readFileSync(`${procRoot}/${pid}/comm`, 'utf8').trim();
      } catch {
        // gone meanwhile
      }
      byPath.set(target, { pid: Number(pid), command });
    }
  }
  return { byPath, uninspectable, inspected: true };
}

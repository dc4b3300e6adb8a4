import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import dgram from 'node:dgram';
import net from 'node:net';

/**
 * Loopback ports for end-to-end servers, reserved so that vitest's parallel files (and two test
 * runs at once) never pick the same ones: each reserved port has a lock file `<port>.<pid>` in
 * LOCK_DIR, and a port counts as free only when no live process holds a lock on it AND it can be
 * bound on 127.0.0.1 for both UDP and TCP right now. Two processes racing for one port both see
 * each other's lock and both back off, so a port is never handed out twice.
 */
const LOCK_DIR = '/tmp/callplan-e2e-ports';
const LOW = 20_000;
const HIGH = 29_999;

const held = new Set<number>();
process.on('exit', () => {
  for (const port of held) unlinkQuiet(lockFile(port, process.pid));
});

function lockFile(port: number, pid: number): string {
  return `${LOCK_DIR}/${port}.${pid}`;
}

function unlinkQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

let swept = false;
/** Once per process: removes the locks of processes that are gone (a killed run leaves them). */
function sweepStaleLocks(): void {
  mkdirSync(LOCK_DIR, { recursive: true });
  if (swept) return;
  swept = true;
  const alive = new Map<number, boolean>();
  for (const name of readdirSync(LOCK_DIR)) {
    const pid = Number(name.split('.')[1]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    if (!alive.has(pid)) alive.set(pid, processAlive(pid));
    if (!alive.get(pid)) unlinkQuiet(`${LOCK_DIR}/${name}`);
  }
}

/**
 * Takes the lock on one port, or returns false when a live process holds (or is taking) it, this
 * one included: reservations made at once in one process (servers started in parallel) must not
 * share a port either.
 */
function lockPort(port: number): boolean {
  if (held.has(port)) return false;
  const mine = lockFile(port, process.pid);
  writeFileSync(mine, '');
  let contested = false;
  for (const name of readdirSync(LOCK_DIR)) {
    const [p, pid] = name.split('.').map(Number);
    if (p !== port || pid === process.pid || pid === undefined) continue;
    if (processAlive(pid)) contested = true;
    else unlinkQuiet(`${LOCK_DIR}/${name}`); // left behind by a killed run
  }
  if (contested) {
    unlinkQuiet(mine);
    return false;
  }
  held.add(port);
  return true;
}

function unlockPort(port: number): void {
  held.delete(port);
  unlinkQuiet(lockFile(port, process.pid));
}

function udpBindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.once('error', () => {
      try {
        s.close();
      } catch {
        // never bound
      }
      resolve(false);
    });
    s.bind(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function tcpBindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * Reserves `count` consecutive free loopback ports (the first one even, as RTP wants) and returns
 * the first. Bounded: gives up after trying the whole range once.
 */
export async function reservePorts(count: number): Promise<number> {
  sweepStaleLocks();
  const blocks = Math.floor((HIGH - LOW + 1) / count);
  const first = Math.floor(Math.random() * blocks);
  for (let i = 0; i < blocks; i++) {
    const start = LOW + ((first + i) % blocks) * count;
    const base = start % 2 === 0 ? start : start + 1;
    if (base + count - 1 > HIGH) continue;
    const taken: number[] = [];
    let ok = true;
    for (let port = base; port < base + count; port++) {
      if (!lockPort(port)) {
        ok = false;
        break;
      }
      taken.push(port);
    }
    if (ok) {
      const checks = await Promise.all(taken.map(async (p) => (await udpBindable(p)) && (await tcpBindable(p))));
      ok = checks.every(Boolean);
    }
    if (ok) return base;
    taken.forEach(unlockPort);
  }
  throw new Error(`no ${count} consecutive free ports on 127.0.0.1 between ${LOW} and ${HIGH}`);
}

/** Releases ports reserved by reservePorts. */
export function releasePorts(base: number, count: number): void {
  for (let port = base; port < base + count; port++) unlockPort(port);
}

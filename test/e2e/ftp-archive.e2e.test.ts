import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { startFtpServer } from './harness/ftp.js';
import { perFile } from './harness/lifecycle.js';

/**
 * `callplan recordings archive` against a real pure-ftpd (Debian's) on loopback: the happy path
 * over FTPS with a CA made by the test, and every fault of issue 8 — the server killed mid-run,
 * a wrong password, an untrusted certificate, a file still being written, a partial remote file
 * — plus a folder the server refuses and a full disk. The CLI runs as a user runs it.
 */
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const STACK = /^\s+at .+:\d+:\d+\)?$/m;
const work = mkdtempSync(path.join(tmpdir(), 'callplan-e2e-archive-'));
afterAll(() => {
  if (!process.env.CALLPLAN_E2E_KEEP) rmSync(work, { recursive: true, force: true });
});

const env = perFile(async () => {
  const ftp = await startFtpServer({ name: 'archive' });
  return { ftp, stop: () => ftp.stop() };
});

// ---------------------------------------------------------------- helpers
interface Made {
  name: string;
  sha256: string;
  size: number;
  /** Where the default layout puts it, below the URL's folder. */
  remote: string;
}

const QUEUES = ['payments', 'identification', 'early_arrears', 'direct'];
const HOURS = 3600 * 1000;

/** `count` recordings (each with a sidecar) across `days` days and the queues above, last modified 3 h ago. */
function makeRecordings(name: string, count: number, options: { days?: number; size?: (i: number) => number } = {}): { dir: string; files: Made[] } {
  const dir = path.join(work, name);
  mkdirSync(dir, { recursive: true });
  const files: Made[] = [];
  const old = (Date.now() - 3 * HOURS) / 1000;
  for (let i = 0; i < count; i++) {
    const day = new Date(Date.UTC(2026, 0, 28 + (i % (options.days ?? 5)), 8 + (i % 9), i % 60, (i * 7) % 60));
    const stamp = day.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
    const queue = QUEUES[i % QUEUES.length]!;
    const base = `${stamp}_${queue}_${2100 + (i % 37)}_${1769580000 + i}.${i}`;
    const folder = `${stamp.slice(0, 4)}/${stamp.slice(4, 6)}/${stamp.slice(6, 8)}/${queue}`;
    const wav = randomBytes(options.size ? options.size(i) : 2048 + ((i * 977) % 30000));
    const json = Buffer.from(JSON.stringify({ file: `${base}.wav`, caller: `+3752912${String(i).padStart(5, '0')}`, queue: queue === 'direct' ? '' : queue, agent: String(2100 + (i % 37)), direction: 'inbound', uniqueid: `${1769580000 + i}.${i}` }));
    for (const [ext, data] of [['wav', wav], ['json', json]] as const) {
      const file = path.join(dir, `${base}.${ext}`);
      writeFileSync(file, data);
      utimesSync(file, old, old);
      files.push({ name: `${base}.${ext}`, sha256: sha(data), size: data.length, remote: `${folder}/${base}.${ext}` });
    }
  }
  return { dir, files };
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every file below a folder, relative to it. */
function tree(root: string): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(path.relative(root, p));
    }
  };
  walk(root);
  return out.sort();
}

/** Every file is on the server exactly once, where the layout says, with the same bytes; nothing else is there. */
function expectArchived(remoteRoot: string, files: Made[]): void {
  expect(tree(remoteRoot)).toEqual(files.map((f) => f.remote).sort());
  for (const f of files) expect(sha(readFileSync(path.join(remoteRoot, f.remote))), f.remote).toBe(f.sha256);
}

const local = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('.')).sort();

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onLine` sees stdout lines as they come (to act in the middle of a run). */
function archive(args: string[], options: { user?: string; password?: string; onLine?: (line: string) => void; timeoutMs?: number } = {}): Promise<Run> {
  const { ftp } = env();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'recordings', 'archive', '--user', options.user ?? ftp.user, '--password', '${env:CALLPLAN_E2E_FTP_PASSWORD}', ...args], {
      env: { ...process.env, CALLPLAN_E2E_FTP_PASSWORD: options.password ?? ftp.password, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      pending += d;
      const lines = pending.split('\n');
      pending = lines.pop()!;
      for (const l of lines) options.onLine?.(l);
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 90_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const report = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout.slice(-3000)}\n--- stderr\n${r.stderr.slice(-3000)}`;

/** No run ever prints a password, a stack trace, or the right password next to a wrong one. */
function expectClean(r: Run, ...secrets: string[]): void {
  for (const s of [env().ftp.password, ...secrets]) expect(r.stdout + r.stderr).not.toContain(s);
  expect(r.stderr).not.toMatch(STACK);
}

// ---------------------------------------------------------------- tests
describe('recordings archive against pure-ftpd', { timeout: 120_000 }, () => {
  it('happy path over FTPS: 200 recordings across days and queues land where the layout says, verified by SHA-256 read back, then deleted locally', async () => {
    const { ftp } = env();
    const { dir, files } = makeRecordings('happy', 200);
    writeFileSync(path.join(dir, 'README.txt'), 'not a recording');
    utimesSync(path.join(dir, 'README.txt'), 0, 0);
    const r = await archive(['--source', dir, '--url', ftp.url('ftps', '/cc-recordings'), '--ca', ftp.caFile, '--verify', 'hash', '--older-than', '2h']);
    expect(r.code, report(r)).toBe(0);
    expectClean(r);
    expect(r.stdout).toMatch(/archiving 200 recordings \(400 files, [\d.]+ MB\) .* to ftps:\/\/127\.0\.0\.1:\d+\/cc-recordings: 4 connections, verify hash/);
    expect(r.stdout).toMatch(/^summary: 200 of 200 recordings archived and verified .*; 0 failed; 1 skipped; 0 not due yet$/m);
    expect(r.stdout).toContain('skipped README.txt: not named like a callplan recording');
    expect(r.stdout.match(/verified: sha256 \(read back\), local deleted\)$/gm)).toHaveLength(200);

    const remoteRoot = path.join(ftp.home, 'cc-recordings');
    expectArchived(remoteRoot, files);
    expect(new Set(files.map((f) => f.remote.split('/').slice(0, 3).join('/'))).size).toBe(5); // five days
    expect(new Set(files.map((f) => f.remote.split('/')[3])).size).toBe(4); // four queues (direct among them)
    expect(local(dir)).toEqual(['README.txt']);

    // Verified by reading each file back (pure-ftpd has no HASH): one upload and one download of
    // every file, the download after the upload.
    const log = ftp.transferLog();
    for (const f of files) {
      const at = `${path.join(remoteRoot, f.remote)}"`;
      const put = log.indexOf(`"PUT ${at} 200 ${f.size}`);
      expect(put, f.remote).toBeGreaterThanOrEqual(0);
      expect(log.indexOf(`"GET ${at} 200 ${f.size}`, put), f.remote).toBeGreaterThan(put);
    }
    // The journal says each was verified, with the hash of what was sent, before it went.
    const journal = readFileSync(path.join(dir, '.callplan-archive.journal'), 'utf8').trim().split('\n').slice(1).map((l) => JSON.parse(l));
    for (const f of files) expect(journal.find((e) => e.file === f.name && e.state === 'verified')?.sha256, f.name).toBe(f.sha256);

    // Run again: nothing is due, nothing moves.
    const again = await archive(['--source', dir, '--url', ftp.url('ftps', '/cc-recordings'), '--ca', ftp.caFile]);
    expect(again.code, report(again)).toBe(0);
    expect(again.stdout).toMatch(/archiving 0 recordings/);
    expectArchived(remoteRoot, files);
  });

  it('the server killed in the middle of a run: exit 6, files kept; after a restart a rerun completes, every file present exactly once, none lost', async () => {
    const { ftp } = env();
    const { dir, files } = makeRecordings('killed', 200, { size: () => 48 * 1024 });
    const url = ftp.url('ftp', '/killed');
    // A slower server (about 1 MB/s per session), so that the kill surely lands mid-run.
    await ftp.kill();
    await ftp.start(['-T', '1024:1024']);
    let archived = 0;
    let killed: Promise<void> | undefined;
    let first: Run;
    try {
      first = await archive(['--source', dir, '--url', url, '--older-than', '1h'], {
        onLine: (l) => {
          if (l.startsWith('archived ') && ++archived === 20) killed = ftp.kill();
        },
      });
      await killed;
    } finally {
      // Whatever happened, the next tests get an unthrottled server.
      await ftp.kill();
      await ftp.start();
    }
    expect(killed, 'the run ended before 20 recordings were archived').toBeDefined();
    expect(first.code, report(first)).toBe(6);
    expectClean(first);
    expect(first.stderr).toMatch(/^FAILED (\S+\.wav|\d+ recordings) not archived: cannot reach 127\.0\.0\.1:\d+: connect ECONNREFUSED/m);
    expect(first.stdout).toMatch(/^summary: (\d+) of 200 recordings archived and verified/m);
    const done = Number(/^summary: (\d+) of 200/m.exec(first.stdout)![1]);
    expect(done).toBeGreaterThanOrEqual(20);
    expect(done).toBeLessThan(200);
    // Nothing lost: each file is still local, or verified on the server.
    const remoteRoot = path.join(ftp.home, 'killed');
    const there = new Set(tree(remoteRoot));
    for (const f of files) {
      const kept = existsSync(path.join(dir, f.name));
      const archivedOk = there.has(f.remote) && sha(readFileSync(path.join(remoteRoot, f.remote))) === f.sha256;
      expect(kept || archivedOk, f.name).toBe(true);
    }

    const rerun = await archive(['--source', dir, '--url', url, '--older-than', '1h']);
    expect(rerun.code, report(rerun)).toBe(0);
    expectClean(rerun);
    expect(rerun.stdout).toMatch(new RegExp(`^summary: ${200 - done} of ${200 - done} recordings archived and verified`, 'm'));
    expectArchived(remoteRoot, files); // exactly once each, no partial file left
    expect(local(dir)).toEqual([]);
  });

  it('a wrong password: exit 7, the login named with where the password comes from, nothing touched', async () => {
    const { ftp } = env();
    const { dir, files } = makeRecordings('wrong-password', 3);
    const wrong = 'Not-the-right-one-42';
    const r = await archive(['--source', dir, '--url', ftp.url('ftps', '/wrong'), '--ca', ftp.caFile], { password: wrong });
    expect(r.code, report(r)).toBe(7);
    expectClean(r, wrong);
    expect(r.stderr).toContain(`callplan: archive did not run: 127.0.0.1:${ftp.port} refused the login of user "${ftp.user}" (530`);
    expect(r.stderr).toContain('hint: Check the user name and the password in ${env:CALLPLAN_E2E_FTP_PASSWORD}');
    expect(r.stderr).toMatch(/3 recordings \(.*\) wait in .*wrong-password, none touched/);
    expect(local(dir)).toEqual(files.map((f) => f.name).sort());
    expect(tree(path.join(ftp.home, 'wrong'))).toEqual([]);
  });

  it('a certificate the client does not trust: exit 7, TLS named, --ca suggested, nothing sent', async () => {
    const { ftp } = env();
    const { dir, files } = makeRecordings('untrusted', 3);
    const r = await archive(['--source', dir, '--url', ftp.url('ftps', '/untrusted')]);
    expect(r.code, report(r)).toBe(7);
    expectClean(r);
    expect(r.stderr).toMatch(new RegExp(`callplan: archive did not run: 127\\.0\\.0\\.1:${ftp.port}: TLS failed: .*(certificate|self.signed)`));
    expect(r.stderr).toContain('--ca FILE');
    expect(local(dir)).toEqual(files.map((f) => f.name).sort());
    expect(tree(path.join(ftp.home, 'untrusted'))).toEqual([]);

    // --insecure goes through, loudly (here keeping the local files: a rerun knows them from its journal).
    const insecure = await archive(['--source', dir, '--url', ftp.url('ftps', '/untrusted'), '--insecure', '--keep-local']);
    expect(insecure.code, report(insecure)).toBe(0);
    expect(insecure.stderr).toMatch(/^WARNING: --insecure: the server's TLS certificate is NOT checked/m);
    expectArchived(path.join(ftp.home, 'untrusted'), files);
    expect(local(dir)).toEqual(files.map((f) => f.name).sort());
    const again = await archive(['--source', dir, '--url', ftp.url('ftps', '/untrusted'), '--insecure', '--keep-local']);
    expect(again.code, report(again)).toBe(0);
    expect(again.stdout).toMatch(/^summary: 0 of 0 recordings archived .*; 3 already archived earlier \(kept locally\)$/m);
  });

  it('a file still being written (open, or modified in the last minute) is not touched', async () => {
    const { ftp } = env();
    const { dir, files } = makeRecordings('writing', 3);
    const [open, fresh] = [files[0]!, files[2]!]; // the .wav of the first and of the second recording
    // A process holding the first recording open for writing, as MixMonitor does; its mtime stays old.
    const writer = spawn('sh', ['-c', 'exec 3>>"$1"; echo ready; exec sleep 60', 'sh', path.join(dir, open.name)], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((resolve) => writer.stdout.once('data', resolve));
      const t = (Date.now() - 10_000) / 1000;
      utimesSync(path.join(dir, fresh.name), t, t);
      const r = await archive(['--source', dir, '--url', ftp.url('ftp', '/writing'), '--older-than', '0s']);
      expect(r.code, report(r)).toBe(0);
      expectClean(r);
      // The writer is sh until it execs sleep (same pid).
      expect(r.stdout).toMatch(new RegExp(`^skipped ${open.name.replace(/\./g, '\\.')}: \\S+ is open for writing by (sleep|sh) \\(pid ${writer.pid}\\)$`, 'm'));
      expect(r.stdout).toContain(`skipped ${fresh.name}: ${fresh.name} was modified less than a minute ago`);
      expect(r.stdout).toMatch(/^summary: 1 of 1 recording archived/m);
      expect(local(dir)).toEqual([open.name, files[1]!.name, fresh.name, files[3]!.name].sort());
      expect(statSync(path.join(dir, open.name)).size).toBe(open.size);
      expectArchived(path.join(ftp.home, 'writing'), files.slice(4));
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('a partial remote file from an earlier crash is replaced and verified (also with --atomic-rename, which leaves no temporary file)', async () => {
    const { ftp } = env();
    for (const atomic of [false, true]) {
      const name = atomic ? 'partial-atomic' : 'partial';
      const { dir, files } = makeRecordings(name, 2, { size: () => 64 * 1024 });
      const root = path.join(ftp.home, name);
      const victim = files[0]!;
      // What a crash left: half the recording under its final name (and, for --atomic-rename, a
      // stale temporary file of the other one).
      const target = path.join(root, victim.remote);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, readFileSync(path.join(dir, victim.name)).subarray(0, 20_000));
      const planted = [target];
      if (atomic) {
        const stale = `${path.join(root, files[2]!.remote)}.callplan-partial`;
        mkdirSync(path.dirname(stale), { recursive: true });
        writeFileSync(stale, 'stale');
        planted.push(stale);
      }
      for (const start of planted) for (let d = start; d !== ftp.home; d = path.dirname(d)) chownSync(d, 65534, 65534);
      const r = await archive(['--source', dir, '--url', ftp.url('ftps', `/${name}`), '--ca', ftp.caFile, '--verify', 'hash', ...(atomic ? ['--atomic-rename'] : [])]);
      expect(r.code, report(r)).toBe(0);
      expectClean(r);
      expect(r.stdout).toContain(`archived ${victim.name} + sidecar → /${name}/${victim.remote} (`);
      expect(r.stdout).toMatch(/verified: sha256 \(read back\), replaced a partial copy of 20\.0 kB, local deleted\)/);
      expectArchived(root, files); // the partial copy replaced; no temporary file left
      expect(local(dir)).toEqual([]);
    }
  });

  it('a folder the server refuses: exit 6, the file and the folder named, what to do, the local file kept', async () => {
    const { ftp } = env();
    const { dir, files } = makeRecordings('denied', 1);
    const day = path.join(ftp.home, 'denied', path.dirname(path.dirname(files[0]!.remote)));
    mkdirSync(day, { recursive: true, mode: 0o755 }); // root's: the FTP user may not create the queue folder
    for (let d = path.dirname(day); d !== ftp.home; d = path.dirname(d)) chownSync(d, 65534, 65534);
    const r = await archive(['--source', dir, '--url', ftp.url('ftp', '/denied')]);
    expect(r.code, report(r)).toBe(6);
    expectClean(r);
    expect(r.stderr).toContain(`FAILED ${files[0]!.name}: 127.0.0.1:${ftp.port} refused to write /denied/${path.dirname(files[0]!.remote)} (550`);
    expect(r.stderr).toMatch(/hint: Give user "recorder" write access to that folder/);
    expect(local(dir)).toEqual(files.map((f) => f.name).sort());
  });

  it('a full disk on the server: exit 6, said so with what to do, the local files kept', async () => {
    // A second server refusing uploads as if its disk were full (pure-ftpd -k 1: at most 1 % used).
    const full = await startFtpServer({ name: 'full', extraArgs: ['-k', '1'] });
    try {
      const { dir, files } = makeRecordings('full', 2);
      const r = await archive(['--source', dir, '--url', full.url('ftp', '/full')], { user: full.user, password: full.password });
      expect(r.code, report(r)).toBe(6);
      expect(r.stdout + r.stderr).not.toContain(full.password);
      expect(r.stderr).toMatch(new RegExp(`FAILED ${files[0]!.name.replace(/\./g, '\\.')}: 127\\.0\\.0\\.1:${full.port} has no space left for /full/.* \\(552`));
      expect(r.stderr).toContain("hint: Free space on the archive server or raise the account's quota");
      expect(r.stdout).toMatch(/^summary: 0 of 2 recordings archived and verified .*; 2 failed;/m);
      expect(local(dir)).toEqual(files.map((f) => f.name).sort());
    } finally {
      await full.stop();
    }
  });
});

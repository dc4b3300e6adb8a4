import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callplan, STACK } from '../helpers/cli.js';

/** `recordings archive` as a user runs it, without a server: help, usage errors, dry runs, an unreachable host. */
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-archive-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PASSWORD = 'Qv7!unprintable-archive-pw';
const ENV = { ARCHIVE_FTP_PASSWORD: PASSWORD, CALLPLAN_DEVICE_MASTER: 'k3J9-vQ2x!Lm8#Rt5Zp7Wc4Yb6Nd1Hs0Fg' };
const OLD = (Date.now() - 3 * 24 * 3600 * 1000) / 1000;

function recordings(name: string, files: string[]): string {
  const dir = path.join(tmp, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    writeFileSync(path.join(dir, f), f.endsWith('.json') ? '{"caller":"+375291234567","direction":"inbound"}' : 'RIFF....WAVE');
    utimesSync(path.join(dir, f), OLD, OLD);
  }
  return dir;
}

const listing = (dir: string) => readdirSync(dir).sort();

/** Secrets the example's build needs besides the archive password (fixed test values). */
const BUILD_ENV = Object.fromEntries(['MOBILE_TRUNK_PASSWORD', 'SNOM_ADMIN_PASSWORD'].map((n) => [n, `Zq8!${createHash('sha256').update(n).digest('base64url').slice(0, 28)}`]));

/** An ExecStart line as systemd splits it: words, "quoted" words with \\ escapes, $$ and %% undoubled. */
function systemdWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)) {
    const w = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]!;
    words.push(w.replace(/\$\$/g, '$').replace(/%%/g, '%'));
  }
  return words;
}

describe('callplan recordings archive', () => {
  it('has help with examples and its exit codes', () => {
    const r = callplan(['recordings', 'archive', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('callplan recordings archive');
    expect(r.stdout).toMatch(/Exit codes: 0 .*6 .*7 /s);
  });

  it('--dry-run shows where each file would go in the project layout, and touches nothing', () => {
    const dir = recordings('dry', ['20260105-081500_payments_2101_1767600900.17.wav', '20260105-081500_payments_2101_1767600900.17.json', 'readme.txt']);
    const r = callplan(['recordings', 'archive', 'examples/payment-center-by', '--source', dir, '--dry-run'], { env: ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`dry run: would archive 1 recording (2 files, `);
    expect(r.stdout).toContain('to ftps://archive.kvantpay.local/cc-recordings');
    expect(r.stdout).toContain('would archive 20260105-081500_payments_2101_1767600900.17.wav → /cc-recordings/2026/01/05/payments/20260105-081500_payments_2101_1767600900.17.wav');
    expect(r.stdout).toContain('would archive 20260105-081500_payments_2101_1767600900.17.json → /cc-recordings/2026/01/05/payments/20260105-081500_payments_2101_1767600900.17.json');
    expect(r.stdout).toMatch(/skipped readme\.txt: not named like a callplan recording/);
    expect(listing(dir)).toEqual(['20260105-081500_payments_2101_1767600900.17.json', '20260105-081500_payments_2101_1767600900.17.wav', 'readme.txt']);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('--dry-run --format json, with the layout and age from flags, needs no password', () => {
    const dir = recordings('json', ['20260105-081500_direct_1001_1.1.wav']);
    const r = callplan(['recordings', 'archive', '--source', dir, '--url', 'ftp://rec@127.0.0.1/root', '--layout', '{agent}/{caller}/{file}', '--older-than', '1d', '--dry-run', '--format', 'json']);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ dryRun: true, selected: 1, exitCode: 0, destination: 'ftp://127.0.0.1/root', wouldArchive: [{ file: '20260105-081500_direct_1001_1.1.wav', remote: '/root/1001/none/20260105-081500_direct_1001_1.1.wav' }] });
  });

  it.each([
    [['--source', '/nonexistent-recordings', '--url', 'ftp://127.0.0.1/', '--user', 'u', '--password', '${env:X}'], /the recordings folder \/nonexistent-recordings does not exist/],
    [['--source', '.', '--url', 'ftp://127.0.0.1/', '--user', 'u', '--password', PASSWORD], /never the password itself/],
    [['--source', '.', '--url', `ftp://u:${PASSWORD}@127.0.0.1/`], /the URL holds a password/],
    [['--source', '.'], /no destination: give --url/],
    [['--source', '.', '--url', 'ftp://127.0.0.1/', '--user', 'u', '--password', '${env:CALLPLAN_TEST_UNSET_PW}'], /\$\{env:CALLPLAN_TEST_UNSET_PW\} is not set/],
    [['--source', '.', '--url', 'ftps://127.0.0.1/', '--user', 'u', '--password', '${env:X}', '--ca', '/nonexistent.pem'], /--ca \/nonexistent\.pem: no such file/],
    [['--source', '.', '--url', 'ftp://127.0.0.1/', '--user', 'u', '--layout', '{year}/{file}', '--dry-run'], /unknown field \{year\}/],
    [['--source', '.', '--url', 'ftp://127.0.0.1/', '--user', 'u', '--parallel', '0', '--dry-run'], /--parallel 0/],
  ])('usage error (exit 2, one line, no stack): %j', (args, message) => {
    const r = callplan(['recordings', 'archive', ...args], { cwd: tmp, env: { X: 'x' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it("the systemd unit the build writes runs a command this CLI accepts", () => {
    const out = path.join(tmp, 'build');
    const built = callplan(['build', 'examples/payment-center-by', '--out', out], { env: { ...ENV, ...BUILD_ENV } });
    expect(built.code, built.stderr + built.stdout).toBe(0);
    const unit = readFileSync(path.join(out, 'archive/callplan-archive.service'), 'utf8');
    const exec = /^ExecStart=(.*)$/m.exec(unit)![1]!;
    const argv = systemdWords(exec);
    expect(argv.slice(0, 4)).toEqual(['/usr/bin/env', 'callplan', 'recordings', 'archive']);
    expect(argv).toContain('${env:ARCHIVE_FTP_PASSWORD}');
    const dir = recordings('unit', ['20260105-081500_payments_2101_1.1.wav']);
    const args = argv.slice(2);
    args[args.indexOf('--source') + 1] = dir;
    const r = callplan([...args, '--dry-run'], { env: ENV });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('would archive 20260105-081500_payments_2101_1.1.wav → /cc-recordings/2026/01/05/payments/20260105-081500_payments_2101_1.1.wav');
  });

  it('a project with errors: exit 1, nothing archived', () => {
    const dir = path.join(tmp, 'bad-project');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'callplan.yaml'), 'version: 1\nrecording:\n  archive: { url: "gopher://x" }\n');
    const r = callplan(['recordings', 'archive', dir, '--dry-run']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/callplan\.yaml:3:\d+: error: .*url/);
  });

  it('an unreachable server: exit 7, the reason and what to do, every file kept, no password', () => {
    const dir = recordings('unreachable', ['20260105-081500_payments_2101_1.1.wav', '20260105-081500_payments_2101_1.1.json']);
    const r = callplan(['recordings', 'archive', '--source', dir, '--url', 'ftp://127.0.0.1:1/', '--user', 'rec', '--password', '${env:ARCHIVE_FTP_PASSWORD}', '--timeout', '5s'], { env: ENV });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(/callplan: archive did not run: cannot reach 127\.0\.0\.1:1: connect ECONNREFUSED/);
    expect(r.stderr).toMatch(/hint: Check the host and port/);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
    expect(listing(dir)).toEqual(['.callplan-archive.journal', '20260105-081500_payments_2101_1.1.json', '20260105-081500_payments_2101_1.1.wav']);
    expect(existsSync(path.join(dir, '.callplan-archive.journal.lock'))).toBe(false);
  });

  it('a folder another run holds: exit 7', () => {
    const dir = recordings('locked', ['20260105-081500_payments_2101_1.1.wav']);
    writeFileSync(path.join(dir, '.callplan-archive.journal.lock'), `${process.pid}\n`);
    const r = callplan(['recordings', 'archive', '--source', dir, '--url', 'ftp://127.0.0.1:1/', '--user', 'rec', '--password', '${env:ARCHIVE_FTP_PASSWORD}'], { env: ENV });
    expect(r.code).toBe(7);
    expect(r.stderr).toMatch(new RegExp(`another archive run \\(pid ${process.pid}\\) is working on this folder`));
  });
});

import { createFsFromVolume, Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { openWriters, type OpenWriters, type ProcFs } from '../../../src/recordings/archive/open-files.js';
import { selectRecordings, SETTLE_MS, type LocalFile } from '../../../src/recordings/archive/select.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;
const DIR = '/var/spool/asterisk/monitor';
const file = (name: string, ageMs: number, size = 1000): LocalFile => ({ name, path: `${DIR}/${name}`, size, mtimeMs: NOW - ageMs });
const none: OpenWriters = { byPath: new Map(), uninspectable: 0, inspected: true };
const base = { now: NOW, olderThanMs: 2 * HOUR, settleMs: SETTLE_MS, openWriters: none, verifiedBefore: () => false, keepLocal: false };

describe('selection of what to archive', () => {
  it('pairs each recording with its sidecar, oldest first, and leaves other files alone', () => {
    const s = selectRecordings(
      [
        file('20260301-080000_sales_1002_2.2.wav', 3 * HOUR, 5000),
        file('20260301-070000_sales_1001_1.1.json', 3 * HOUR, 200),
        file('20260301-070000_sales_1001_1.1.wav', 3 * HOUR, 4000),
        file('notes.txt', 3 * HOUR),
        file('.callplan-archive.journal', 0),
        file('.callplan-archive.journal.lock', 0),
      ],
      base,
    );
    expect(s.selected.map((u) => [u.name, u.files.map((f) => f.name), u.bytes])).toEqual([
      ['20260301-070000_sales_1001_1.1.wav', ['20260301-070000_sales_1001_1.1.wav', '20260301-070000_sales_1001_1.1.json'], 4200],
      ['20260301-080000_sales_1002_2.2.wav', ['20260301-080000_sales_1002_2.2.wav'], 5000],
    ]);
    expect(s.skipped).toEqual([{ file: 'notes.txt', reason: expect.stringMatching(/not named like a callplan recording/) }]);
  });

  it('a sidecar whose recording is gone is archived on its own', () => {
    const s = selectRecordings([file('20260301-070000_sales_1001_1.1.json', 3 * HOUR)], base);
    expect(s.selected.map((u) => u.name)).toEqual(['20260301-070000_sales_1001_1.1.json']);
  });

  it('leaves files younger than --older-than for later, counting them', () => {
    const s = selectRecordings([file('20260301-110000_sales_1001_1.1.wav', HOUR), file('20260301-080000_sales_1002_2.2.wav', 3 * HOUR)], base);
    expect(s.selected.map((u) => u.name)).toEqual(['20260301-080000_sales_1002_2.2.wav']);
    expect(s.notDue).toBe(1);
    expect(s.skipped).toEqual([]);
  });

  it('a recording is due only when its sidecar is too', () => {
    const s = selectRecordings([file('20260301-080000_sales_1002_2.2.wav', 3 * HOUR), file('20260301-080000_sales_1002_2.2.json', HOUR)], base);
    expect(s.selected).toEqual([]);
    expect(s.notDue).toBe(1);
  });

  it('never takes a file modified in the last minute, even with --older-than 0', () => {
    const s = selectRecordings([file('20260301-115959_sales_1001_1.1.wav', 30_000), file('20260301-115000_sales_1002_2.2.wav', 61_000)], { ...base, olderThanMs: 0 });
    expect(s.selected.map((u) => u.name)).toEqual(['20260301-115000_sales_1002_2.2.wav']);
    expect(s.skipped).toEqual([{ file: '20260301-115959_sales_1001_1.1.wav', reason: '20260301-115959_sales_1001_1.1.wav was modified less than a minute ago (Asterisk may still be writing it)' }]);
  });

  it('never takes a file a process holds open for writing, however old', () => {
    const open: OpenWriters = { byPath: new Map([[`${DIR}/20260301-070000_sales_1001_1.1.wav`, { pid: 4242, command: 'asterisk' }]]), uninspectable: 0, inspected: true };
    const s = selectRecordings([file('20260301-070000_sales_1001_1.1.wav', 5 * HOUR), file('20260301-070000_sales_1001_1.1.json', 5 * HOUR)], { ...base, openWriters: open });
    expect(s.selected).toEqual([]);
    expect(s.skipped).toEqual([{ file: '20260301-070000_sales_1001_1.1.wav', reason: '20260301-070000_sales_1001_1.1.wav is open for writing by asterisk (pid 4242)' }]);
  });

  it('with --keep-local, files an earlier run verified are not selected again; without it they are (to be checked and deleted)', () => {
    const files = [file('20260301-070000_sales_1001_1.1.wav', 5 * HOUR), file('20260301-080000_sales_1002_2.2.wav', 5 * HOUR)];
    const verifiedBefore = (f: LocalFile) => f.name.includes('1001');
    const kept = selectRecordings(files, { ...base, keepLocal: true, verifiedBefore });
    expect(kept.selected.map((u) => u.name)).toEqual(['20260301-080000_sales_1002_2.2.wav']);
    expect(kept.alreadyArchived).toBe(1);
    expect(selectRecordings(files, { ...base, verifiedBefore }).selected).toHaveLength(2);
  });
});

describe('open files from /proc (memfs)', () => {
  function proc(): ProcFs {
    const vol = Volume.fromJSON({
      '/proc/100/comm': 'asterisk\n',
      '/proc/100/fdinfo/5': 'pos:\t0\nflags:\t0100001\nmnt_id:\t20\n', // O_WRONLY
      '/proc/100/fdinfo/6': 'pos:\t0\nflags:\t0100000\n', // O_RDONLY
      '/proc/100/fdinfo/7': 'pos:\t0\nflags:\t02100002\n', // O_RDWR
      '/proc/100/fdinfo/8': 'flags:\t0100001\n',
      '/proc/200/comm': 'sox\n',
      '/proc/self/comm': 'node\n',
      [`${DIR}/a.wav`]: '',
    });
    vol.mkdirSync('/proc/100/fd', { recursive: true });
    vol.symlinkSync(`${DIR}/a.wav`, '/proc/100/fd/5');
    vol.symlinkSync(`${DIR}/b.wav`, '/proc/100/fd/6');
    vol.symlinkSync(`${DIR}/c.wav`, '/proc/100/fd/7');
    vol.symlinkSync('/var/log/asterisk/full', '/proc/100/fd/8');
    const fs = createFsFromVolume(vol);
    return {
      readdirSync: (p) => {
        if (p === '/proc/200/fd') throw Object.assign(new Error('EACCES'), { code: 'EACCES' });
        return (fs.readdirSync(p) as string[]).map(String);
      },
      readlinkSync: (p) => String(fs.readlinkSync(p)),
      readFileSync: (p, e) => String(fs.readFileSync(p, e)),
    };
  }

  it('finds writers in the folder only, and counts processes it may not inspect', () => {
    const w = openWriters(DIR, '/proc', proc());
    expect([...w.byPath]).toEqual([
      [`${DIR}/a.wav`, { pid: 100, command: 'asterisk' }],
      [`${DIR}/c.wav`, { pid: 100, command: 'asterisk' }],
    ]);
    expect(w.uninspectable).toBe(1);
    expect(w.inspected).toBe(true);
  });

  it('without /proc nothing is known to be open', () => {
    expect(openWriters(DIR, '/nowhere', proc())).toEqual({ byPath: new Map(), uninspectable: 0, inspected: false });
  });

  it('sees a real writer on this machine (Linux)', async () => {
    const { mkdtempSync, openSync, closeSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(`${tmpdir()}/cp-open-`);
    const fd = openSync(`${dir}/x.wav`, 'a');
    try {
      const w = openWriters(dir);
      expect(w.byPath.get(`${dir}/x.wav`)?.pid).toBe(process.pid);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { createFsFromVolume, Volume } from 'memfs';
import { describe, expect, it } from 'vitest';
import { Journal, type JournalEntry, type JournalFs } from '../../../src/recordings/archive/journal.js';

const FILE = '/spool/monitor/.callplan-archive.journal';

function memfs(files: Record<string, string> = {}) {
  const vol = Volume.fromJSON({ '/spool/monitor/keep': '', ...files });
  const fs = createFsFromVolume(vol);
  const calls: string[] = [];
  const p = fs.promises;
  // Record what reaches the disk, to check the order of writes, fsyncs and renames.
  const traced: JournalFs = {
    readFile: (f, e) => p.readFile(f, e) as Promise<string>,
    rename: async (a, b) => {
      calls.push(`rename ${a} ${b}`);
      await p.rename(a, b);
    },
    unlink: (f) => p.unlink(f),
    open: async (f, flags) => {
      const h = await p.open(f, flags);
      calls.push(`open ${f} ${flags}`);
      return {
        write: async (d: Uint8Array) => {
          calls.push(`write ${f}`);
          return h.write(d);
        },
        sync: async () => {
          calls.push(`sync ${f}`);
          await h.datasync(); // memfs's FileHandle types name only datasync
        },
        close: () => h.close(),
      };
    },
  };
  return { vol, fs: traced, calls, read: () => String(vol.readFileSync(FILE, 'utf8')) };
}

const entry = (file: string, state: JournalEntry['state'], extra: Partial<JournalEntry> = {}): JournalEntry => ({
  file,
  state,
  size: 100,
  mtimeMs: 1_700_000_000_000,
  remote: `/arch/${file}`,
  at: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('archive journal (memfs)', () => {
  it('starts empty when there is none, and reads back what it recorded', async () => {
    const m = memfs();
    const j = await Journal.open(m.fs, FILE);
    expect(j.all()).toEqual([]);
    await j.compact(() => true);
    await j.record([entry('a.wav', 'verified', { size: 50 })], false);
    await j.record([entry('a.wav', 'verified', { sha256: 'ab'.repeat(32) }), entry('a.json', 'verified')], true);
    await j.close();
    const again = await Journal.open(m.fs, FILE);
    expect(again.get('a.wav')).toMatchObject({ state: 'verified', sha256: 'ab'.repeat(32) });
    expect(again.isVerified('a.wav', 100, 1_700_000_000_000)).toBe(true);
    expect(again.isVerified('a.wav', 101, 1_700_000_000_000)).toBe(false); // another file under the same name
    expect(again.isVerified('a.wav', 100, 1_700_000_000_001)).toBe(false);
    expect(again.unreadableLines).toBe(0);
  });

  it('a durable record is written and fsynced before it resolves', async () => {
    const m = memfs();
    const j = await Journal.open(m.fs, FILE);
    await j.record([entry('a.wav', 'verified')], true);
    expect(m.calls).toEqual([`open ${FILE} a`, `write ${FILE}`, `sync ${FILE}`]);
    expect(m.read()).toContain('"file":"a.wav","state":"verified"');
  });

  it('concurrent records share one write and one fsync', async () => {
    const m = memfs();
    const j = await Journal.open(m.fs, FILE);
    const first = j.record([entry('a.wav', 'verified')], true);
    const rest = Promise.all([j.record([entry('b.wav', 'verified')], true), j.record([entry('c.wav', 'verified')], false)]);
    await Promise.all([first, rest]);
    // Three records, fewer writes and fsyncs: they are shared.
    expect(m.calls.filter((c) => c.startsWith('write')).length).toBeLessThan(3);
    expect(m.calls.filter((c) => c.startsWith('sync')).length).toBeLessThan(3);
    const again = await Journal.open(m.fs, FILE);
    expect(again.all().map((e) => e.file).sort()).toEqual(['a.wav', 'b.wav', 'c.wav']);
  });

  it('a record nothing waits on (keep-local) is written a moment later, together with others, or at close; never fsynced on its own', async () => {
    const m = memfs();
    const j = await Journal.open(m.fs, FILE);
    const a = j.record([entry('a.wav', 'verified')], false);
    const b = j.record([entry('b.wav', 'verified')], false);
    expect(m.calls).toEqual([]);
    await Promise.all([a, b]);
    expect(m.calls).toEqual([`open ${FILE} a`, `write ${FILE}`]);
    void j.record([entry('c.wav', 'verified')], false);
    await j.close();
    expect(m.calls.filter((c) => c.startsWith('write'))).toHaveLength(2);
    expect((await Journal.open(m.fs, FILE)).all().map((e) => e.file).sort()).toEqual(['a.wav', 'b.wav', 'c.wav']);
  });

  it('a lazy flush that finds nothing left to write does not stall later records', async () => {
    const m = memfs();
    const j = await Journal.open(m.fs, FILE);
    void j.record([entry('a.wav', 'verified')], false); // a timer for a
    const b = j.record([entry('b.wav', 'verified')], true); // writes a and b now
    const c = j.record([entry('c.wav', 'verified')], false); // a timer for c, but the running write takes c too
    await Promise.all([b, c]);
    await new Promise((r) => setTimeout(r, 300)); // c's timer fires with nothing left to write
    const d = j.record([entry('d.wav', 'verified')], true);
    const settled = await Promise.race([d.then(() => 'written'), new Promise((r) => setTimeout(() => r('stalled'), 2000))]);
    expect(settled).toBe('written');
    await j.close();
  });

  it('ignores a line cut short by a crash, and counts it', async () => {
    const good = JSON.stringify(entry('a.wav', 'verified'));
    const m = memfs({ [FILE]: `{"callplan-archive-journal":1}\n${good}\n{"file":"b.wav","state":"verif` });
    const j = await Journal.open(m.fs, FILE);
    expect(j.all().map((e) => e.file)).toEqual(['a.wav']);
    expect(j.unreadableLines).toBe(1);
  });

  it('ignores lines that are JSON but not records', async () => {
    const m = memfs({ [FILE]: `${JSON.stringify({ file: 'x', state: 'uploading' })}\n[1,2]\nnull\n${JSON.stringify(entry('a.wav', 'verified'))}\n` });
    const j = await Journal.open(m.fs, FILE);
    expect(j.all().map((e) => e.file)).toEqual(['a.wav']);
    expect(j.unreadableLines).toBe(3);
  });

  it('compacts atomically: a temporary file, fsync, then one rename; only the kept files stay', async () => {
    const lines = ['a.wav', 'b.wav', 'c.wav'].map((f) => JSON.stringify(entry(f, 'verified'))).join('\n');
    const m = memfs({ [FILE]: `${lines}\n${JSON.stringify(entry('b.wav', 'verified', { size: 7 }))}\n` });
    const j = await Journal.open(m.fs, FILE);
    await j.compact((f) => f !== 'a.wav');
    const tmp = `${FILE}.tmp-${process.pid}`;
    expect(m.calls).toEqual([`open ${tmp} w`, `write ${tmp}`, `sync ${tmp}`, `rename ${tmp} ${FILE}`]);
    expect(m.vol.existsSync(tmp)).toBe(false);
    const text = m.read();
    expect(text.split('\n').filter(Boolean)).toHaveLength(3); // header + b + c
    expect(text.startsWith('{"callplan-archive-journal":1}\n')).toBe(true);
    const again = await Journal.open(m.fs, FILE);
    expect(again.get('a.wav')).toBeUndefined();
    expect(again.get('b.wav')?.size).toBe(7); // the last record of a file wins
    // Appends go to the new file.
    await again.record([entry('d.wav', 'verified')], true);
    expect((await Journal.open(m.fs, FILE)).all().map((e) => e.file).sort()).toEqual(['b.wav', 'c.wav', 'd.wav']);
  });

  it('a failed write rejects the records waiting on it, and the journal still works afterwards', async () => {
    const m = memfs();
    let fail = true;
    const flaky: JournalFs = {
      ...m.fs,
      open: async (f, flags) => {
        const h = await m.fs.open(f, flags);
        return { ...h, write: async (d: Uint8Array) => (fail ? Promise.reject(Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' })) : h.write(d)), sync: () => h.sync(), close: () => h.close() };
      },
    };
    const j = await Journal.open(flaky, FILE);
    await expect(j.record([entry('a.wav', 'verified')], true)).rejects.toThrow(/ENOSPC/);
    fail = false;
    await j.record([entry('b.wav', 'verified')], true);
    await j.close();
  });
});

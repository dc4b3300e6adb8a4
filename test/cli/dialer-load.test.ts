import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { callplan, REPO, STACK } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PROJECT = path.join(REPO, 'examples/debt-collection-pl');
const SAMPLE = path.join(PROJECT, 'lists/mid-arrears.csv');

function contacts(state: string): { id: string; numbers: string; fields: string; case_number: string | null }[] {
  const db = new Database(path.join(state, 'dialer.sqlite'), { readonly: true });
  try {
    return db.prepare("SELECT id, numbers, fields, case_number FROM contacts WHERE campaign = 'mid-arrears' ORDER BY seq").all() as never;
  } finally {
    db.close();
  }
}

describe('callplan dialer load', () => {
  it("loads the campaign's list with its own columns; the same file again changes nothing", () => {
    const state = path.join(tmp, 'sample');
    const first = callplan(['dialer', 'load', '--campaign', 'mid-arrears', SAMPLE, PROJECT, '--state', state]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/5 row\(s\): 5 loaded into campaign mid-arrears, 0 already there, 0 skipped/);
    const rows = contacts(state);
    expect(rows).toHaveLength(5);
    // Numbers in the campaign's order (mobile, home, work), empty cells left out; its fields kept for the screen.
    expect(JSON.parse(rows[0]!.numbers)).toEqual([
      { number: '48600100201', type: 'mobile' },
      { number: '48224001122', type: 'landline' },
    ]);
    expect(JSON.parse(rows[0]!.fields)).toMatchObject({ case_id: 'VC-2026-0418871', creditor: 'Bank Pomorski', amount_due: '1840.22' });
    const again = callplan(['dialer', 'load', '--campaign', 'mid-arrears', SAMPLE, PROJECT, '--state', state, '--format', 'json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ loaded: 0, alreadyThere: 5, skipped: [] });
    expect(contacts(state)).toEqual(rows);
  });

  it('skips bad rows by line and reason with exit 12, keeps the good ones; --dry-run writes nothing', () => {
    const state = path.join(tmp, 'bad');
    const csv = path.join(tmp, 'bad.csv');
    writeFileSync(csv, 'Client no;Mobile;Home;Name\nK-1;601 100 200;;Jan\nK-2;zero;;Anna\nK-3;;;Piotr\nK-4;+48 601 100 201;22 100 20 30;Maria\n');
    const args = ['dialer', 'load', '--campaign', 'mid-arrears', csv, PROJECT, '--state', state, '--map', 'id="Client no",number1=Mobile', '--map', 'Home=number2'];
    const dry = callplan([...args, '--dry-run']);
    expect(dry.code).toBe(12);
    expect(dry.stdout).toMatch(/4 row\(s\): 2 would be loaded .* 2 skipped \(dry run: nothing written\)/);
    expect(existsSync(path.join(state, 'dialer.sqlite'))).toBe(false);
    const real = callplan(args);
    expect(real.code).toBe(12);
    expect(real.stdout).toContain(`${csv}:3: skipped: number1 (Mobile): "zero" has characters a phone number cannot hold`);
    expect(real.stdout).toContain(`${csv}:4: skipped: no phone number`);
    expect(contacts(state).map((c) => [c.id, JSON.parse(c.numbers).map((n: { number: string }) => n.number)])).toEqual([
      ['K-1', ['48601100200']],
      ['K-4', ['48601100201', '48221002030']],
    ]);
  });

  it('exits 1 when every row is bad, 2 for an unknown campaign or a column that is not there; never a stack trace', () => {
    const csv = path.join(tmp, 'allbad.csv');
    writeFileSync(csv, 'phone_mobile\nnope\n');
    const state = path.join(tmp, 'allbad');
    const all = callplan(['dialer', 'load', '--campaign', 'mid-arrears', csv, PROJECT, '--state', state]);
    expect(all.code).toBe(1);
    const unknown = callplan(['dialer', 'load', '--campaign', 'nope', csv, PROJECT, '--state', state]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--campaign nope: no such campaign \(there are: .*mid-arrears/);
    const column = callplan(['dialer', 'load', '--campaign', 'mid-arrears', csv, PROJECT, '--state', state, '--map', 'number2=Home']);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/--map number2=Home: no such column; the header has "phone_mobile"/);
    for (const r of [all, unknown, column]) expect(r.stderr).not.toMatch(STACK);
  });
});

describe('callplan dialer load as root', () => {
  it("leaves the database files to the state directory's owner (the daemon's user), not to root", () => {
    // The tests run as root (as the end-to-end tests must); the daemon's user is played by nobody.
    expect(process.getuid!()).toBe(0);
    const state = path.join(tmp, 'owned');
    mkdirSync(state, { mode: 0o700 });
    chownSync(state, 65534, 65534);
    const r = callplan(['dialer', 'load', '--campaign', 'mid-arrears', SAMPLE, PROJECT, '--state', state]);
    expect(r.code).toBe(0);
    const st = statSync(path.join(state, 'dialer.sqlite'));
    expect([st.uid, st.gid]).toEqual([65534, 65534]);
  });
});

describe('callplan dialer load: do-not-call lists', () => {
  it("loads the campaign's do-not-call files with its contacts, once, naming bad lines", () => {
    const project = path.join(tmp, 'project-dnc');
    cpSync(PROJECT, project, { recursive: true });
    const campaigns = path.join(project, 'contact-center/campaigns.yaml');
    writeFileSync(campaigns, readFileSync(campaigns, 'utf8').replace('      file: lists/mid-arrears.csv\n', '      file: lists/mid-arrears.csv\n      do_not_call: [lists/refused.csv]\n'));
    writeFileSync(path.join(project, 'lists/refused.csv'), 'number,added\n+48 600 100 201,2026-01-05\n511 200 302,2026-01-06\nunknown,2026-01-07\n');
    const state = path.join(tmp, 'dnc');
    const first = callplan(['dialer', 'load', '--campaign', 'mid-arrears', path.join(project, 'lists/mid-arrears.csv'), project, '--state', state]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(12);
    expect(first.stdout).toContain('do-not-call lists/refused.csv: 2 number(s), 2 added, 1 line(s) skipped');
    expect(first.stdout).toContain('lists/refused.csv:4: skipped: "unknown" has characters a phone number cannot hold');
    const db = new Database(path.join(state, 'dialer.sqlite'), { readonly: true });
    expect(db.prepare('SELECT number, source FROM do_not_call ORDER BY number').all()).toEqual([
      { number: '48511200302', source: 'file:lists/refused.csv' },
      { number: '48600100201', source: 'file:lists/refused.csv' },
    ]);
    db.close();
    const again = callplan(['dialer', 'load', '--campaign', 'mid-arrears', path.join(project, 'lists/mid-arrears.csv'), project, '--state', state, '--format', 'json']);
    expect(JSON.parse(again.stdout).doNotCall).toEqual([{ file: 'lists/refused.csv', numbers: 2, added: 0, skipped: [{ line: 4, reasons: ['"unknown" has characters a phone number cannot hold'] }] }]);
  });
});

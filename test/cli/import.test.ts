import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callplan, REPO, STACK } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-import-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const FIXTURE = path.join(REPO, 'test/fixtures/import/project');

/** A fresh copy of the minimal project to import into. */
function freshProject(name: string): string {
  const dir = path.join(tmp, name);
  cpSync(FIXTURE, dir, { recursive: true });
  return dir;
}

const FIRST = ['Jan', 'Anna', 'Piotr', 'Katarzyna', 'Tomasz', 'Małgorzata', 'Paweł', 'Agnieszka', 'Michał', 'Zofia', 'Łukasz', 'Ewa'];
const LAST = ['Kowalski', 'Nowak', 'Wiśniewski', 'Wójcik', 'Kamińska', 'Lewandowski', 'Zielińska', 'Szymański', 'Dąbrowska', 'Kozłowski'];
const OFFICES = [
  { site: 'Warsaw', team: 'Collections WAW' },
  { site: 'KRAKOW', team: 'collections-krk' },
  { site: 'gdansk', team: 'Office GDN' },
];
const MODELS = ['D785', 'snom D735', 'D385', '760'];

interface Bad {
  /** What the report must say about the row. */
  reason: RegExp;
  row: (i: number) => string[];
}

/**
 * A dozen bad rows of different kinds, at these positions among 350; every other row is good.
 * Columns: Ext; Full name; E-mail; MAC address; Phone model; Location; Team; Notes; SIP password.
 */
const BAD = new Map<number, Bad>([
  // Row 5 is on line 8: row 3 holds a note on two lines.
  [7, { reason: /MAC 00:04:13:00:00:05 already used by 2005 \S+ \S+ \(line 8\)/, row: (i) => good(i, { mac: '00:04:13:00:00:05', model: 'D785' }) }],
  [30, { reason: /extension 2010 already used by 2010 \S+ \S+ \(line \d+\)/, row: (i) => good(i, { ext: '2010' }) }],
  [55, { reason: /extension 1001 already used by 1001 Anna Kowalska in .*users\/staff\.yaml:2/, row: (i) => good(i, { ext: '1001' }) }],
  [81, { reason: /MAC 00-04-13-4a-1b-2c already used by 1001 Anna Kowalska in .*users\/staff\.yaml:2/, row: (i) => good(i, { mac: '00-04-13-4a-1b-2c', model: 'D785' }) }],
  [102, { reason: /MAC 00:15:65:12:34:56 does not start with SNOM's prefix 00:04:13/, row: (i) => good(i, { mac: '00:15:65:12:34:56', model: 'D785' }) }],
  [140, { reason: /"00:04:13:GG:00:01" is not a MAC address/, row: (i) => good(i, { mac: '00:04:13:GG:00:01', model: 'D785' }) }],
  [166, { reason: /unknown model "Yealink T46S"/, row: (i) => good(i, { mac: '00:04:13:77:00:01', model: 'Yealink T46S' }) }],
  [199, { reason: /invalid extension "21x9": 2 to 8 digits/, row: (i) => good(i, { ext: '21x9' }) }],
  [230, { reason: /no name/, row: (i) => good(i, { name: '' }) }],
  [260, { reason: /unknown site "Poznan"/, row: (i) => good(i, { site: 'Poznan' }) }],
  [301, { reason: /unknown group "sales"/, row: (i) => good(i, { team: 'sales' }) }],
  [333, { reason: /SNOM D785 without a MAC/, row: (i) => good(i, { mac: '', model: 'D785' }) }],
]);

function good(i: number, change: Partial<Record<'ext' | 'name' | 'mac' | 'model' | 'site' | 'team', string>> = {}): string[] {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7) % LAST.length]!;
  const office = OFFICES[i % OFFICES.length]!;
  // Two rows in five have a desk phone, as in the field notes' 140 of 350.
  const phone = i % 5 < 2;
  const name = change.name ?? (i === 12 ? `${last}, ${first}` : `${first} ${last}`);
  return [
    change.ext ?? String(2000 + i),
    name,
    `${first}.${last}.${i}@example.pl`.toLowerCase(),
    change.mac ?? (phone ? `00:04:13:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}` : ''),
    change.model ?? (phone ? MODELS[i % MODELS.length]! : ''),
    change.site ?? office.site,
    change.team ?? office.team,
    i === 3 ? 'Moved desks;\nsee ticket 42' : '',
    'Secret-123',
  ];
}

/** people.csv as Excel writes it: UTF-8 with a byte-order mark, ; between fields, CRLF, quotes where needed. */
function peopleCsv(): { text: string; lines: Map<number, number> } {
  const quote = (f: string) => (/[;"\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);
  const records = [['Ext', 'Full name', 'E-mail', 'MAC address', 'Phone model', 'Location', 'Team', 'Notes', 'SIP password']];
  for (let i = 0; i < 350; i++) records.push(BAD.get(i)?.row(i) ?? good(i));
  const lines = new Map<number, number>();
  let line = 1;
  const out: string[] = [];
  records.forEach((r, k) => {
    if (k > 0) lines.set(k - 1, line);
    const text = r.map(quote).join(';');
    out.push(text);
    line += 1 + (text.match(/\n/g)?.length ?? 0);
  });
  // A line break inside a cell stays \n, as Excel writes it.
  return { text: '\uFEFF' + out.join('\r\n') + '\r\n', lines };
}

const CSV = peopleCsv();
const csvFile = path.join(tmp, 'people.csv');
writeFileSync(csvFile, CSV.text);
const STRONG = { CALLPLAN_DEVICE_MASTER: 'k3J9-vQ2x!Lm8#Rt5Zp7Wc4Yb6Nd1Hs0Fg' };

/** Every file of a project, path → content, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = readFileSync(p, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('callplan import', () => {
  it('has help with examples', () => {
    const r = callplan(['import', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('callplan import people.csv --dry-run');
  });

  it('imports 350 rows: the good ones become valid YAML, each bad row is named with its line and reason', () => {
    const dir = freshProject('imported');
    const r = callplan(['import', 'people.csv', dir], { cwd: tmp });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(5);
    const skipped = r.stdout.split('\n').filter((l) => l.includes(': skipped '));
    expect(skipped).toHaveLength(BAD.size);
    for (const [i, bad] of BAD) {
      const line = CSV.lines.get(i)!;
      const hit = skipped.find((l) => l.startsWith(`people.csv:${line}: skipped `));
      expect(hit, `row ${i} on line ${line}`).toBeDefined();
      expect(hit).toMatch(bad.reason);
    }
    expect(r.stdout).toContain('people.csv: 350 rows: 338 imported, 12 skipped (UTF-8, semicolon-separated)');
    expect(r.stdout).toMatch(/created users\/imported-gdansk\.yaml: \d+ users/);
    expect(r.stdout).toMatch(/note: not imported: "SIP password"/);

    const files = ['gdansk', 'krakow', 'warsaw'].map((s) => readFileSync(path.join(dir, `users/imported-${s}.yaml`), 'utf8'));
    const all = files.join('\n');
    expect(all.match(/^ {2}- extension: /gm)).toHaveLength(338);
    expect(all).not.toContain('Secret-123');
    expect(all).toContain(`name: ${good(12)[1]}`);
    expect(good(12)[1]).toMatch(/^\S+, Jan$/);
    expect(all).toContain('group: collections-waw');
    expect(all).toMatch(/- \{ type: snom, model: D735, mac: "00:04:13:00:00:01" \}/);
    const validate = callplan(['validate', dir], { env: STRONG });
    expect(validate.stdout).toBe('no problems found\n');
    expect(validate.code).toBe(0);
  });

  it('--dry-run prints the same report and writes nothing', () => {
    const dir = freshProject('dry');
    const before = snapshot(dir);
    const dry = callplan(['import', 'people.csv', dir, '--dry-run'], { cwd: tmp });
    expect(dry.code).toBe(5);
    expect(snapshot(dir)).toEqual(before);
    const real = callplan(['import', 'people.csv', dir], { cwd: tmp });
    const skippedOf = (out: string) => out.split('\n').filter((l) => l.includes(': skipped '));
    expect(skippedOf(dry.stdout)).toEqual(skippedOf(real.stdout));
    expect(dry.stdout).toContain('would create users/imported-warsaw.yaml');
    expect(dry.stdout).toContain('dry run: nothing was written');
  });

  it('refuses to overwrite an existing file without --force; --force replaces it', () => {
    const dir = freshProject('again');
    expect(callplan(['import', 'people.csv', dir], { cwd: tmp }).code).toBe(5);
    const before = snapshot(dir);
    const again = callplan(['import', 'people.csv', dir], { cwd: tmp });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/users\/imported-gdansk\.yaml, users\/imported-krakow\.yaml, users\/imported-warsaw\.yaml already exist; run again with --force/);
    expect(again.stderr + again.stdout).not.toMatch(STACK);
    expect(snapshot(dir)).toEqual(before);

    const forced = callplan(['import', 'people.csv', dir, '--force', '--format', 'json'], { cwd: tmp });
    expect(forced.code).toBe(5);
    const report = JSON.parse(forced.stdout);
    expect(report).toMatchObject({ rows: 350, imported: 338, skipped: 12, include: { status: 'covered' } });
    expect(report.files.map((f: { action: string }) => f.action)).toEqual(['replace', 'replace', 'replace']);
    expect(report.skippedRows.map((s: { line: number }) => s.line)).toEqual([...BAD.keys()].map((i) => CSV.lines.get(i)));
    expect(snapshot(dir)).toEqual(before);
  });

  it('exits 0 when every row is imported, and adds the include a project lacks', () => {
    const dir = freshProject('clean');
    const yaml = readFileSync(path.join(dir, 'callplan.yaml'), 'utf8').replace('include:\n  - users/*.yaml\n', 'include:\n  - users/staff.yaml\n');
    writeFileSync(path.join(dir, 'callplan.yaml'), yaml);
    writeFileSync(path.join(tmp, 'clean.csv'), 'Extension,Name,Site\n3001,Jan Nowak,warsaw\n3002,Ewa Lis,krakow\n');
    const r = callplan(['import', 'clean.csv', dir, '--split', 'none'], { cwd: tmp });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('added users/imported*.yaml to include in clean/callplan.yaml');
    expect(readFileSync(path.join(dir, 'callplan.yaml'), 'utf8')).toBe(yaml.replace('  - users/staff.yaml\n', '  - users/staff.yaml\n  - users/imported*.yaml\n'));
    expect(callplan(['validate', dir]).code).toBe(0);
  });

  it('exits 1 on a CSV it cannot read or when no row can be imported, 2 on a wrong encoding or column', () => {
    const dir = freshProject('errors');
    writeFileSync(path.join(tmp, 'broken.csv'), 'Ext,Name\n3001,Jan\n3002,"Ewa\n3003,Piotr\n');
    const broken = callplan(['import', 'broken.csv', dir], { cwd: tmp });
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^broken\.csv:3: error: a quoted field is never closed/);

    writeFileSync(path.join(tmp, 'none.csv'), 'Ext,Name\n1001,Jan\n');
    const none = callplan(['import', 'none.csv', dir, '--site', 'warsaw'], { cwd: tmp });
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('none.csv:2: skipped 1001 Jan — extension 1001 already used by 1001 Anna Kowalska');

    writeFileSync(path.join(tmp, 'cp1250.csv'), Buffer.from([...Buffer.from('Ext;Name\n3001;'), 0xa3, 0xf3, 0x64, 0x9f, 0x0a]));
    const encoded = callplan(['import', 'cp1250.csv', dir], { cwd: tmp });
    expect(encoded.code).toBe(2);
    expect(encoded.stderr).toMatch(/not valid UTF-8 \(line 2\).*--encoding windows-1250/);
    const decoded = callplan(['import', 'cp1250.csv', dir, '--encoding', 'windows-1250', '--site', 'gdansk', '--format', 'json'], { cwd: tmp });
    expect(decoded.code).toBe(0);
    expect(readFileSync(path.join(dir, 'users/imported-gdansk.yaml'), 'utf8')).toContain('name: Łódź');

    const column = callplan(['import', 'people.csv', dir, '--map', 'mac=Hardware'], { cwd: tmp });
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/--map mac=Hardware: no such column; the header has "Ext", "Full name"/);
    for (const r of [broken, none, encoded, column]) expect(r.stderr + r.stdout).not.toMatch(STACK);
    expect(existsSync(path.join(dir, 'users/imported-warsaw.yaml'))).toBe(false);
  });
});

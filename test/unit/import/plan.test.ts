import { describe, expect, it } from 'vitest';
import { resolveColumns } from '../../../src/import/columns.js';
import { parseCsv } from '../../../src/import/csv.js';
import { readExistingProject } from '../../../src/import/existing.js';
import { fileFor, planImport, type PlanOptions } from '../../../src/import/plan.js';
import { loadFiles } from '../../../src/model/load/load-project.js';
import { memFs, type Files } from '../../helpers/project.js';

const PROJECT: Files = {
  'callplan.yaml': `version: 1
include: [users/*.yaml]
sites:
  warsaw: { timezone: Europe/Warsaw }
  krakow: { timezone: Europe/Warsaw }
groups:
  sales-moscow: { site: krakow }
  collections: {}
queues:
  support: { extension: "600", members: { primary: [group:collections] } }
`,
  'users/staff.yaml': `users:
  - extension: "1001"
    name: Anna Kowalska
    site: warsaw
    devices: [{ type: snom, model: D785, mac: "00:04:13:4A:1B:2C" }]
`,
};

const HEADER = 'Ext;Name;MAC;Model;Site;Group;Email';

function plan(rows: string[], options: Partial<PlanOptions> = {}, files: Files = PROJECT) {
  const table = parseCsv([HEADER, ...rows].join('\n'));
  const existing = readExistingProject(loadFiles(memFs(files), '/p', '/p'));
  return planImport(table, resolveColumns(table.headers), existing, { dir: 'users', split: 'site', ...options });
}

/** The reasons of each skipped row, as `line code`. */
function reasons(rows: string[], options: Partial<PlanOptions> = {}): string[] {
  return plan(rows, options).skipped.flatMap((s) => s.reasons.map((r) => `${s.line} ${r.code}`));
}

describe('planImport', () => {
  it('turns a row with a MAC into a user with a SNOM phone, and one without into a softphone user', () => {
    const p = plan(['2001;Jan Kowalski;00-04-13-aa-bb-01;snom d785;Warsaw;collections;jan@example.com', '2002; Ewa  Nowak ;;;warsaw;;']);
    expect(p.skipped).toEqual([]);
    expect(p.imported).toEqual([
      {
        line: 2,
        file: 'users/imported-warsaw.yaml',
        user: { extension: '2001', name: 'Jan Kowalski', email: 'jan@example.com', site: 'warsaw', group: 'collections', devices: [{ type: 'snom', model: 'D785', mac: '00:04:13:AA:BB:01' }] },
      },
      { line: 3, file: 'users/imported-warsaw.yaml', user: { extension: '2002', name: 'Ewa Nowak', site: 'warsaw', devices: [{ type: 'softphone' }] } },
    ]);
  });

  it.each([
    ['field-count', '2001;Jan;;;warsaw;;;extra'],
    ['field-count', '2001;Jan;;;warsaw'],
    ['missing-extension', ';Jan;;;warsaw;;'],
    ['invalid-extension', '20-01;Jan;;;warsaw;;'],
    ['invalid-extension', '1;Jan;;;warsaw;;'],
    ['missing-name', '2001;;;;warsaw;;'],
    ['invalid-name', '2001;Jan <boss>;;;warsaw;;'],
    ['invalid-email', '2001;Jan;;;warsaw;;jan at example.com'],
    ['unknown-site', '2001;Jan;;;mars;;'],
    ['missing-site', '2001;Jan;;;;;'],
    ['unknown-group', '2001;Jan;;;warsaw;nobody;'],
    ['invalid-mac', '2001;Jan;00:04:13:zz:bb:01;D785;warsaw;;'],
    ['invalid-mac', '2001;Jan;01:04:13:aa:bb:01;D785;warsaw;;'],
    ['mac-not-snom', '2001;Jan;00:11:22:33:44:55;D785;warsaw;;'],
    ['missing-model', '2001;Jan;00:04:13:aa:bb:01;;warsaw;;'],
    ['unknown-model', '2001;Jan;00:04:13:aa:bb:01;T46S;warsaw;;'],
    ['unknown-model', '2001;Jan;;Yealink T46S;warsaw;;'],
    ['missing-mac', '2001;Jan;;D785;warsaw;;'],
    ['duplicate-extension', '1001;Jan;;;warsaw;;'],
    ['duplicate-extension', '600;Jan;;;warsaw;;'],
    ['duplicate-mac', '2001;Jan;0004.134a.1b2c;D785;warsaw;;'],
  ])('skips a row for %s', (code, row) => {
    expect(reasons([row])).toEqual([`2 ${code}`]);
  });

  it('says why in words a person acts on', () => {
    const p = plan([
      '2001;Jan Kowalski;00:04:13:aa:bb:cc;D785;warsaw;;',
      '2002;Ewa Nowak;00:04:13:AA:BB:CC;D786;warsaw;;',
      '2001;Piotr Lis;;;krakov;;',
      '600;Queue Clash;0004134a1b2c;D785;warsaw;;',
    ]);
    expect(p.skipped.map((s) => [s.line, s.extension, s.name, s.reasons.map((r) => r.message)])).toEqual([
      [3, '2002', 'Ewa Nowak', ['unknown model "D786"; did you mean D785?', 'MAC 00:04:13:AA:BB:CC already used by 2001 Jan Kowalski (line 2)']],
      [4, '2001', 'Piotr Lis', ['unknown site "krakov"; did you mean krakow?', 'extension 2001 already used by 2001 Jan Kowalski (line 2)']],
      [
        5,
        '600',
        'Queue Clash',
        ['extension 600 already used by queue support in callplan.yaml:10', 'MAC 0004134a1b2c already used by 1001 Anna Kowalska in users/staff.yaml:2'],
      ],
    ]);
  });

  it('lets the first of two rows win, and a skipped row claims nothing', () => {
    const p = plan(['2001;Jan;;;mars;;', '2001;Ewa;;;warsaw;;', '2001;Piotr;;;warsaw;;']);
    expect(p.imported.map((r) => r.user.name)).toEqual(['Ewa']);
    expect(p.skipped.map((s) => [s.line, s.reasons.map((r) => r.code)])).toEqual([
      [2, ['unknown-site']],
      [4, ['duplicate-extension']],
    ]);
  });

  it("fills an empty site from the group's site, then --site, then the only site", () => {
    const p = plan(['2001;Jan;;;;sales moscow;', '2002;Ewa;;;;;'], { site: 'warsaw' });
    expect(p.imported.map((r) => r.user.site)).toEqual(['krakow', 'warsaw']);
    const one = { ...PROJECT, 'callplan.yaml': 'version: 1\ninclude: [users/*.yaml]\nsites:\n  hq: { timezone: Europe/Warsaw }\n' };
    const table = parseCsv('Ext,Name\n2001,Jan\n');
    const only = planImport(table, resolveColumns(table.headers), readExistingProject(loadFiles(memFs(one), '/p', '/p')), { dir: 'users', split: 'site' });
    expect(only.imported[0]?.user.site).toBe('hq');
  });

  it('uses --group and --model for empty cells', () => {
    const p = plan(['2001;Jan;00:04:13:aa:bb:01;;warsaw;;'], { group: 'collections', model: 'D385' });
    expect(p.imported[0]?.user).toMatchObject({ group: 'collections', devices: [{ type: 'snom', model: 'D385' }] });
  });

  it('lets rows leave out columns the header names with nothing (a trailing delimiter)', () => {
    const table = parseCsv('Ext;Name;Site;\n2001;Jan;warsaw\n2002;Ewa;warsaw;\n2003;Piotr;warsaw;x\n');
    const p = planImport(table, resolveColumns(table.headers), readExistingProject(loadFiles(memFs(PROJECT), '/p', '/p')), { dir: 'users', split: 'site' });
    expect(p.imported.map((r) => r.line)).toEqual([2, 3]);
    expect(p.skipped).toMatchObject([{ line: 4, reasons: [{ code: 'field-count', message: '4 fields where the header has 3 (a delimiter or quote out of place?)' }] }]);
  });

  it('ignores empty rows and treats softphone products as softphones', () => {
    const p = plan([';;;;;;', '2001;Jan;;Zoiper;warsaw;;', '', '2002;Ewa;;softphone;warsaw;;']);
    expect(p).toMatchObject({ rows: 2, blank: 1, skipped: [] });
    expect(p.imported.map((r) => r.user.devices)).toEqual([[{ type: 'softphone' }], [{ type: 'softphone' }]]);
  });

  it('places users in one file per site, per group, or one file; every placed row names a target', () => {
    const rows = ['2001;Jan;;;warsaw;collections;', '2002;Ewa;;;krakow;;', '2003;Bad;;;krakow;;x'];
    expect(plan(rows).imported.map((r) => r.file)).toEqual(['users/imported-warsaw.yaml', 'users/imported-krakow.yaml']);
    expect(plan(rows, { split: 'group' }).imported.map((r) => r.file)).toEqual(['users/imported-collections.yaml', 'users/imported-krakow.yaml']);
    expect(plan(rows, { split: 'none', dir: 'people/' }).targets).toEqual(['people/imported.yaml']);
    expect(plan(rows).targets).toEqual(['users/imported-krakow.yaml', 'users/imported-warsaw.yaml']);
    expect(fileFor({ dir: '', split: 'site' }, 'hq', undefined)).toBe('imported-hq.yaml');
  });
});

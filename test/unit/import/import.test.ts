import { describe, expect, it, vi } from 'vitest';
import type { Rule } from '../../../src/model/rules/rule.js';
import { applyImport, type WriteFs } from '../../../src/import/apply.js';
import { ImportUsageError } from '../../../src/import/errors.js';
import { planProjectImport, ProjectHasErrors, ResultHasErrors, type ImportRequest } from '../../../src/import/import.js';
import { formatImportText, importJson } from '../../../src/import/report.js';
import { ProjectNotFoundError } from '../../../src/model/load/load-project.js';
import { checkProject } from '../../../src/project/check.js';
import { memFs, type Files } from '../../helpers/project.js';

// A rule the import knows nothing of, standing for any rule added later: the result is validated
// with the project's real rules before anything is written, so it still cannot slip through.
vi.mock('../../../src/model/rules/index.js', async (original) => {
  const trap: Rule = {
    id: 'no-trap',
    description: 'test only',
    severity: 'error',
    check(ctx) {
      for (const user of ctx.raw.users ?? []) if (user.name === 'Trap') ctx.report({ at: user, path: ['name'] }, 'a trap');
    },
  };
  return { RULES: [...(await original<{ RULES: Rule[] }>()).RULES, trap] };
});

const ROOT = `# yaml-language-server: $schema=.callplan/callplan.schema.json
version: 1
name: test
include:
  - users/*.yaml   # people
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  warsaw: { timezone: Europe/Warsaw }
  krakow: { timezone: Europe/Warsaw }
groups:
  sales: { site: warsaw }
`;
const STAFF = `users:
  - { extension: "1001", name: Anna Kowalska, site: warsaw, group: sales, devices: [{ type: snom, model: D785, mac: "00:04:13:4A:1B:2C" }] }
`;
const CSV = `Extension,Name,MAC,Model,Site,Group,Password
2001,Jan Kowalski,00:04:13:aa:bb:01,D785,warsaw,sales,hunter2
2002,Ewa Nowak,,,krakow,,
1001,Clash,,,warsaw,,
`;

function project(files: Files = { 'callplan.yaml': ROOT, 'users/staff.yaml': STAFF }) {
  const fs = memFs(files);
  const run = (req: Partial<ImportRequest> = {}, csv = CSV) =>
    planProjectImport({ csv: { bytes: new TextEncoder().encode(csv), name: 'people.csv' }, project: '/p', cwd: '/p', fs, ...req });
  return { fs, run, read: (p: string) => fs.readFileSync(`/p/${p}`, 'utf8'), exists: (p: string) => fs.existsSync(`/p/${p}`) };
}

describe('planProjectImport and applyImport', () => {
  it('plans without writing, then writes files that make a valid project with the new users', () => {
    const p = project();
    const result = p.run();
    expect(result.files.map(({ path, action, users, phones, softphones }) => ({ path, action, users, phones, softphones }))).toEqual([
      { path: 'users/imported-krakow.yaml', action: 'create', users: 1, phones: 0, softphones: 1 },
      { path: 'users/imported-warsaw.yaml', action: 'create', users: 1, phones: 1, softphones: 0 },
    ]);
    expect(result.skipped).toEqual([{ line: 4, extension: '1001', name: 'Clash', reasons: [{ code: 'duplicate-extension', message: 'extension 1001 already used by 1001 Anna Kowalska in users/staff.yaml:2' }] }]);
    expect(result.include).toEqual({ status: 'covered' });
    expect(result.notes).toEqual([expect.stringMatching(/^not imported: "Password"; passwords never go into the YAML/)]);
    expect(p.exists('users/imported-warsaw.yaml')).toBe(false);

    applyImport(result, p.fs as unknown as WriteFs);
    expect(p.read('users/imported-warsaw.yaml')).toMatch(/^# yaml-language-server: \$schema=\.\.\/\.callplan\/callplan\.schema\.json\n# Imported by `callplan import` from people\.csv \(sha256 [0-9a-f]{16}\): 1 user\./);
    expect(p.read('users/imported-warsaw.yaml')).not.toContain('hunter2');
    expect(p.fs.readdirSync('/p/users')).toEqual(['imported-krakow.yaml', 'imported-warsaw.yaml', 'staff.yaml']);
    const checked = checkProject('/p', { fs: p.fs, cwd: '/p' });
    expect(checked.diagnostics).toEqual([]);
    expect(checked.model?.users.map((u) => u.extension).sort()).toEqual(['1001', '2001', '2002']);
  });

  it('refuses to replace an existing file without --force, and with it replaces it without counting its users twice', () => {
    const p = project();
    applyImport(p.run(), p.fs as unknown as WriteFs);
    expect(() => p.run()).toThrow(ImportUsageError);
    expect(() => p.run()).toThrow('users/imported-krakow.yaml, users/imported-warsaw.yaml already exist; run again with --force to replace them (nothing was written)');
    const again = p.run({ force: true });
    expect(again.imported.map((r) => r.user.extension)).toEqual(['2001', '2002']);
    expect(again.files.map((f) => f.action)).toEqual(['replace', 'replace']);
    // A row gone from the CSV leaves the replaced file with fewer users.
    const fewer = p.run({ force: true }, 'Extension,Name,Site\n2001,Jan Kowalski,warsaw\n2003,Nowy,krakow\n');
    expect(fewer.files.map((f) => [f.path, f.users])).toEqual([
      ['users/imported-krakow.yaml', 1],
      ['users/imported-warsaw.yaml', 1],
    ]);
  });

  it('never replaces a file that holds more than users', () => {
    const p = project({ 'callplan.yaml': ROOT, 'users/staff.yaml': STAFF, 'users/imported-warsaw.yaml': 'groups:\n  extra: {}\nusers: []\n' });
    expect(() => p.run({ force: true })).toThrow(/users\/imported-warsaw\.yaml holds groups besides users/);
  });

  it('adds the include when the project does not read the new files, and says so', () => {
    const root = ROOT.replace('  - users/*.yaml   # people\n', '  - staff/*.yaml   # people\n');
    const p = project({ 'callplan.yaml': root, 'staff/staff.yaml': STAFF });
    const result = p.run();
    expect(result.include).toMatchObject({ status: 'added', pattern: 'users/imported*.yaml', file: 'callplan.yaml' });
    applyImport(result, p.fs as unknown as WriteFs);
    expect(p.read('callplan.yaml')).toBe(root.replace('  - staff/*.yaml   # people\n', '  - staff/*.yaml   # people\n  - users/imported*.yaml\n'));
    expect(checkProject('/p', { fs: p.fs, cwd: '/p' }).model?.users).toHaveLength(3);
    expect(formatImportText(result, false)).toContain('added users/imported*.yaml to include in callplan.yaml');
    expect(formatImportText(result, true)).toContain('would add users/imported*.yaml to include in callplan.yaml');
  });

  it('tells the user what to add when the include cannot be edited in place', () => {
    const root = ROOT.replace('include:\n  - users/*.yaml   # people\n', 'include: [\n  staff/*.yaml,  # people\n]\n');
    const p = project({ 'callplan.yaml': root, 'staff/staff.yaml': STAFF });
    const result = p.run();
    expect(result.include).toEqual({ status: 'manual', pattern: 'users/imported*.yaml', file: 'callplan.yaml' });
    applyImport(result, p.fs as unknown as WriteFs);
    expect(p.read('callplan.yaml')).toBe(root);
    expect(formatImportText(result, false)).toContain('ADD THIS to include in callplan.yaml');
  });

  it('writes to --dir with --split, and names the phones that need a device master', () => {
    const p = project({ 'callplan.yaml': ROOT.replace(/secrets:\n.*\n/, ''), 'users/staff.yaml': STAFF });
    const result = p.run({ dir: 'people', split: 'group' });
    expect(result.files.map((f) => f.path)).toEqual(['people/imported-krakow.yaml', 'people/imported-sales.yaml']);
    expect(result.notes[1]).toMatch(/declares no secrets\.device_master/);
  });

  it('refuses a project with errors, a missing project, unknown defaults and a --dir outside', () => {
    expect(() => project({ 'callplan.yaml': ROOT + 'users:\n  - { extension: "1", name: X, site: warsaw }\n' }).run()).toThrow(ProjectHasErrors);
    expect(() => project().run({ project: '/nowhere' })).toThrow(ProjectNotFoundError);
    expect(() => project().run({ site: 'mars' })).toThrow('--site mars: the project has no such site (sites: krakow, warsaw)');
    expect(() => project().run({ group: 'x' })).toThrow(/--group x: the project has no such group/);
    expect(() => project().run({ model: 'T46' })).toThrow(/--model T46/);
    expect(() => project().run({ dir: '../elsewhere' })).toThrow(/--dir \.\.\/elsewhere/);
    expect(() => project().run({ dir: 'tests' })).toThrow(/never reads project files from tests\//);
    expect(() => project().run({ dir: 'users/.old' })).toThrow(/hidden folders/);
    expect(() => project().run({}, '')).toThrow(/people\.csv is empty/);
  });

  it('validates the result in memory and writes nothing when it would not validate', () => {
    const p = project();
    try {
      p.run({}, 'Ext,Name,Site\n2001,Trap,warsaw\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ResultHasErrors);
      expect((e as ResultHasErrors).diagnostics).toMatchObject([{ rule: 'no-trap', file: 'users/imported-warsaw.yaml', line: 8 }]);
    }
    expect(p.exists('users/imported-warsaw.yaml')).toBe(false);
  });

  it('writes nothing when no row can be imported', () => {
    const p = project();
    const result = p.run({}, 'Ext,Name,Site\n1001,Clash,warsaw\n');
    expect(result.files).toEqual([]);
    expect(formatImportText(result, false)).toMatch(/people\.csv:2: skipped 1001 Clash — extension 1001 already used .*\n.*1 row: 0 imported, 1 skipped[\s\S]*nothing was written\n$/);
  });

  it('reports in text and JSON', () => {
    const result = project().run();
    expect(formatImportText(result, true)).toBe(
      [
        'people.csv:4: skipped 1001 Clash — extension 1001 already used by 1001 Anna Kowalska in users/staff.yaml:2',
        'people.csv: 3 rows: 2 imported, 1 skipped (UTF-8, comma-separated)',
        '  columns: extension ← "Extension", name ← "Name", MAC ← "MAC", model ← "Model", site ← "Site", group ← "Group"',
        'would create users/imported-krakow.yaml: 1 user (0 SNOM phones, 1 softphone)',
        'would create users/imported-warsaw.yaml: 1 user (1 SNOM phone, 0 softphones)',
        'note: not imported: "Password"; passwords never go into the YAML: each phone\'s is derived from secrets.device_master',
        'dry run: nothing was written',
        '',
      ].join('\n'),
    );
    expect(importJson(result, true)).toMatchObject({
      source: 'people.csv',
      dryRun: true,
      rows: 3,
      imported: 2,
      skipped: 1,
      include: { status: 'covered' },
      skippedRows: [{ line: 4, extension: '1001', reasons: [{ code: 'duplicate-extension' }] }],
    });
    expect(JSON.stringify(importJson(result, true))).not.toContain('content');
  });
});

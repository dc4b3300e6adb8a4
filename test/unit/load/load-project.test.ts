import { describe, expect, it } from 'vitest';
import { loadFiles, ProjectNotFoundError } from '../../../src/model/load/load-project.js';
import { BASE, check, memFs } from '../../helpers/project.js';

const root = (extra: string) => `version: 1\nname: t\n${extra}`;

describe('loadFiles', () => {
  it('reads callplan.yaml and the files its include globs match, in sorted order', () => {
    const fs = memFs({
      'callplan.yaml': root('include: [users/*.yaml, "sites/**/*.yaml"]\n'),
      'users/b.yaml': 'users: []\n',
      'users/a.yaml': 'users: []\n',
      'sites/eu/pl.yaml': 'sites: {}\n',
      'users/notes.txt': 'not yaml',
      '.hidden/x.yaml': 'users: []\n',
    });
    const loaded = loadFiles(fs, '/p', '/p');
    expect(loaded.files.map((f) => f.displayPath)).toEqual(['callplan.yaml', 'users/a.yaml', 'users/b.yaml', 'sites/eu/pl.yaml']);
    expect(loaded.problems).toEqual([]);
  });

  it('includes a file matched by two patterns once', () => {
    const fs = memFs({ 'callplan.yaml': root('include: [users/*.yaml, users/a.yaml]\n'), 'users/a.yaml': 'users: []\n' });
    expect(loadFiles(fs, '/p', '/p').files).toHaveLength(2);
  });

  it('reports an include pattern that matches nothing at its line', () => {
    const fs = memFs({ 'callplan.yaml': root('include:\n  - users/*.yaml\n') });
    const { problems } = loadFiles(fs, '/p', '/p');
    expect(problems).toMatchObject([{ rule: 'include-no-match', file: 'callplan.yaml', line: 4, column: 5 }]);
  });

  it('accepts a single YAML file as the project', () => {
    const fs = memFs({ 'one.yaml': BASE });
    const loaded = loadFiles(fs, '/p/one.yaml', '/p');
    expect(loaded.files.map((f) => f.displayPath)).toEqual(['one.yaml']);
  });

  it('explains a missing path or a directory without callplan.yaml', () => {
    const fs = memFs({ 'other.yaml': 'x: 1\n' });
    expect(() => loadFiles(fs, '/nowhere', '/p')).toThrow(ProjectNotFoundError);
    expect(() => loadFiles(fs, '/p', '/p')).toThrow(/no callplan.yaml here .*callplan init/);
  });

  it('keeps going after a syntax error in one file and reports it with its position', () => {
    const result = check({
      'callplan.yaml': BASE + 'include: [extra/*.yaml]\n',
      'extra/broken.yaml': 'users:\n  - extension: "2001"\n\tname: x\n',
    });
    expect(result.diagnostics).toMatchObject([{ rule: 'yaml-syntax', file: 'extra/broken.yaml', line: 3, column: 1 }]);
  });
});

describe('merging files into one project', () => {
  const users = (ext: string) => `users:\n  - { extension: "${ext}", name: U${ext}, site: hq, group: team }\n`;

  it('appends list sections and merges keyed sections across files', () => {
    const result = check({
      'callplan.yaml': BASE + 'include: [more/*.yaml]\n',
      'more/a.yaml': users('2001'),
      'more/b.yaml': 'queues:\n  sales: { members: { primary: [user:2001] } }\n',
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.users.map((u) => u.extension)).toEqual(['1001', '1002', '1003', '2001']);
    expect(result.model?.queues.map((q) => q.name)).toEqual(['sales', 'support']);
  });

  it('reports a name defined in two files at the second, pointing to the first', () => {
    const result = check({
      'callplan.yaml': BASE + 'include: [more/*.yaml]\n',
      'more/q.yaml': '\nqueues:\n  support: { members: { primary: [user:1001] } }\n',
    });
    expect(result.diagnostics).toMatchObject([{ rule: 'duplicate-name', file: 'more/q.yaml', line: 3, column: 3 }]);
    expect(result.diagnostics[0]!.hint).toMatch(/callplan\.yaml:\d+:\d+/);
  });

  it('refuses root-only keys in included files', () => {
    const result = check({ 'callplan.yaml': BASE + 'include: [more/*.yaml]\n', 'more/x.yaml': 'users: []\ndefaults: { language: pl }\n' });
    expect(result.diagnostics).toMatchObject([{ rule: 'root-only-key', file: 'more/x.yaml', line: 2, column: 1 }]);
  });

  it('does not report references to an entity the schema rejected as dangling', () => {
    const result = check({ 'callplan.yaml': BASE.replace('  - { extension: "1003", name: Ewa, site: hq, group: team }', '  - { extension: "1003", name: Ewa, site: hq, group: team, colour: red }') + 'supervisors:\n  - { user: user:1003, queues: [queue:support] }\n' });
    expect(result.diagnostics.map((d) => d.rule)).toEqual(['schema']);
  });
});

describe('the secrets file', () => {
  it('is never read as a project file, even when an include glob matches it', () => {
    const result = check({ 'callplan.yaml': BASE + 'include: ["*.yaml"]\nsecrets: { file: secrets.yaml }\n', 'secrets.yaml': 'carrier: "Tq7!mZ2#vK9pL4xR"\n' });
    expect(result.diagnostics).toEqual([]);
  });
});

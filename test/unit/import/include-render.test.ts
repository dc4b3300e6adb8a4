import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { addInclude, isIncluded } from '../../../src/import/include.js';
import { renderUsersFile, schemaRefFor } from '../../../src/import/render.js';
import { loadFast } from '../../../src/model/load/yaml-fast.js';
import type { RawUser } from '../../../src/model/input.js';

describe('isIncluded', () => {
  it('matches as the loader does', () => {
    expect(isIncluded('users/imported-hq.yaml', ['sites.yaml', 'users/*.yaml'])).toBe(true);
    expect(isIncluded('users/imported-hq.yaml', ['**/*.yaml'])).toBe(true);
    expect(isIncluded('users/imported-hq.yaml', ['operators/*.yaml'])).toBe(false);
  });
});

describe('addInclude', () => {
  it('adds a line after the last item of a block list, keeping every comment and blank line', () => {
    const text = '# top\nversion: 1\ninclude:\n  - sites.yaml        # offices\n  - operators/*.yaml  # people\n\n# secrets\nsecrets: {}\n';
    expect(addInclude(text, 'users/imported*.yaml')).toBe(
      '# top\nversion: 1\ninclude:\n  - sites.yaml        # offices\n  - operators/*.yaml  # people\n  - users/imported*.yaml\n\n# secrets\nsecrets: {}\n',
    );
  });

  it('follows the indentation of the list', () => {
    expect(addInclude('version: 1\ninclude:\n- a.yaml\nname: x\n', 'users/imported*.yaml')).toBe('version: 1\ninclude:\n- a.yaml\n- users/imported*.yaml\nname: x\n');
  });

  it('adds an item to a flow list', () => {
    expect(addInclude('version: 1\ninclude: [sites.yaml, operators/*.yaml]   # all\n', 'users/imported*.yaml')).toBe(
      'version: 1\ninclude: [sites.yaml, operators/*.yaml, users/imported*.yaml]   # all\n',
    );
    expect(addInclude('version: 1\ninclude: []\n', 'users/imported*.yaml')).toBe('version: 1\ninclude: [users/imported*.yaml]\n');
  });

  it('adds an include key at the end when there is none', () => {
    expect(addInclude('version: 1\nname: x', 'users/imported*.yaml')).toBe('version: 1\nname: x\n\ninclude:\n  - users/imported*.yaml\n');
  });

  it('quotes a pattern that needs it', () => {
    expect(addInclude('version: 1\ninclude:\n  - a.yaml\n', 'my users/imported*.yaml')).toBe('version: 1\ninclude:\n  - a.yaml\n  - "my users/imported*.yaml"\n');
  });

  it('gives up rather than guess on an include written some other way', () => {
    expect(addInclude('version: 1\ninclude: [\n  a.yaml,  # first\n]\n', 'users/imported*.yaml')).toBeUndefined();
    expect(addInclude('version: 1\ninclude: &inc [a.yaml]\nother: *inc\n', 'users/imported*.yaml')).toBeUndefined();
    expect(addInclude('version: 1\ninclude: users/*.yaml\n', 'users/imported*.yaml')).toBeUndefined();
    expect(addInclude('{ version: 1 }\n', 'users/imported*.yaml')).toBeUndefined();
    expect(addInclude('version: [1\n', 'users/imported*.yaml')).toBeUndefined();
  });
});

describe('renderUsersFile', () => {
  const users: RawUser[] = [
    { extension: '0100', name: 'Jan "JK" Kowalski: boss #1', email: 'jan@example.com', site: 'hq', group: 'sales', devices: [{ type: 'snom', model: '760', mac: '00:04:13:AA:BB:01' }] },
    { extension: '2002', name: 'No', site: 'hq', devices: [{ type: 'softphone' }] },
    { extension: '2003', name: 'Łucja Wiśniewska', site: 'hq', devices: [{ type: 'softphone' }] },
  ];
  const text = renderUsersFile(users, { source: 'people.csv', sha256: '0123456789abcdef', schema: '../.callplan/callplan.schema.json' });

  it('lays the file out like the hand-written ones, with where it came from', () => {
    expect(text).toBe(`# yaml-language-server: $schema=../.callplan/callplan.schema.json
# Imported by \`callplan import\` from people.csv (sha256 0123456789abcdef): 3 users.
# Edit freely: a later import replaces this file only when run with --force.
# No passwords here: each phone's SIP password is derived from secrets.device_master.

users:
  - extension: "0100"
    name: 'Jan "JK" Kowalski: boss #1'
    email: jan@example.com
    site: hq
    group: sales
    devices:
      - { type: snom, model: "760", mac: "00:04:13:AA:BB:01" }

  - extension: "2002"
    name: "No"
    site: hq
    devices:
      - { type: softphone }

  - extension: "2003"
    name: Łucja Wiśniewska
    site: hq
    devices:
      - { type: softphone }
`);
  });

  it('reads back as the same users with both YAML readers callplan uses', () => {
    expect(loadFast(text, 'x.yaml')).toEqual({ users });
    expect(parse(text)).toEqual({ users });
  });

  it('writes an empty list when a replaced file keeps no user', () => {
    expect(loadFast(renderUsersFile([], { source: 'a.csv', sha256: '00' }), 'x.yaml')).toEqual({ users: [] });
  });
});

describe('schemaRefFor', () => {
  it("rebases the root file's schema reference to the new file's folder", () => {
    const root = '# yaml-language-server: $schema=.callplan/callplan.schema.json\nversion: 1\n';
    expect(schemaRefFor(root, '/p', '/p/users')).toBe('../.callplan/callplan.schema.json');
    expect(schemaRefFor(root, '/p', '/p/a/b')).toBe('../../.callplan/callplan.schema.json');
    expect(schemaRefFor('# yaml-language-server: $schema=https://x.example/s.json\n', '/p', '/p/users')).toBe('https://x.example/s.json');
    expect(schemaRefFor('version: 1\n', '/p', '/p/users')).toBeUndefined();
  });
});

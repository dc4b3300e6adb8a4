import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyseProject } from '../../../src/project/analyse.js';
import { checkProject } from '../../../src/project/check.js';
import { edit } from '../rules/rule-table.js';
import { check, type Files } from '../../helpers/project.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const NOW = new Date('2026-11-25T12:00+01:00');

function analyse(files: Files | string, rule: string) {
  const checked = check(typeof files === 'string' ? { 'callplan.yaml': files } : files);
  expect(checked.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return analyseProject(checked, NOW)
    .filter((d) => d.rule === rule)
    .map((d) => ({ at: `${d.file}:${d.line}:${d.column}`, severity: d.severity, message: d.message, hint: d.hint }));
}

/** One office in Warsaw, a staffed queue, a menu; the closed branch is left to the test. */
const PROJECT = `version: 1
name: flows
sites:
  hq:
    timezone: Europe/Warsaw
    hours: { mon-fri: "08:00-17:00" }
    holidays: [{ name: Boże Narodzenie, date: "12-25" }]
users:
  - { extension: "1001", name: Anna, site: hq, devices: [{ type: softphone, name: desk }] }
  - { extension: "1002", name: Piotr, site: hq }
queues:
  support:
    extension: "600"
    members: { primary: [user:1001] }
announcements:
  closed: { prompt: custom/closed }
ivr:
  main:
    prompt: custom/welcome
    options: { "1": queue:support }
inbound:
  - did: "+48221234567"
    open: [{ site: hq, to: ivr:main }]
    closed: announcement:closed
`;

const MENU = 'ivr:\n  main:\n    prompt: custom/welcome\n    options: { "1": queue:support }\n';

describe('coverage-hole', () => {
  it('is quiet when out of hours and holidays play a message', () => {
    expect(analyse(PROJECT, 'coverage-hole')).toEqual([]);
  });

  it('names the silent hours of the week by day and hour, in the site zone, at the DID', () => {
    const found = analyse(edit(PROJECT, ['    closed: announcement:closed\n', '']), 'coverage-hole');
    expect(found[0]).toMatchObject({
      at: 'callplan.yaml:22:10',
      severity: 'warning',
      message: '+48221234567 reaches nobody and the caller hears nothing at mon-fri 00:00-08:00, 17:00-24:00; sat-sun 00:00-24:00 (Europe/Warsaw): no site open: closed branch → hang up',
    });
    expect(found[0]!.hint).toContain('closed:');
    // The holiday branch defaults to the closed one: Christmas is silent too.
    expect(found[1]!.message).toBe(
      '+48221234567 reaches nobody and the caller hears nothing on 2026-12-25 00:00-24:00 (Boże Narodzenie, site hq, Europe/Warsaw): first site on holiday: holiday branch → hang up',
    );
    expect(found).toHaveLength(2);
  });

  it('warns when a number never reaches a person, a menu or a voicemail', () => {
    const found = analyse(edit(PROJECT, [MENU, ''], ['    open: [{ site: hq, to: ivr:main }]\n    closed: announcement:closed\n', '    to: announcement:closed\n']), 'coverage-hole');
    expect(found.map((f) => f.message)).toEqual(['+48221234567 never reaches a person, a menu or a voicemail, at any hour of the week: announcement closed: plays custom/closed → hang up']);
  });

  it('a queue nobody can answer is a hole at the hours it takes calls', () => {
    const found = analyse(edit(PROJECT, [MENU, ''], ['to: ivr:main }]', 'to: queue:support }]'], ['primary: [user:1001]', 'primary: [user:1002]']), 'coverage-hole');
    expect(found.map((f) => f.message)).toContain(
      '+48221234567 reaches nobody and the caller hears nothing at mon-fri 08:00-17:00 (Europe/Warsaw): queue support: primary 1002 → nobody answers: the caller waits in support',
    );
  });
});

describe('dead-end', () => {
  it('points at a queue whose members have no device, naming who sends calls there', () => {
    const found = analyse(edit(PROJECT, ['primary: [user:1001]', 'primary: [user:1002]']), 'dead-end');
    expect(found).toEqual([
      {
        at: 'callplan.yaml:12:3',
        severity: 'warning',
        message: 'queue:support is a dead end: even when everyone answers, the caller waits in queue support for ever: no member can answer (calls come from ivr:main)',
        hint: expect.stringContaining('device'),
      },
    ]);
  });

  it('points at a user without a device or no-answer steps', () => {
    const files = edit(PROJECT, ['"1": queue:support', '"1": queue:support, "2": user:1002'], ['name: Piotr, site: hq }', 'name: Piotr, site: hq, voicemail: false }']);
    expect(analyse(files, 'dead-end').map((f) => [f.at, f.message])).toEqual([
      ['callplan.yaml:10:18', 'user:1002 is a dead end: even when everyone answers, 1002 has no device to ring and nowhere to forward (calls come from ivr:main)'],
    ]);
  });

  it('is quiet when the user forwards to voicemail (the default)', () => {
    const files = edit(PROJECT, ['"1": queue:support', '"1": queue:support, "2": user:1002']);
    expect(analyse(files, 'dead-end')).toEqual([]);
  });
});

describe('never-reached', () => {
  it('names a menu reached only through a branch no call takes', () => {
    const files = edit(
      PROJECT,
      ['hours: { mon-fri: "08:00-17:00" }\n    holidays: [{ name: Boże Narodzenie, date: "12-25" }]', 'hours: { mon-sun: "00:00-24:00" }'],
      ['    closed: announcement:closed\n', '    closed: ivr:night\n'],
      ['ivr:\n', 'ivr:\n  night:\n    prompt: custom/night\n    options: { "1": announcement:closed }\n'],
    );
    expect(analyse(files, 'never-reached').map((f) => [f.at, f.message])).toEqual([
      ['callplan.yaml:15:3', 'announcement:closed is never reached: only the closed branch of number +48221234567, the holiday branch of number +48221234567 lead to it, and no call takes those branches at any hour of the week or on a holiday of the coming year'],
      ['callplan.yaml:17:3', 'ivr:night is never reached: only the closed branch of number +48221234567, the holiday branch of number +48221234567 lead to it, and no call takes those branches at any hour of the week or on a holiday of the coming year'],
    ]);
  });
});

describe('the examples', () => {
  it.each(['debt-collection-pl', 'payment-center-by', 'sales-ru-follow-the-sun'])('%s has no finding', (name) => {
    expect(analyseProject(checkProject(path.join(REPO, 'examples', name)), NOW)).toEqual([]);
  });
});

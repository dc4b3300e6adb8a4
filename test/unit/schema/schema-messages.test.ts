import { describe, expect, it } from 'vitest';
import { BASE, check } from '../../helpers/project.js';

const schemaErrors = (yaml: string) => check({ 'callplan.yaml': yaml }).diagnostics.filter((d) => d.rule === 'schema');

describe('schema diagnostics speak the user\'s language', () => {
  it('names an unknown key at the key and suggests the likely one', () => {
    const [d] = schemaErrors(BASE.replace('    members: { primary: [group:team] }', '    memebers: { primary: [group:team] }'));
    expect(d).toMatchObject({ line: 25, column: 5, message: 'unknown key "memebers" in support' });
    expect(d!.hint).toBe('Did you mean "members"?');
  });

  it('points a missing key at the mapping that lacks it and explains the key', () => {
    const [d] = schemaErrors(BASE.replace('    timezone: Europe/Warsaw\n', ''));
    expect(d).toMatchObject({ line: 4, column: 3, message: 'hq is missing required key "timezone"' });
    expect(d!.hint).toMatch(/IANA/);
  });

  it('lists the allowed values of an enum and guesses a typo', () => {
    const [d] = schemaErrors(BASE.replace('    auth: registration', '    auth: registraton'));
    expect(d!.message).toBe('auth must be one of registration, ip, not "registraton"');
    expect(d!.hint).toBe('Did you mean "registration"?');
  });

  it('explains a malformed reference with the forms it may take', () => {
    const [d] = schemaErrors(BASE.replace('options: { "1": queue:support }', 'options: { "1": queues:support }'));
    expect(d!.message).toBe('"queues:support" is not a valid options[1]');
    expect(d!.hint).toMatch(/queue:NAME.*repeat/);
  });

  it('refuses a name that cannot become an Asterisk context', () => {
    const [d] = schemaErrors(BASE.replace('queues:\n  support:', 'queues:\n  Support Team:'));
    expect(d!.message).toMatch(/"Support Team" is not a valid name/);
  });

  it('explains YAML 1.2 has no merge keys', () => {
    const [d] = schemaErrors(BASE.replace('  carrier:\n    auth: registration', '  carrier:\n    <<: {}\n    auth: registration'));
    expect(d!.hint).toMatch(/no merge keys/);
  });

  it('requires version: 1 in callplan.yaml', () => {
    expect(schemaErrors(BASE.replace('version: 1\n', ''))).toMatchObject([{ line: 1, column: 1, message: expect.stringContaining('"version"') }]);
    expect(schemaErrors(BASE.replace('version: 1', 'version: 2'))).toMatchObject([{ line: 1, column: 10, message: 'version must be 1, not 2' }]);
  });

  it('reports every problem of every file in one run', () => {
    const broken = BASE.replace('auth: registration', 'auth: sometimes').replace('timezone: Europe/Warsaw', 'timezone: Europe/Warsw').replace('mon-fri: "08:00-17:00"', 'mon-fri: "8-17"');
    const all = check({ 'callplan.yaml': broken }).diagnostics;
    expect(all.map((d) => `${d.rule}@${d.line}`)).toEqual(['invalid-timezone@5', 'malformed-hours@7', 'schema@10']);
  });

  it('leaves an entity the schema rejected out of the semantic rules, so one mistake is not reported twice', () => {
    const all = check({ 'callplan.yaml': BASE.replace('timezone: Europe/Warsaw', 'timezone: 3').replace('mon-fri: "08:00-17:00"', 'mon-fri: "8-17"') }).diagnostics;
    expect(all.map((d) => `${d.rule}@${d.line}`)).toEqual(['schema@5']);
  });
});

describe('secrets in schema errors', () => {
  it.each([
    ['a conference PIN written as a number', BASE + 'conferences:\n  board: { extension: "800", pin: 4711 }\n', '4711'],
    ['a trunk password written as a number', BASE.replace('password: "${env:CARRIER_PASSWORD}"', 'password: 73916452'), '73916452'],
  ])('never echo %s', (_name, yaml, secret) => {
    const all = check({ 'callplan.yaml': yaml }).diagnostics;
    expect(all).toHaveLength(1);
    expect(all[0]!.message).toMatch(/holds a value written inline/);
    expect(JSON.stringify(all)).not.toContain(secret);
  });
});

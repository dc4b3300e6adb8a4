import { describe, expect, it } from 'vitest';
import { BASE, check } from '../../helpers/project.js';

/** Anna (1001) with these keys, the first on line 24. */
const withKeys = (...keys: string[]) =>
  BASE.replace(
    '  - { extension: "1001", name: Anna, site: hq, group: team }\n',
    `  - extension: "1001"\n    name: Anna\n    site: hq\n    group: team\n    keys:\n${keys.map((k) => `      - ${k}\n`).join('')}`,
  );

describe('users[].keys in the schema', () => {
  it('takes every kind of key, each with an optional label', () => {
    const all = ['{ blf: user:1002, label: Piotr }', '{ speed: "+48601234567" }', '{ queue: queue:support }', '{ agent: logout }', '{ spy: whisper }', '{ override: hq }'];
    expect(check({ 'callplan.yaml': withKeys(...all) }).diagnostics.filter((d) => d.rule === 'schema')).toEqual([]);
  });

  it('keeps declared keys in the model, in order', () => {
    const result = check({ 'callplan.yaml': withKeys('{ blf: user:1002, label: Piotr }', '{ speed: "+48601234567" }', '{ queue: queue:support }', '{ agent: logout }') });
    expect(result.diagnostics).toEqual([]);
    expect(result.model!.users[0]!.keys).toEqual([
      { kind: 'blf', user: '1002', label: 'Piotr' },
      { kind: 'speed', number: '+48601234567' },
      { kind: 'queue', queue: 'support' },
      { kind: 'agent', action: 'logout' },
    ]);
  });

  it('leaves keys out of the model when the user declares none (callplan lays them out)', () => {
    expect(check({ 'callplan.yaml': BASE }).model!.users[0]).not.toHaveProperty('keys');
  });

  it.each([
    ['two things at once', '{ blf: user:1002, speed: "123" }'],
    ['nothing but a label', '{ label: Reception }'],
  ])('refuses a key that does %s, naming what a key may be', (_, key) => {
    const [d, ...rest] = check({ 'callplan.yaml': withKeys(key) }).diagnostics;
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ rule: 'schema', line: 24, column: 9, message: 'a mapping is not a valid keys[0]', hint: expect.stringContaining('exactly one of blf, speed, queue, agent, status, spy or override') });
  });

  it('explains a malformed reference and guesses a misspelt action', () => {
    const [blf] = check({ 'callplan.yaml': withKeys('{ blf: "1002" }') }).diagnostics;
    expect(blf).toMatchObject({ line: 24, column: 16, message: '"1002" is not a valid blf', hint: 'A user by extension: user:1001.' });
    const [agent] = check({ 'callplan.yaml': withKeys('{ agent: logon }') }).diagnostics;
    expect(agent).toMatchObject({ message: 'agent must be one of login, logout, pause, not "logon"', hint: 'Did you mean "login"?' });
  });
});

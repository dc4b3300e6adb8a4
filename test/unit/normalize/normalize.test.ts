import { describe, expect, it } from 'vitest';
import { compileAll } from '../../../src/targets/index.js';
import { modelJsonTarget } from '../../../src/targets/model/model-json.js';
import { secretResolver } from '../../../src/secrets/resolve.js';
import { secretValues } from '../../../src/secrets/refs.js';
import { BASE, check } from '../../helpers/project.js';

const model = (yaml: string) => {
  const result = check({ 'callplan.yaml': yaml });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
};

describe('normalize', () => {
  it('expands group members into queue members, primary before backup, each person once', () => {
    const m = model(
      BASE.replace('    members: { primary: [group:team] }', '    members: { primary: [user:1002], backup: [group:team] }\n    backup_after: 45'),
    );
    const q = m.queues.find((x) => x.name === 'support')!;
    expect(q.members).toEqual([
      { extension: '1002', tier: 'primary', penalty: 0 },
      { extension: '1001', tier: 'backup', penalty: 10, group: 'team' },
      { extension: '1003', tier: 'backup', penalty: 10, group: 'team' },
    ]);
    expect(q.backupAfter).toBe(45);
  });

  it('resolves relative no-answer steps against the user\'s group', () => {
    const m = model(BASE.replace('{ extension: "1002", name: Piotr, site: hq, group: team }', '{ extension: "1002", name: Piotr, site: hq, group: team, no_answer: { after: 30, then: [group, supervisor, voicemail] } }'));
    expect(m.users.find((u) => u.extension === '1002')!.noAnswer).toEqual({
      after: 30,
      then: [
        { kind: 'group', id: 'team', via: 'group' },
        { kind: 'user', id: '1001', via: 'supervisor' },
        { kind: 'voicemail', id: '1002', via: 'own-voicemail' },
      ],
    });
  });

  it('gives every weekday its hours and parses holidays', () => {
    const m = model(BASE.replace('      mon-fri: "08:00-17:00"', '      mon-fri: "08:00-12:00,13:00-17:00"\n      sat: "09:00-13:00"\n    holidays:\n      - { date: "12-25", name: Christmas }\n      - { from: "2026-12-31", to: "2027-01-01" }'));
    const hq = m.sites[0]!;
    expect(hq.hours.mon).toEqual([{ start: 480, end: 720 }, { start: 780, end: 1020 }]);
    expect(hq.hours.sat).toEqual([{ start: 540, end: 780 }]);
    expect(hq.hours.sun).toEqual([]);
    expect(hq.holidays).toEqual([
      { name: 'Christmas', from: { month: 12, day: 25 }, to: { month: 12, day: 25 }, hours: [] },
      { from: { year: 2026, month: 12, day: 31 }, to: { year: 2027, month: 1, day: 1 }, hours: [] },
    ]);
  });

  it('keeps secrets as references and derives device passwords', () => {
    const m = model(BASE.replace('{ extension: "1001", name: Anna, site: hq, group: team }', '{ extension: "1001", name: Anna, site: hq, group: team, devices: [{ type: snom, model: d785, mac: "00-04-13-4a-1b-2c" }] }'));
    expect(m.trunks[0]!.password).toEqual({ source: 'env', name: 'CARRIER_PASSWORD' });
    expect(m.users[0]!.devices).toEqual([{ id: '1001-0004134a1b2c', type: 'snom', model: 'D785', mac: '0004134A1B2C', password: { derived: true } }]);
  });

  it('opens emergency routes to every class', () => {
    const m = model(BASE.replace('  classes:', '    emergency: { patterns: ["112"], trunks: [carrier], emergency: true }\n  classes:'));
    expect(m.outbound.classes).toEqual([{ name: 'office', routes: ['emergency', 'national'] }]);
  });

  it('orders users by number, not by text', () => {
    const m = model(BASE.replace('users:\n', 'users:\n  - { extension: "200", name: Reception, site: hq }\n'));
    expect(m.users.map((u) => u.extension)).toEqual(['200', '1001', '1002', '1003']);
  });

  it('gives byte-identical output whatever the order of keys and files', () => {
    const ctx = (m: ReturnType<typeof model>) => ({ secrets: secretResolver(m, secretValues({})).resolver });
    const ma = model(BASE);
    const a = compileAll(ma, ctx(ma), [modelJsonTarget]);
    const reordered = BASE.replace(/queues:[\s\S]*?(?=ivr:)/, '').replace('groups:', `queues:\n  support:\n    extension: "600"\n    members: { primary: [group:team] }\ngroups:`);
    const mb = model(reordered);
    const b = compileAll(mb, ctx(mb), [modelJsonTarget]);
    expect([...b]).toEqual([...a]);
  });
});

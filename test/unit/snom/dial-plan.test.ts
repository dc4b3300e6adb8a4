import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src/model/types.js';
import { dialPlan, shapeOf } from '../../../src/targets/snom/dial-plan.js';
import { BASE, check } from '../../helpers/project.js';

/** BASE (whose queue has extension 600) with these users and routes; every user of class office. */
function model(extensions: string[], routes: string): Model {
  const users = extensions.map((e) => `  - { extension: "${e}", name: U${e}, site: hq, group: team, outbound: office }\n`).join('');
  const yaml = BASE.replace(/users:\n(  - .*\n)+/, `users:\n${users}`).replace(/outbound:\n[\s\S]*$/, `outbound:\n  routes:\n${routes}  classes:\n    office: [national]\n`).replace('supervisor: user:1001', `supervisor: user:${extensions[0]}`);
  const result = check({ 'callplan.yaml': yaml }, { CARRIER_PASSWORD: 'Tr8!kL3#mN6$pQ9%' });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

const rules = (m: Model) => dialPlan(m, m.users[0]!).split(' ');

describe('the phone’s dial plan', () => {
  it('dials complete numbers at once, as SNOM writes the rule', () => {
    const m = model(['201', '202'], '    emergency: { patterns: ["112"], trunks: [carrier], emergency: true }\n    national: { patterns: ["_0[1-9]XXXXXXXX"], trunks: [carrier] }\n');
    // Internal numbers of one length become one rule: 201, 202 and the queue's 600.
    expect(rules(m)).toEqual(['|(^[26]0[0-2]$)|sip:\\1@\\d|d', '|(^112$)|sip:\\1@\\d|d', '|(^0[1-9][0-9]{8}$)|sip:\\1@\\d|d']);
  });

  it('never dials 112 at once when an extension starts with 112: 1120 would call the emergency services', () => {
    const m = model(['1001', '1120'], '    emergency: { patterns: ["112"], trunks: [carrier], emergency: true }\n    national: { patterns: ["_0XXXXXXXXX"], trunks: [carrier] }\n');
    expect(rules(m)).toEqual(['|(^600$)|sip:\\1@\\d|d', '|(^1[01][02][01]$)|sip:\\1@\\d|d', '|(^0[0-9]{9}$)|sip:\\1@\\d|d']);
    expect(dialPlan(m, m.users[0]!)).not.toContain('112');
  });

  it('waits when a longer number of another route starts the same way, and for open-ended patterns', () => {
    const m = model(['201'], '    emergency: { patterns: ["112"], trunks: [carrier], emergency: true }\n    national: { patterns: ["_0XXXXXXXXX", "_00X."], trunks: [carrier] }\n');
    // 0 + 9 digits could be the start of an international 00 number: only internal numbers and 112 go at once.
    expect(rules(m)).toEqual(['|(^[26]0[01]$)|sip:\\1@\\d|d', '|(^112$)|sip:\\1@\\d|d']);
  });

  it('gives a user without a class the emergency routes only', () => {
    const m = model(['201'], '    emergency: { patterns: ["112"], trunks: [carrier], emergency: true }\n    national: { patterns: ["_0XXXXXXXXX"], trunks: [carrier] }\n');
    const nobody = { ...m.users[0]!, outboundClass: undefined };
    expect(dialPlan(m, nobody).split(' ')).toEqual(['|(^[26]0[01]$)|sip:\\1@\\d|d', '|(^112$)|sip:\\1@\\d|d']);
  });

  it('reads Asterisk patterns position by position', () => {
    expect(shapeOf('_0[1-35]NZX').positions.map((s) => [...s].sort().join(''))).toEqual(['0', '1235', '23456789', '123456789', '0123456789']);
    expect(shapeOf('_00X.').tail).toBe('more');
    expect(shapeOf('112')).toEqual({ positions: [new Set('1'), new Set('1'), new Set('2')], tail: 'none' });
  });
});

import { describe, expect, it } from 'vitest';
import { extensionsConf } from '../../../src/targets/asterisk/dialplan/extensions.js';
import { pjsipConf } from '../../../src/targets/asterisk/pjsip.js';
import { findTollFraudPaths } from '../../../src/targets/asterisk/security/trunk-reachability.js';
import { BASE, check } from '../../helpers/project.js';

const NO_VALUES = { value: () => 'x', derived: () => 'x', derivedPin: () => '0' };

const FORWARDING = BASE.replace('trunks:\n  carrier:\n    auth: registration', 'trunks:\n  carrier:\n    auth: registration').replace(
  'open: [{ site: hq, to: ivr:main }]',
  'open: [{ site: hq, to: ivr:main }]\n    closed: external:+48601234567',
).replace('national: { patterns: ["_0XXXXXXXXX"], trunks: [carrier] }', 'national: { patterns: ["_0XXXXXXXXX", "_+48XXXXXXXXX"], trunks: [carrier] }');

function generated(yaml: string) {
  const result = check({ 'callplan.yaml': yaml });
  expect(result.diagnostics).toEqual([]);
  return { ext: extensionsConf(result.model!), pjsip: pjsipConf(result.model!, NO_VALUES) };
}

describe('toll-fraud reachability over the generated dialplan', () => {
  it('finds no path from a carrier to a caller-chosen outside number in a normal project', () => {
    const { ext, pjsip } = generated(BASE);
    expect(findTollFraudPaths(ext, pjsip)).toEqual([]);
  });

  it('allows forwarding inbound calls to a fixed number the project names', () => {
    const { ext, pjsip } = generated(FORWARDING);
    expect(ext).toContain('[cp-external]\nexten => +48601234567,1(dial),Gosub(cp-outbound');
    expect(findTollFraudPaths(ext, pjsip)).toEqual([]);
  });

  it('finds a route context reachable from the carrier entry (an include slipped into from-trunk)', () => {
    const { ext, pjsip } = generated(BASE);
    const broken = ext.replace('[from-trunk]\n', '[from-trunk]\ninclude => users-office\n');
    expect(findTollFraudPaths(broken, pjsip)).toEqual([{ path: ['from-trunk', 'users-office', 'route-national'] }]);
  });

  it('finds it through jumps too (a menu option that Gotos an outbound route)', () => {
    const { ext, pjsip } = generated(BASE);
    const broken = ext.replace('exten => 1,1,Goto(queue-support,s,1)', 'exten => 1,1,Goto(route-national,0221234567,1)');
    expect(findTollFraudPaths(broken, pjsip)[0]!.path).toEqual(['from-trunk', 'did-48221234567', 'ivr-main', 'route-national']);
  });

  it('treats an endpoint without authentication as an entry point wherever its context points', () => {
    const { ext, pjsip } = generated(BASE);
    const anonymous = pjsip + '\n[anonymous]\ntype = endpoint\ncontext = users-office\n';
    expect(findTollFraudPaths(ext, anonymous)).toEqual([{ path: ['users-office', 'route-national'] }]);
  });
});

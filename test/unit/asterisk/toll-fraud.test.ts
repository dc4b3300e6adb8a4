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

describe('behind a Kamailio edge', () => {
  /** BASE with a phone for 1001 (class office: national calls), an edge and two nodes. */
  const EDGE_PROJECT =
    BASE.replace('  - { extension: "1001", name: Anna, site: hq, group: team }', '  - { extension: "1001", name: Anna, site: hq, group: team, outbound: office, devices: [{ type: softphone, name: desk }] }') +
    'nodes:\n  edge: { role: kamailio, address: 10.0.0.10 }\n  pbx-1: { role: asterisk, address: 10.0.0.11 }\n  pbx-2: { role: asterisk, address: 10.0.0.12 }\n';

  function node(): { ext: string; pjsip: string } {
    const result = check({ 'callplan.yaml': EDGE_PROJECT });
    expect(result.diagnostics).toEqual([]);
    const m = result.model!;
    return { ext: extensionsConf(m), pjsip: pjsipConf(m, NO_VALUES, m.nodes.find((n) => n.name === 'pbx-1')) };
  }

  it('trusts the edge for the phones it authenticated: the node takes SIP from the edge only', () => {
    const { ext, pjsip } = node();
    expect(pjsip).toContain('[edge-only]\ntype = acl\ndeny = 0.0.0.0/0.0.0.0\ndeny = ::/0\npermit = 10.0.0.10/32\n');
    expect(pjsip).toContain('[1001-desk]\ntype = endpoint\ncontext = users-office\n');
    expect(pjsip).not.toContain('1001-desk-auth');
    expect(findTollFraudPaths(ext, pjsip, ['10.0.0.10'])).toEqual([]);
  });

  it('does not trust phones without authentication when no edge vouches for them', () => {
    const { ext, pjsip } = node();
    expect(findTollFraudPaths(ext, pjsip)).toEqual([{ path: ['users-office', 'route-national'] }]);
    expect(findTollFraudPaths(ext, pjsip, ['10.0.0.99'])).toEqual([{ path: ['users-office', 'route-national'] }]);
  });

  it('does not trust them when the ACL lets anything else in', () => {
    const { ext, pjsip } = node();
    const lan = pjsip.replace('permit = 10.0.0.10/32\n', 'permit = 10.0.0.10/32\npermit = 10.0.0.0/24\n');
    expect(findTollFraudPaths(ext, lan, ['10.0.0.10'])).toEqual([{ path: ['users-office', 'route-national'] }]);
    const second = `${pjsip}\n[office]\ntype = acl\npermit = 192.168.1.0/24\n`;
    expect(findTollFraudPaths(ext, second, ['10.0.0.10'])).toEqual([{ path: ['users-office', 'route-national'] }]);
  });

  it('keeps carriers (identified by the edge’s trunk header) and the edge’s own endpoint as entries', () => {
    const { ext, pjsip } = node();
    expect(pjsip).toContain('[trunk-carrier-identify]\ntype = identify\nendpoint = trunk-carrier\nmatch_header = X-Callplan-Trunk: carrier\n');
    const broken = ext.replace('[from-trunk]\n', '[from-trunk]\ninclude => users-office\n');
    expect(findTollFraudPaths(broken, pjsip, ['10.0.0.10'])).toEqual([{ path: ['from-trunk', 'users-office', 'route-national'] }]);
    const edgeContext = ext + '\n[cp-edge]\ninclude => users-office\n';
    expect(findTollFraudPaths(edgeContext, pjsip, ['10.0.0.10'])).toEqual([{ path: ['cp-edge', 'users-office', 'route-national'] }]);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { buildFiles } from '../../src/project/build.js';
import { checkProject } from '../../src/project/check.js';
import type { SecretValues } from '../../src/secrets/refs.js';
import { BASE, check } from '../helpers/project.js';
import { edit } from '../unit/rules/rule-table.js';
import { checkKamailioConfig, requireKamailio } from './harness/kamailio.js';

/**
 * Every kamailio.cfg callplan writes passes `kamailio -c` (Debian's Kamailio 5.6): the examples
 * with an edge, and variants that switch on every optional part of the template (TLS, a public
 * address, registration trunks, no IP trunk at all).
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Strong stand-ins free of account names, as the golden tests use. */
const standIn = (name: string) => `Gx7!${createHash('sha256').update(name).digest('base64url').slice(0, 32)}`;
const SECRETS: SecretValues = { get: (ref) => (/pin/i.test(ref.name) ? String(7_300_000 + ref.name.length * 1_013) : standIn(ref.name)) };
const ENV = new Proxy({} as Record<string, string>, { get: (_t, name) => (typeof name === 'string' ? standIn(name) : undefined) });
const work = mkdtempSync(path.join(tmpdir(), 'callplan-kamailio-c-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a build's kamailio trees and checks each kamailio.cfg. */
function checkBuild(label: string, files: Map<string, string>): string[] {
  const cfgs = [...files.keys()].filter((f) => /^nodes\/[^/]+\/kamailio\/kamailio\.cfg$/.test(f));
  for (const [file, content] of files) {
    if (!/^nodes\/[^/]+\/kamailio\//.test(file)) continue;
    const target = path.join(work, label, file);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  for (const cfg of cfgs) {
    const { ok, output } = checkKamailioConfig(path.join(work, label, cfg));
    expect(ok, `${label} ${cfg}:\n${output}`).toBe(true);
  }
  return cfgs;
}

describe('kamailio -c accepts every generated kamailio.cfg', () => {
  it('of the examples with an edge', () => {
    requireKamailio();
    let checked = 0;
    for (const example of readdirSync(path.join(REPO, 'examples')).sort()) {
      if (!existsSync(path.join(REPO, 'examples', example, 'callplan.yaml'))) continue; // examples/ci: CI recipes
      const { model, diagnostics } = checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO });
      expect(model, diagnostics.map((d) => d.message).join('\n')).toBeDefined();
      checked += checkBuild(example, buildFiles(model!, SECRETS)).length;
    }
    expect(checked).toBeGreaterThanOrEqual(2);
  });

  const ENV_SECRETS = { CARRIER_PASSWORD: 'Tr8!kL3#mN6$pQ9%', CALLPLAN_DEVICE_MASTER: 'Qm4!vT9#pL2@xR7$wK5%nB8^cF3&hJ6*' };
  const variant = (nodes: string, trunks = '') => {
    let yaml = edit(BASE, ['  - { extension: "1001", name: Anna, site: hq, group: team }', '  - { extension: "1001", name: Anna, site: hq, group: team, devices: [{ type: softphone, name: desk }] }']);
    if (trunks) yaml = edit(yaml, ['trunks:\n', `trunks:\n${trunks}`]);
    const result = check({ 'callplan.yaml': `${yaml}secrets:\n  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"\nnodes:\n${nodes}` }, ENV_SECRETS);
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    return buildFiles(result.model!, { get: (ref) => (ENV_SECRETS as Record<string, string>)[ref.name] });
  };
  const PBX = '  pbx: { role: asterisk, address: 10.0.0.11 }\n';

  it.each([
    ['one address, a registration trunk only', `  edge: { role: kamailio, address: 10.0.0.10 }\n${PBX}`, ''],
    ['a public address and an IP trunk', `  edge: { role: kamailio, address: 10.0.0.10, public_address: 203.0.113.20 }\n${PBX}`, '  backup: { auth: ip, host: 198.51.100.10 }\n'],
    [
      'phones over TLS from the internet',
      `  edge: { role: kamailio, address: 10.0.0.10, public_address: 203.0.113.20, phones: external, tls: { port: 5062, certificate: /etc/kamailio/tls/edge.crt, private_key: /etc/kamailio/tls/edge.key } }\n${PBX}`,
      '',
    ],
    ['two edges', `  edge-a: { role: kamailio, address: 10.0.0.10 }\n  edge-b: { role: kamailio, address: 10.0.0.20 }\n${PBX}`, ''],
  ])('%s', (label, nodes, trunks) => {
    requireKamailio();
    expect(checkBuild(label.replace(/\W+/g, '-'), variant(nodes, trunks)).length).toBeGreaterThanOrEqual(1);
  });
});

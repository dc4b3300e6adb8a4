import { buildFiles } from '../../../src/project/build.js';
import { secretValues } from '../../../src/secrets/refs.js';
import { check } from '../../helpers/project.js';
import type { ConfigFiles } from './asterisk.js';

/** A strong master secret for test builds: devices' SIP passwords are derived from it. */
export const E2E_ENV = { CALLPLAN_DEVICE_MASTER: 'e2e-master-3kJ9vQ2xLm8Rt5Zp7Wc4Yb6Nd1Hs0Fg' };

/**
 * What `callplan build` would write into asterisk/, for a project given as YAML, as the config
 * files the harness hands to Asterisk. The project must be valid (its diagnostics are thrown) and
 * have no Kamailio edge (then a build is one tree per node).
 */
export function buildAsterisk(yaml: string, env: Record<string, string> = E2E_ENV): { configs: ConfigFiles; files: Map<string, string> } {
  const result = check({ 'callplan.yaml': yaml }, env);
  if (!result.model) throw new Error(`test project is invalid:\n${result.diagnostics.map((d) => `${d.line}:${d.column} ${d.message} [${d.rule}]`).join('\n')}`);
  const files = buildFiles(result.model, secretValues(env));
  if (!files.has('asterisk/pjsip.conf')) throw new Error('the project has a Kamailio edge: its build is one tree per node (nodes/<name>/asterisk/), see kamailio-edge.e2e.test.ts');
  const configs: ConfigFiles = {};
  for (const [file, content] of files) if (file.startsWith('asterisk/')) configs[file.slice('asterisk/'.length)] = content;
  return { configs, files };
}

/** The SIP password callplan derives for a device, as a phone would be provisioned with it. */
export function devicePassword(files: Map<string, string>, device: string): string {
  const pjsip = files.get('asterisk/pjsip.conf')!;
  const m = new RegExp(`\\[${device}-auth\\]\\ntype = auth\\nauth_type = userpass\\nusername = ${device}\\npassword = (\\S+)`).exec(pjsip);
  if (!m) throw new Error(`no auth section for ${device} in pjsip.conf`);
  return m[1]!;
}

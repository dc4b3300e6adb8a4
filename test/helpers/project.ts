import { Volume, createFsFromVolume } from 'memfs';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import type { ProjectFs } from '../../src/model/load/project-fs.js';
import { checkProject, type CheckResult } from '../../src/project/check.js';

/** An in-memory project: file path (relative to /p) → YAML text. */
export type Files = Record<string, string>;

export function memFs(files: Files, root = '/p'): ProjectFs {
  const vol = Volume.fromJSON(Object.fromEntries(Object.entries(files).map(([p, text]) => [`${root}/${p}`, text])));
  return createFsFromVolume(vol) as unknown as ProjectFs;
}

/** Runs load → validate → normalize on an in-memory project. */
export function check(files: Files, env: Record<string, string> = {}): CheckResult {
  return checkProject('/p', { fs: memFs(files), env, cwd: '/p' });
}

/** Diagnostics of one rule, as `line:col message` strings for compact assertions. */
export function findings(files: Files, rule: string, env: Record<string, string> = {}): Diagnostic[] {
  return check(files, env).diagnostics.filter((d) => d.rule === rule);
}

/**
 * A small valid project to start rule tests from: one site, a trunk, three users in a group,
 * a queue, an IVR menu reached from an inbound route, routes and classes.
 */
export const BASE = `version: 1
name: base
sites:
  hq:
    timezone: Europe/Warsaw
    hours:
      mon-fri: "08:00-17:00"
trunks:
  carrier:
    auth: registration
    host: sip.example.com
    username: "4822"
    password: "\${env:CARRIER_PASSWORD}"
groups:
  team:
    site: hq
    supervisor: user:1001
users:
  - { extension: "1001", name: Anna, site: hq, group: team }
  - { extension: "1002", name: Piotr, site: hq, group: team }
  - { extension: "1003", name: Ewa, site: hq, group: team }
queues:
  support:
    extension: "600"
    members: { primary: [group:team] }
ivr:
  main:
    prompt: custom/welcome
    options: { "1": queue:support }
inbound:
  - did: "+48221234567"
    open: [{ site: hq, to: ivr:main }]
outbound:
  routes:
    national: { patterns: ["_0XXXXXXXXX"], trunks: [carrier] }
  classes:
    office: [national]
`;

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src/model/types.js';
import { makePlan } from '../../../src/plan/plan.js';
import { renderJson } from '../../../src/plan/render/json.js';
import { renderMarkdown } from '../../../src/plan/render/markdown.js';
import { renderText } from '../../../src/plan/render/text.js';
import type { SecretValues } from '../../../src/secrets/refs.js';
import { secretResolver, type SecretResolver } from '../../../src/secrets/resolve.js';
import { compileAll } from '../../../src/targets/index.js';
import { edit, exampleFiles, modelOf } from '../../helpers/example-project.js';

/**
 * No secret in any output of plan, in any format — even when the builds hold the real values (as
 * `deploy` compares them with a host's release). Every value a target asked the resolver for
 * (SIP, AMI and provisioning passwords, PINs, the device master's derivatives) is recorded while
 * compiling, and so are the secrets the targets compute from them (HA1s, htpasswd hashes).
 */
const value = (name: string) => `S3cr3t!${createHash('sha256').update(name).digest('base64url').slice(0, 20)}`;
const VALUES: SecretValues = { get: (ref) => (/pin/i.test(ref.name) ? String(4_000_000 + (createHash('sha256').update(ref.name).digest().readUInt32BE(0) % 5_000_000)) : value(ref.name)) };

function recordingBuild(model: Model, seen: Set<string>) {
  const { resolver } = secretResolver(model, VALUES);
  const recording: SecretResolver = {
    value: (ref) => remember(resolver.value(ref)),
    derived: (purpose) => remember(resolver.derived(purpose)),
    derivedPin: (purpose, digits) => remember(resolver.derivedPin(purpose, digits)),
  };
  function remember(v: string) {
    seen.add(v);
    return v;
  }
  const files = compileAll(model, { secrets: recording });
  // Secrets the targets compute: the edge's HA1s, the provisioning server's password hashes.
  for (const [path, text] of files) {
    if (path.endsWith('/db/subscriber')) for (const m of text.matchAll(/^[^:\s()]+:([0-9a-f]{32})$/gm)) seen.add(m[1]!);
    if (path.endsWith('.htpasswd')) for (const m of text.matchAll(/^[^:#\s]+:(\S+)$/gm)) seen.add(m[1]!);
  }
  return files;
}

const CASES: [string, Record<string, [string, string][]>][] = [
  ['payment-center-by', { 'carriers.yaml': [['${env:MOBILE_TRUNK_PASSWORD}', '${env:MOBILE_TRUNK_PASSWORD_NEW}']] }],
  [
    'debt-collection-pl',
    {
      'users/warsaw-office.yaml': [['  - extension: "1003"', '  - extension: "1056"\n    name: Tomasz Nowy\n    site: warsaw\n    devices: [{ type: snom, model: D785, mac: "00:04:13:42:99:01" }]\n\n  - extension: "1003"']],
    },
  ],
  ['sales-ru-follow-the-sun', {}],
];

describe.each(CASES)('no secret in plan output: %s', (example, edits) => {
  const files = exampleFiles(example);
  const before = modelOf(files);
  const after = Object.keys(edits).length > 0 ? modelOf(edit(files, edits)) : before;
  const seen = new Set<string>();
  const old = recordingBuild(before, seen);
  const now = recordingBuild(after, seen);
  const secrets = [...seen].filter((s) => s.length >= 6 && s !== '<missing>');
  // One scan per output: each secret as written, and as JSON escapes it.
  const forms = secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]);
  const anyOf = new RegExp(forms.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');

  const plans = {
    'a change': makePlan({ before: old, after: now, beforeModel: before, afterModel: after }),
    // A first deploy: every file in full.
    'a first deploy': makePlan({ before: new Map(), after: now, afterModel: after }),
  };

  it('the builds do hold secrets (the test would prove nothing otherwise)', () => {
    expect(secrets.length).toBeGreaterThan(3);
    const all = [...now.values()].join('\n');
    expect(secrets.filter((s) => all.includes(s)).length).toBeGreaterThan(3);
  });

  it.each(Object.keys(plans))('%s: in text, JSON and markdown, no secret appears', (which) => {
    const plan = plans[which as keyof typeof plans];
    const source = { project: example, against: 'main' };
    for (const output of [renderText(plan, source), renderJson(plan, source), renderMarkdown(plan, source, Number.MAX_SAFE_INTEGER)]) {
      const leaked = [...output.matchAll(anyOf)].map((m) => m[0]);
      expect(leaked).toEqual([]);
    }
  });
});

describe('a changed secret value', () => {
  it('shows as a changed line, masked on both sides', () => {
    const files = exampleFiles('payment-center-by');
    const model = modelOf(files);
    const build = (get: SecretValues['get']) => compileAll(model, { secrets: secretResolver(model, { get }).resolver });
    const old = build(VALUES.get);
    const now = build((ref) => (ref.name === 'MOBILE_TRUNK_PASSWORD' ? 'Rotated-Passw0rd-2026!' : VALUES.get(ref)));
    const plan = makePlan({ before: old, after: now });
    const pjsip = plan.files.find((f) => f.path === 'asterisk/pjsip.conf');
    expect(pjsip?.patch).toMatch(/^-password = \*{8}$/m);
    expect(pjsip?.patch).toMatch(/^\+password = \*{8}$/m);
    expect(renderText(plan, { project: 'x', against: 'y' })).not.toContain('Rotated-Passw0rd-2026!');
  });
});

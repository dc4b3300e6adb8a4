import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { check } from '../helpers/project.js';

/** The README's model tour is a project of its own: callplan.yaml, then users/sales.yaml. It must stay valid. */
describe('README model tour', () => {
  it('validates as written', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const blocks = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);
    const root = blocks.find((b) => b.includes('version: 1'));
    const users = blocks.find((b) => b.startsWith('# users/sales.yaml'));
    expect(root && users).toBeTruthy();
    const result = check({ 'callplan.yaml': root!, 'users/sales.yaml': users! });
    expect(result.diagnostics).toEqual([]);
    const route = result.model?.inbound[0]?.route;
    expect(route?.kind === 'sites' && route.open.map((o) => o.site)).toEqual(['moscow', 'sakhalin']);
  });
});

describe('README exit codes', () => {
  it('lists exactly the codes the CLI uses', async () => {
    const { EXIT } = await import('../../src/cli/exit-codes.js');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const section = readme.slice(readme.indexOf('### Exit codes'), readme.indexOf('###', readme.indexOf('### Exit codes') + 5));
    const documented = [...section.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1]));
    expect(documented).toEqual([...new Set(Object.values(EXIT))].sort((a, b) => a - b));
  });
});

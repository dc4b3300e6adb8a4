import { createHash } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { flowGraph, renderDot, renderMermaid } from '../../src/callflow/graph.js';
import { buildFiles } from '../../src/project/build.js';
import { checkProject } from '../../src/project/check.js';
import type { SecretValues } from '../../src/secrets/refs.js';
import { expectGolden } from '../helpers/golden.js';

/**
 * Every file the build writes for every example, compared with test/golden/<example>/. On a
 * mismatch the actual file is written beside the expected one as NAME.ACTUAL (gitignored);
 * `UPDATE_GOLDEN=1 npx vitest run test/golden` rewrites the expected files.
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const GOLDEN = path.join(REPO, 'test/golden');
/** Fixed test secrets, strong and free of account names: golden files must not depend on anyone's environment. */
const standIn = (name: string) => `Gx7!${createHash('sha256').update(name).digest('base64url').slice(0, 32)}`;
const ENV: Record<string, string> = new Proxy({} as Record<string, string>, {
  get: (_t, name) => (typeof name === 'string' ? standIn(name) : undefined),
});

/** Every secret, from the environment or a secrets file, gets a fixed stand-in: digits for PINs. */
const SECRETS: SecretValues = {
  get: (ref) => (/pin/i.test(ref.name) ? String(7_300_000 + ref.name.length * 1_013) : standIn(ref.name)),
};

// examples/ci holds CI recipes, not a project.
const examples = readdirSync(path.join(REPO, 'examples'))
  .filter((name) => existsSync(path.join(REPO, 'examples', name, 'callplan.yaml')))
  .sort();

describe.each(examples)('golden build of examples/%s', (example) => {
  const result = checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO });
  const dir = path.join(GOLDEN, example);

  it('validates', () => {
    expect(result.diagnostics).toEqual([]);
  });

  const files = result.model ? buildFiles(result.model, SECRETS) : new Map<string, string>();
  it.each([...files.keys()])('%s', (file) => expectGolden(path.join(dir, file), files.get(file)!));

  it('call-flow graph as Mermaid and DOT', () => {
    const graph = flowGraph(result.model!);
    expectGolden(path.join(dir, 'graph/callflow.mmd'), renderMermaid(graph));
    expectGolden(path.join(dir, 'graph/callflow.dot'), renderDot(graph));
  });

  it('call-flow graph as SVG: well-formed, naming every menu and queue the flow reaches', async () => {
    const { instance } = await import('@viz-js/viz');
    const graph = flowGraph(result.model!);
    const svg = (await instance()).renderString(renderDot(graph), { format: 'svg' });
    expect(svg).toMatch(/^<\?xml[\s\S]*<svg[\s\S]*<\/svg>\s*$/);
    expect(svg.match(/<g id="node\d+" class="node">/g)?.length).toBe(graph.nodes.length);
    // Graphviz writes "-" and the XML specials as character references.
    const text = svg.replace(/&#45;/g, '-').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
    for (const n of graph.nodes.filter((x) => x.shape === 'menu' || x.shape === 'queue')) {
      expect(text).toContain(`>${n.label.split('\n')[0]!}</text>`);
    }
  });

  it('builds byte-identical output twice', () => {
    const again = buildFiles(checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO }).model!, SECRETS);
    expect([...again]).toEqual([...files]);
  });
});

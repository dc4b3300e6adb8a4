import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { Model } from '../../../model/types.js';
import type { SecretResolver } from '../../../secrets/resolve.js';
import type { FileTree } from '../../target.js';
import { asteriskNodes, edges, hasEdge } from '../../topology.js';
import { extensionsConf } from '../dialplan/extensions.js';
import { pjsipConf } from '../pjsip.js';
import { findTollFraudPaths } from './trunk-reachability.js';

/** The analysis needs the shape of pjsip.conf, not its passwords. */
const NO_VALUES: SecretResolver = { value: () => 'x', derived: () => 'x', derivedPin: () => '0' };

/**
 * Refuses any path from an unauthenticated entry to a caller-chosen trunk call, checked on the
 * generated files: those of a build when given (every node's tree), else compiled in memory
 * (validate; behind an edge every node has the same shape, so the first node stands for all).
 * The model's Kamailio edges are trusted to authenticate phones (see unauthenticatedContexts).
 */
export function asteriskSecurityDiagnostics(model: Model, file: string, built?: FileTree): Diagnostic[] {
  const trusted = edges(model).map((e) => e.address);
  const trees: { dialplan: string; pjsip: string }[] = [];
  if (built) {
    for (const [name, dialplan] of built) {
      const dir = /^((?:nodes\/[^/]+\/)?asterisk)\/extensions\.conf$/.exec(name)?.[1];
      const pjsip = dir === undefined ? undefined : built.get(`${dir}/pjsip.conf`);
      if (pjsip !== undefined) trees.push({ dialplan, pjsip });
    }
  } else {
    const node = hasEdge(model) ? asteriskNodes(model)[0] : undefined;
    trees.push({ dialplan: extensionsConf(model), pjsip: pjsipConf(model, NO_VALUES, node) });
  }
  const seen = new Set<string>();
  return trees
    .flatMap(({ dialplan, pjsip }) => findTollFraudPaths(dialplan, pjsip, trusted))
    .filter(({ path }) => !seen.has(path.join('\0')) && seen.add(path.join('\0')))
    .map(({ path }) => ({
      severity: 'error',
      rule: 'toll-fraud-path',
      message: `an unauthenticated call could dial out through a trunk: ${path.join(' → ')}`,
      hint: 'Calls from carriers must only reach DIDs, queues, menus and people. This is a bug in callplan if the project does not forward inbound calls on purpose; please report it.',
      file,
      line: 1,
      column: 1,
    }));
}

import { entries, type Rule } from './rule.js';

/** Nodes without an Asterisk among them: the edge would have nowhere to send a call. */
export const noAsteriskNode: Rule = {
  id: 'no-asterisk-node',
  description: 'A project that lists nodes lists at least one Asterisk node.',
  severity: 'error',
  needsEveryFile: true,
  check(ctx) {
    const nodes = entries(ctx.raw.nodes);
    if (nodes.length === 0 || nodes.some(([, n]) => n.role === 'asterisk')) return;
    const [name, first] = nodes[0]!;
    ctx.report(
      { at: first, path: ['role'] },
      `the project lists nodes (${nodes.map(([n]) => n).join(', ')}) but no Asterisk node: calls would have nowhere to go`,
      `Add a node with role: asterisk (the edge ${name} sends calls to the Asterisk nodes), or remove nodes to build for one Asterisk on this host.`,
    );
  },
};

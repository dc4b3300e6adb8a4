import { entries, type Rule } from './rule.js';

/**
 * Two nodes listening on one address and SIP port would be one server twice: the edge could not
 * tell its nodes apart (it recognises them by address and port), and a deploy would overwrite one
 * node's files with the other's.
 */
export const duplicateNodeAddress: Rule = {
  id: 'duplicate-node-address',
  description: 'Each node has its own address (and SIP port): the edge tells the nodes apart by them.',
  severity: 'error',
  check(ctx) {
    const seen = new Map<string, string>();
    for (const [name, node] of entries(ctx.raw.nodes)) {
      const key = `${node.address.toLowerCase()}:${node.sip_port ?? 5060}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.report(
          { at: node, path: ['address'] },
          `node ${name} has the address ${node.address}${node.sip_port ? ` and SIP port ${node.sip_port}` : ''} of node ${first}`,
          'Give each server its own address (or, for two on one host, its own sip_port).',
        );
      } else {
        seen.set(key, name);
      }
    }
  },
};

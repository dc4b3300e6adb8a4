import { entries, type Rule } from './rule.js';

/** Phones on the internet would send their SIP (and register) in clear text across it. */
export const edgeWithoutTls: Rule = {
  id: 'edge-without-tls',
  description: 'A Kamailio edge that phones reach over the internet (phones: external) offers them TLS.',
  severity: 'warning',
  check(ctx) {
    for (const [name, node] of entries(ctx.raw.nodes)) {
      if (node.role !== 'kamailio' || node.phones !== 'external' || node.tls !== undefined) continue;
      ctx.report(
        { at: node, path: ['phones'] },
        `phones reach edge ${name} from the internet, without TLS: their signalling crosses it in clear text`,
        'Add tls: { certificate: ..., private_key: ... } to the edge (phones then register over TLS on port 5061), or keep phones on the LAN or a VPN (phones: internal).',
      );
    }
  },
};

import type { Model, PbxNode } from '../model/types.js';

/**
 * Which servers a build is for, in one place, so the Asterisk, Kamailio and phone targets agree.
 *
 * Without a Kamailio edge a build is for one Asterisk (the first node by name, or loopback) and
 * keeps the single-node layout (`asterisk/...`). With an edge it is one tree per server:
 * `nodes/<name>/asterisk/...` for every Asterisk node and `nodes/<edge>/kamailio/...`.
 */

/** The Kamailio edges, by name. */
export function edges(model: Model): PbxNode[] {
  return model.nodes.filter((n) => n.role === 'kamailio');
}

/** The Asterisk nodes, by name. */
export function asteriskNodes(model: Model): PbxNode[] {
  return model.nodes.filter((n) => n.role === 'asterisk');
}

/** The header the edge puts on a carrier's call (and strips from everything else): the nodes identify trunks by it. */
export const TRUNK_HEADER = 'X-Callplan-Trunk';

export const hasEdge = (model: Model): boolean => model.nodes.some((n) => n.role === 'kamailio');

/** Where one server's files go in a build with an edge. */
export const nodeDir = (node: PbxNode | string): string => `nodes/${typeof node === 'string' ? node : node.name}`;

/** Where phones send SIP when the model has an edge. */
export interface PhoneEntry {
  address: string;
  port: number;
  transport: 'udp' | 'tls';
}

/**
 * The edge phones register with: the first edge, at its address (phones on the LAN or a VPN) or
 * its public address (phones on the internet), over TLS when the edge offers it to those phones.
 * Undefined without an edge.
 */
export function phoneEntry(model: Model): PhoneEntry | undefined {
  const edge = edges(model)[0];
  if (!edge) return undefined;
  const external = edge.phones === 'external';
  const address = external ? (edge.publicAddress ?? edge.address) : edge.address;
  if (external && edge.tls) return { address, port: edge.tls.port, transport: 'tls' };
  return { address, port: edge.sipPort, transport: 'udp' };
}

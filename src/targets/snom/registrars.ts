import type { Model } from '../../model/types.js';
import { pbxNode } from '../asterisk/names.js';
import { phoneEntry } from '../topology.js';

/** Where a phone registers: an Asterisk node's (or the Kamailio edge's) address and SIP port. */
export interface Registrar {
  address: string;
  port: number;
  /** udp unless the edge offers the phones TLS. */
  transport?: 'udp' | 'tls';
}

/**
 * The phone's registrars: the Asterisk node pjsip.conf binds (the first by name, as the Asterisk
 * target chooses it), and the second Asterisk node when the model has one, for the failover
 * identity. Phones register with the nodes directly; without any node this is loopback, where
 * Asterisk listens then, and no phone can reach it: declare the nodes. With a Kamailio edge,
 * phones register with the edge alone (it spreads them over the nodes and fails over itself).
 */
export function registrars(model: Model): { primary: Registrar; failover?: Registrar } {
  const edge = phoneEntry(model);
  if (edge) return { primary: edge };
  const node = pbxNode(model);
  const primary = { address: node.address, port: node.sipPort };
  const second = model.nodes.filter((n) => n.role === 'asterisk')[1];
  return second ? { primary, failover: { address: second.address, port: second.sipPort } } : { primary };
}

/** `user_host`: the SIP domain, with the port only when it is not 5060. */
export const hostOf = (r: Registrar): string => (r.port === 5060 ? r.address : `${r.address}:${r.port}`);

/** `user_outbound`: where the phone sends every request of that identity. */
export const outboundOf = (r: Registrar): string => `${r.address}:${r.port};transport=${r.transport ?? 'udp'}`;

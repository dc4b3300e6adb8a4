import type { Model, PbxNode } from '../../model/types.js';
import { header } from '../asterisk/conf/header.js';
import { asteriskNodes, TRUNK_HEADER } from '../topology.js';
import { DS_NODES, GRP_CARRIERS } from './lists.js';
import { cfgString, render } from './render.js';
import { REALM } from './subscriber.js';

/**
 * User agents of SIP scanners and attack tools, dropped (and their address banned) at the edge.
 * Matched case-insensitively anywhere in User-Agent.
 */
export const SCANNER_USER_AGENTS = [
  'friendly-scanner',
  'friendly-request',
  'sipvicious',
  'sipcli',
  'sip-scan',
  'sipsak',
  'sundayddr',
  'iWar',
  'SIVuS',
  'smap',
  'VaxSIPUserAgent',
  'VaxIPUserAgent',
  'siparmyknife',
  'pplsip',
] as const;

/** kamailio.cfg for one edge. */
export function kamailioCfg(model: Model, edge: PbxNode): string {
  const sockets = [edge.address, ...(edge.publicAddress && edge.publicAddress !== edge.address ? [edge.publicAddress] : [])];
  const listens = sockets.map((a) => `udp:${a}:${edge.sipPort}`);
  if (edge.tls) listens.push(...sockets.map((a) => `tls:${a}:${edge.tls!.port}`));
  const nodes = asteriskNodes(model);
  return render('kamailio.cfg', {
    header: header('kamailio.cfg', model, '#').trimEnd(),
    edge: { name: edge.name, address: edge.address },
    nodeNames: nodes.map((n) => n.name).join(', ') || '(none)',
    dsSet: DS_NODES,
    carrierGroup: GRP_CARRIERS,
    realm: REALM,
    mhomed: sockets.length > 1 ? 1 : 0,
    listens,
    tls: edge.tls !== undefined,
    // Where carriers reach the edge: its public address when it has one.
    carrierFacing: `${edge.publicAddress ?? edge.address}:${edge.sipPort}`,
    scanners: SCANNER_USER_AGENTS.join('|'),
    trunkHeader: TRUNK_HEADER,
    registrationTrunks: model.trunks
      .filter((t) => t.auth === 'registration' && t.username !== undefined)
      .map((t) => ({ name: cfgString(t.name), username: cfgString(t.username!) })),
  });
}

/** tls.cfg: the edge's certificate for phones over TLS (TLS 1.2 or newer; phones' certificates not required). */
export function tlsCfg(model: Model, edge: PbxNode): string | undefined {
  if (!edge.tls) return undefined;
  return render('tls.cfg', { header: header('tls.cfg', model, '#').trimEnd(), certificate: edge.tls.certificate, privateKey: edge.tls.privateKey });
}

import type { Model, PbxNode, Trunk, User } from '../../model/types.js';
import { devicePassword } from '../../secrets/device-password.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { edges, TRUNK_HEADER } from '../topology.js';
import { header } from './conf/header.js';
import { literalSemicolons, renderConf, type ConfSection } from './conf/ini.js';
import { authOf, EDGE_ENDPOINT, endpointOf, pbxNode, trunkEndpoint, userContext } from './names.js';

export const TRANSPORT = 'transport-udp';

/** The ACL of a node behind an edge: SIP from the edges only. */
export const EDGE_ACL = 'edge-only';

/**
 * pjsip.conf with explicit sections (endpoint, auth, aor, identify, registration), not the
 * wizard: they diff readably and reload predictably. Security defaults: no anonymous endpoint
 * (an unknown caller is challenged, never routed), IP-identified carriers land in from-trunk,
 * the server does not announce its version.
 *
 * Behind a Kamailio edge (see docs/kamailio.md) the node takes SIP from the edges' addresses
 * only (an ACL), and trusts them for what they forward and nothing more: a carrier's call by the
 * trunk header the edge sets (and strips from everyone else), a phone by its endpoint name, which
 * the edge has authenticated (digest) and checked against the From. Phones' contacts keep the
 * edge's Path, so the node reaches them through it; trunks' requests leave through the edge.
 */
export function pjsipConf(model: Model, secrets: SecretResolver, node: Pick<PbxNode, 'address' | 'sipPort' | 'publicAddress'> = pbxNode(model)): string {
  const edge = edgeSide(model);
  const sections: ConfSection[] = [
    {
      name: 'global',
      entries: [
        ['type', 'global'],
        ['user_agent', 'callplan PBX'],
        // Carriers are identified by address first; everything else must authenticate. Behind an
        // edge: carriers by the edge's header, phones by name, the edge's own probes by address.
        ['endpoint_identifier_order', edge ? 'header,username,ip' : 'ip,username'],
      ],
    },
    {
      name: TRANSPORT,
      entries: [
        ['type', 'transport'],
        ['protocol', 'udp'],
        ['bind', `${node.address}:${node.sipPort}`],
        ['external_media_address', node.publicAddress],
        // Behind an edge, signalling only ever goes to the edge.
        ['external_signaling_address', edge ? undefined : node.publicAddress],
      ],
    },
  ];
  if (edge) sections.push(...edgeSections(edge));
  for (const user of model.users) sections.push(...userSections(user, model, secrets, edge));
  for (const trunk of model.trunks) sections.push(...trunkSections(trunk, secrets, edge));
  return renderConf(header('pjsip.conf', model), sections);
}

/** What a node behind edges needs to know about them. */
interface EdgeSide {
  /** The addresses the edges send from. */
  addresses: string[];
  /** The nodes' outbound proxy for carriers: the first edge. */
  proxy: string;
}

function edgeSide(model: Model): EdgeSide | undefined {
  const all = edges(model);
  if (all.length === 0) return undefined;
  return { addresses: all.map((e) => e.address), proxy: literalSemicolons(`sip:${all[0]!.address}:${all[0]!.sipPort};lr`) };
}

/**
 * The ACL (SIP from the edges only) and the edges' own endpoint: their OPTIONS probes are answered
 * (identified by address); any call on it finds no context and is refused.
 */
function edgeSections(edge: EdgeSide): ConfSection[] {
  return [
    {
      name: EDGE_ACL,
      comment: 'SIP only from the Kamailio edge: phones and carriers reach this node through it, never directly.',
      entries: [
        ['type', 'acl'],
        ['deny', '0.0.0.0/0.0.0.0'],
        ['deny', '::/0'],
        ...edge.addresses.map((a): [string, string] => ['permit', `${a}/${a.includes(':') ? 128 : 32}`]),
      ],
    },
    {
      name: EDGE_ENDPOINT,
      comment: 'The edge itself (its OPTIONS probes). Its context does not exist: nothing it sends unnamed is routed.',
      entries: [
        ['type', 'endpoint'],
        ['context', EDGE_ENDPOINT],
        ['disallow', 'all'],
        ['allow', 'alaw'],
      ],
    },
    {
      name: `${EDGE_ENDPOINT}-identify`,
      entries: [
        ['type', 'identify'],
        ['endpoint', EDGE_ENDPOINT],
        ['match', edge.addresses.join(',')],
      ],
    },
  ];
}

function userSections(user: User, model: Model, secrets: SecretResolver, edge: EdgeSide | undefined): ConfSection[] {
  return user.devices.flatMap((device): ConfSection[] => {
    const name = endpointOf(device);
    // Behind an edge the phone authenticates there: its password is not needed here.
    const password = edge ? undefined : devicePassword(device, secrets);
    const sections: ConfSection[] = [
      {
        name,
        comment: `${user.name} (${user.extension}), ${device.type}${device.model ? ` ${device.model}` : ''}${device.mac ? ` ${device.mac}` : ''}`,
        entries: [
          ['type', 'endpoint'],
          ['context', userContext(user, model)],
          ['disallow', 'all'],
          ['allow', model.defaults.codecs.join(',')],
          ['auth', edge ? undefined : authOf(name)],
          ['aors', name],
          ['callerid', `"${user.name.replace(/"/g, "'")}" <${user.extension}>`],
          ['language', user.language],
          ['mailboxes', user.voicemail ? `${user.extension}@default` : undefined],
          ['dtmf_mode', 'rfc4733'],
          // Phones sit behind NAT more often than not: answer where the packets came from (behind
          // an edge, the edge handles NAT for signalling; media still comes from the phone).
          ['direct_media', false],
          ['rtp_symmetric', true],
          ['force_rport', edge ? undefined : true],
          ['rewrite_contact', edge ? undefined : true],
          ['allow_subscribe', true],
          ['send_pai', true],
          ['trust_id_inbound', false],
        ],
      },
    ];
    if (password !== undefined) {
      sections.push({
        name: authOf(name),
        entries: [
          ['type', 'auth'],
          ['auth_type', 'userpass'],
          ['username', name],
          ['password', password],
        ],
      });
    }
    sections.push({
      name,
      entries: [
        ['type', 'aor'],
        ['max_contacts', 1],
        ['remove_existing', true],
        ['qualify_frequency', 60],
        // The edge's Path: the node reaches the phone through the edge it registered through.
        ['support_path', edge ? true : undefined],
      ],
    });
    return sections;
  });
}

function trunkSections(trunk: Trunk, secrets: SecretResolver, edge: EdgeSide | undefined): ConfSection[] {
  const name = trunkEndpoint(trunk);
  const uri = `sip:${trunk.host}:${trunk.port}`;
  const registration = trunk.auth === 'registration';
  const sections: ConfSection[] = [
    {
      name,
      comment: `trunk ${trunk.name}${trunk.description ? `: ${trunk.description}` : ''} (${trunk.auth})`,
      entries: [
        ['type', 'endpoint'],
        // Calls from a carrier can only reach the DIDs the model routes, never a trunk.
        ['context', 'from-trunk'],
        ['disallow', 'all'],
        ['allow', trunk.codecs.join(',')],
        ['aors', name],
        ['outbound_auth', registration ? authOf(name) : undefined],
        ['outbound_proxy', edge?.proxy],
        ['from_user', trunk.username],
        ['from_domain', trunk.fromDomain],
        ['direct_media', false],
        ['rtp_symmetric', true],
        ['force_rport', true],
        ['trust_id_inbound', true],
        ['send_pai', true],
        // An agent answering must not send the carrier a re-INVITE with internal names and numbers.
        ['send_connected_line', false],
      ],
    },
    {
      name,
      entries: [
        ['type', 'aor'],
        ['contact', uri],
        ['qualify_frequency', 60],
        ['outbound_proxy', edge?.proxy],
      ],
    },
  ];
  if (registration) {
    sections.push(
      {
        name: authOf(name),
        entries: [
          ['type', 'auth'],
          ['auth_type', 'userpass'],
          ['username', trunk.username],
          ['password', trunk.password ? secrets.value(trunk.password) : undefined],
        ],
      },
      {
        name: `${name}-reg`,
        entries: [
          ['type', 'registration'],
          ['transport', TRANSPORT],
          ['outbound_auth', authOf(name)],
          ['server_uri', uri],
          ['outbound_proxy', edge?.proxy],
          ['client_uri', `sip:${trunk.username}@${trunk.host}:${trunk.port}`],
          ['contact_user', trunk.username],
          ['retry_interval', 60],
          ['forbidden_retry_interval', 600],
          ['expiration', 3600],
          // Calls the carrier sends to our registration are matched to this endpoint.
          ['line', true],
          ['endpoint', name],
        ],
      },
    );
  }
  if (edge) {
    // Behind an edge every carrier's call comes from the edge, which names the trunk.
    sections.push({
      name: `${name}-identify`,
      entries: [
        ['type', 'identify'],
        ['endpoint', name],
        ['match_header', `${TRUNK_HEADER}: ${trunk.name}`],
      ],
    });
  } else if (!registration) {
    sections.push({
      name: `${name}-identify`,
      entries: [
        ['type', 'identify'],
        ['endpoint', name],
        ['match', (trunk.addresses.length > 0 ? trunk.addresses : [trunk.host]).join(',')],
      ],
    });
  }
  return sections;
}

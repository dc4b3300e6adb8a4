import type { Model, Trunk, User } from '../../model/types.js';
import { devicePassword } from '../../secrets/device-password.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { header } from './conf/header.js';
import { renderConf, type ConfSection } from './conf/ini.js';
import { authOf, endpointOf, pbxNode, trunkEndpoint, userContext } from './names.js';

export const TRANSPORT = 'transport-udp';

/**
 * pjsip.conf with explicit sections (endpoint, auth, aor, identify, registration), not the
 * wizard: they diff readably and reload predictably. Security defaults: no anonymous endpoint
 * (an unknown caller is challenged, never routed), IP-identified carriers land in from-trunk,
 * the server does not announce its version.
 */
export function pjsipConf(model: Model, secrets: SecretResolver): string {
  const node = pbxNode(model);
  const sections: ConfSection[] = [
    {
      name: 'global',
      entries: [
        ['type', 'global'],
        ['user_agent', 'callplan PBX'],
        // Carriers are identified by address first; everything else must authenticate.
        ['endpoint_identifier_order', 'ip,username'],
      ],
    },
    {
      name: TRANSPORT,
      entries: [
        ['type', 'transport'],
        ['protocol', 'udp'],
        ['bind', `${node.address}:${node.sipPort}`],
        ['external_media_address', node.publicAddress],
        ['external_signaling_address', node.publicAddress],
      ],
    },
  ];
  for (const user of model.users) sections.push(...userSections(user, model, secrets));
  for (const trunk of model.trunks) sections.push(...trunkSections(trunk, secrets));
  return renderConf(header('pjsip.conf', model), sections);
}

function userSections(user: User, model: Model, secrets: SecretResolver): ConfSection[] {
  return user.devices.flatMap((device): ConfSection[] => {
    const name = endpointOf(device);
    const password = devicePassword(device, secrets);
    return [
      {
        name,
        comment: `${user.name} (${user.extension}), ${device.type}${device.model ? ` ${device.model}` : ''}${device.mac ? ` ${device.mac}` : ''}`,
        entries: [
          ['type', 'endpoint'],
          ['context', userContext(user, model)],
          ['disallow', 'all'],
          ['allow', model.defaults.codecs.join(',')],
          ['auth', authOf(name)],
          ['aors', name],
          ['callerid', `"${user.name.replace(/"/g, "'")}" <${user.extension}>`],
          ['language', user.language],
          ['mailboxes', user.voicemail ? `${user.extension}@default` : undefined],
          ['dtmf_mode', 'rfc4733'],
          // Phones sit behind NAT more often than not: answer where the packets came from.
          ['direct_media', false],
          ['rtp_symmetric', true],
          ['force_rport', true],
          ['rewrite_contact', true],
          ['allow_subscribe', true],
          ['send_pai', true],
          ['trust_id_inbound', false],
        ],
      },
      {
        name: authOf(name),
        entries: [
          ['type', 'auth'],
          ['auth_type', 'userpass'],
          ['username', name],
          ['password', password],
        ],
      },
      {
        name,
        entries: [
          ['type', 'aor'],
          ['max_contacts', 1],
          ['remove_existing', true],
          ['qualify_frequency', 60],
        ],
      },
    ];
  });
}

function trunkSections(trunk: Trunk, secrets: SecretResolver): ConfSection[] {
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
  } else {
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

import type { Model, PbxNode } from '../../model/types.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { header } from './conf/header.js';
import { renderConf, type ConfSection } from './conf/ini.js';
import { AMI_EXTERNAL_DIALER_USER, AMI_PROVISION_USER, AMI_USER, pbxNode } from './names.js';

/**
 * The Asterisk Manager, loopback only, one user per tool and no more rights than it needs:
 *
 * - the pacing daemon (`callplan dialer run`) reads call, agent and user events (its campaign
 *   contexts report through UserEvent); originates calls, asks for channels (Status), queue members
 *   (QueueStatus) and the outcome a call left in AstDB (DBGet: class reporting, which reads and
 *   changes nothing else), and pauses agents (QueuePause);
 * - `callplan provision resync` (only in projects with SNOM phones) sends NOTIFYs: PJSIPNotify and
 *   PJSIPShowContacts need class `system`, which the dialer does not get. It reads no events
 *   (action responses reach the session that asked whatever its read classes).
 *
 * Secrets are derived from the master secret, so the tools derive them too.
 */
export function managerConf(model: Model, secrets: SecretResolver, node: Pick<PbxNode, 'amiPort'> = pbxNode(model)): string {
  const loopbackOnly: ConfSection['entries'] = [
    ['deny', '0.0.0.0/0.0.0.0'],
    ['permit', '127.0.0.1/255.255.255.255'],
  ];
  const sections: ConfSection[] = [
    {
      name: 'general',
      entries: [
        ['enabled', true],
        ['bindaddr', '127.0.0.1'],
        ['port', node.amiPort],
        ['displayconnects', false],
        ['webenabled', false],
      ],
    },
    {
      name: AMI_USER,
      entries: [['secret', secrets.derived(`ami:${AMI_USER}`)], ...loopbackOnly, ['read', 'call,agent,user'], ['write', 'originate,call,agent,reporting'], ['writetimeout', 5000]],
    },
  ];
  if (model.users.some((u) => u.devices.some((d) => d.type === 'snom'))) {
    sections.push({
      name: AMI_PROVISION_USER,
      comment: 'callplan provision resync: sends check-sync NOTIFYs to registered SNOM phones; reads no events.',
      entries: [['secret', secrets.derived(`ami:${AMI_PROVISION_USER}`)], ...loopbackOnly, ['write', 'system'], ['writetimeout', 5000]],
    });
  }
  if (model.secrets.externalDialer) {
    sections.push({
      name: AMI_EXTERNAL_DIALER_USER,
      comment:
        "Another vendor's dialer (secrets.external_dialer): reads call and agent events, originates into cp-external-dialer\n(docs/dialer.md, \"External dialers\"); no system, command or config class: it cannot reload, run CLI commands or read files.",
      entries: [['secret', secrets.value(model.secrets.externalDialer)], ...loopbackOnly, ['read', 'call,agent'], ['write', 'originate,call'], ['writetimeout', 5000]],
    });
  }
  return renderConf(header('manager.conf', model), sections);
}

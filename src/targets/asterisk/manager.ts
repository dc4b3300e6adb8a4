import type { Model } from '../../model/types.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { header } from './conf/header.js';
import { renderConf } from './conf/ini.js';
import { AMI_USER, pbxNode } from './names.js';

/**
 * The Asterisk Manager for the pacing daemon only: loopback, one user, and no more rights than
 * it needs (read call and agent events; originate, hang up or redirect calls; pause agents).
 * Its secret is derived from the master secret, so the daemon can derive it too.
 */
export function managerConf(model: Model, secrets: SecretResolver): string {
  return renderConf(header('manager.conf', model), [
    {
      name: 'general',
      entries: [
        ['enabled', true],
        ['bindaddr', '127.0.0.1'],
        ['port', pbxNode(model).amiPort],
        ['displayconnects', false],
        ['webenabled', false],
      ],
    },
    {
      name: AMI_USER,
      entries: [
        ['secret', secrets.derived(`ami:${AMI_USER}`)],
        ['deny', '0.0.0.0/0.0.0.0'],
        ['permit', '127.0.0.1/255.255.255.255'],
        ['read', 'call,agent'],
        ['write', 'originate,call,agent'],
        ['writetimeout', 5000],
      ],
    },
  ]);
}

import { createHash } from 'node:crypto';
import type { Model } from '../../model/types.js';
import { devicePassword } from '../../secrets/device-password.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { endpointOf } from '../asterisk/names.js';

/** The digest realm the edge challenges phones with: fixed, so the HA1s do not depend on how phones name the edge. */
export const REALM = 'callplan';

/**
 * db/subscriber: a db_text table with every device's HA1 (MD5 of `user:realm:password`), so the
 * edge authenticates phones with the same derived passwords their provisioning files hold,
 * without holding the passwords themselves.
 */
export function subscriberTable(model: Model, secrets: SecretResolver): string {
  const rows = ['username(str) ha1(str)'];
  for (const user of model.users) {
    for (const device of user.devices) {
      const name = endpointOf(device);
      const ha1 = createHash('md5').update(`${name}:${REALM}:${devicePassword(device, secrets)}`).digest('hex');
      rows.push(`${escapeDbText(name)}:${ha1}`);
    }
  }
  return `${rows.join('\n')}\n`;
}

/** db_text's escapes: `:` separates fields, and newlines, tabs and backslashes are escaped. */
function escapeDbText(value: string): string {
  return value.replace(/[\\:\n\r\t]/g, (c) => ({ '\\': '\\\\', ':': '\\:', '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c]!);
}

import { normalizeMac } from '../mac.js';
import type { Rule } from './rule.js';

export const invalidMac: Rule = {
  id: 'invalid-mac',
  description: 'MAC addresses are six hex pairs (00:04:13:4A:1B:2C, with :, - or no separators), not all zeros, not multicast.',
  severity: 'error',
  check(ctx) {
    for (const user of ctx.raw.users ?? []) {
      for (const device of user.devices ?? []) {
        if (device.mac === undefined) continue;
        const mac = normalizeMac(device.mac);
        if (!mac) {
          ctx.report({ at: device, path: ['mac'] }, `"${device.mac}" is not a MAC address`, 'Write six hex pairs, e.g. 00:04:13:4A:1B:2C, as printed on the label under the phone.');
        } else if (mac === '000000000000' || mac === 'FFFFFFFFFFFF' || (parseInt(mac.slice(0, 2), 16) & 1) === 1) {
          ctx.report({ at: device, path: ['mac'] }, `${device.mac} is not the address of a phone (zero, broadcast or multicast)`, 'Copy the MAC from the label under the phone.');
        }
      }
    }
  },
};

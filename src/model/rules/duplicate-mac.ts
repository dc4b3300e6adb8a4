import { normalizeMac } from '../mac.js';
import type { Rule } from './rule.js';

export const duplicateMac: Rule = {
  id: 'duplicate-mac',
  description: 'Each phone (MAC address) belongs to one user only: a phone fetches one provisioning file.',
  severity: 'error',
  check(ctx) {
    const seen = new Map<string, string>();
    for (const user of ctx.raw.users ?? []) {
      (user.devices ?? []).forEach((device) => {
        const mac = device.mac === undefined ? undefined : normalizeMac(device.mac);
        if (!mac) return;
        const first = seen.get(mac);
        if (first !== undefined) {
          ctx.report({ at: device, path: ['mac'] }, `MAC ${device.mac} is already the phone of user ${first}`, 'Check the MAC on the label under the phone; one phone serves one user.');
        } else {
          seen.set(mac, user.extension);
        }
      });
    }
  },
};

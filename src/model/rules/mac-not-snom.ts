import { normalizeMac, SNOM_OUI } from '../mac.js';
import type { Rule } from './rule.js';

export const notSnomMac: Rule = {
  id: 'mac-not-snom',
  description: "A SNOM phone's MAC starts with SNOM's OUI 00:04:13; another prefix usually means a typo.",
  severity: 'warning',
  check(ctx) {
    for (const user of ctx.raw.users ?? []) {
      for (const device of user.devices ?? []) {
        if (device.type !== 'snom' || device.mac === undefined) continue;
        const mac = normalizeMac(device.mac);
        // Zero, broadcast and multicast addresses are no phone's at all: invalid-mac reports them.
        const isPhoneAddress = mac !== undefined && mac !== '000000000000' && (parseInt(mac.slice(0, 2), 16) & 1) === 0;
        if (mac && isPhoneAddress && !mac.startsWith(SNOM_OUI)) {
          ctx.report({ at: device, path: ['mac'] }, `${device.mac} does not start with SNOM's prefix 00:04:13`, 'Check the MAC on the label; ignore this warning only for rebadged phones.');
        }
      }
    }
  },
};

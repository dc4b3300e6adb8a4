import { isIpAddress } from '../ip.js';
import { entries, type Rule } from './rule.js';

/**
 * A trunk authenticated by address must have one to accept calls from: its listed addresses, or
 * its host when that is an IP address. A host name is not enough: the Kamailio edge matches
 * carriers by address and never resolves names, and Asterisk resolves one only when it loads.
 */
export const trunkWithoutAddress: Rule = {
  id: 'trunk-without-address',
  description: 'A trunk either registers (auth: registration) or has an address its calls come from (addresses, or an IP address as host).',
  severity: 'error',
  check(ctx) {
    for (const [name, trunk] of entries(ctx.raw.trunks)) {
      if (trunk.auth !== 'ip' || (trunk.addresses?.length ?? 0) > 0 || isIpAddress(trunk.host)) continue;
      ctx.report(
        { at: trunk, path: ['host'] },
        `trunk ${name} accepts calls by address (auth: ip) but has none: ${trunk.host} is a name and addresses is empty`,
        'List the carrier’s IP addresses or networks under addresses (calls are accepted from those only), or register with the carrier (auth: registration).',
      );
    }
  },
};

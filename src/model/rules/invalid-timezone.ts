import { isValidTimezone } from '../time.js';
import { entries, type Rule } from './rule.js';

const HINT = 'Use an IANA zone name with its exact case, e.g. Europe/Warsaw, Europe/Moscow, Asia/Sakhalin (see `timedatectl list-timezones`).';

export const invalidTimezone: Rule = {
  id: 'invalid-timezone',
  description: 'Sites and campaigns name IANA time zones that exist.',
  severity: 'error',
  check(ctx) {
    for (const [name, site] of entries(ctx.raw.sites)) {
      if (!isValidTimezone(site.timezone)) ctx.report({ at: site, path: ['timezone'] }, `site ${name}: unknown time zone "${site.timezone}"`, HINT);
    }
    for (const [name, campaign] of entries(ctx.raw.campaigns)) {
      const zone = campaign.contacts.timezone;
      if (zone !== undefined && !isValidTimezone(zone)) {
        ctx.report({ at: campaign.contacts, path: ['timezone'] }, `campaign ${name}: unknown time zone "${zone}"`, HINT);
      }
    }
  },
};

import { describe, expect, it } from 'vitest';
import { BASE, findings } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** BASE with the site's zone replaced (at 5:15). */
const site = (zone: string) => edit(BASE, ['timezone: Europe/Warsaw', `timezone: ${zone}`]);

/** BASE plus a campaign whose contacts default to `zone` (at 42:40). */
const campaign = (zone: string) => `${BASE}campaigns:
  renewals:
    mode: progressive
    queue: queue:support
    contacts: { source: api, timezone: ${zone} }
    window: { from: "09:00", to: "20:00" }
`;

ruleTable('invalid-timezone', 'error', {
  valid: [
    { name: 'Europe/Warsaw', files: site('Europe/Warsaw') },
    { name: 'UTC', files: site('UTC') },
    { name: 'Etc/UTC', files: site('Etc/UTC') },
    { name: 'a fixed offset the IANA way (Etc/GMT-3 is UTC+3)', files: site('Etc/GMT-3') },
    { name: 'three levels', files: site('America/Argentina/Buenos_Aires') },
    { name: 'Asia/Sakhalin', files: site('Asia/Sakhalin') },
    { name: 'a campaign zone', files: campaign('Europe/Moscow') },
    { name: 'a campaign without a default zone', files: campaign('Europe/Warsaw').replace(', timezone: Europe/Warsaw', '') },
  ],
  invalid: [
    {
      name: 'the right zone in the wrong case',
      files: site('europe/warsaw'),
      errors: [{ line: 5, column: 15, message: 'site hq: unknown time zone "europe/warsaw"', hint: 'exact case' }],
    },
    { name: 'all capitals', files: site('EUROPE/WARSAW'), errors: [{ line: 5, column: 15, message: 'unknown time zone "EUROPE/WARSAW"' }] },
    { name: 'utc in lower case', files: site('utc'), errors: [{ line: 5, column: 15, message: 'unknown time zone "utc"' }] },
    { name: 'the city in Polish', files: site('Europe/Warszawa'), errors: [{ line: 5, column: 15, message: 'unknown time zone "Europe/Warszawa"' }] },
    { name: 'an offset, not a zone (UTC+3)', files: site('"UTC+3"'), errors: [{ line: 5, column: 15, message: 'unknown time zone "UTC+3"' }] },
    { name: 'an abbreviation (CEST)', files: site('CEST'), errors: [{ line: 5, column: 15, message: 'unknown time zone "CEST"' }] },
    { name: 'a trailing space', files: site('"Europe/Warsaw "'), errors: [{ line: 5, column: 15, message: 'unknown time zone "Europe/Warsaw "' }] },
    { name: 'empty', files: site('""'), errors: [{ line: 5, column: 15, message: 'unknown time zone ""' }] },
    {
      name: 'a campaign’s contact zone',
      files: campaign('Europe/Moskow'),
      errors: [{ line: 42, column: 40, message: 'campaign renewals: unknown time zone "Europe/Moskow"', hint: 'IANA' }],
    },
  ],
});

describe('invalid-timezone: names the PBX tz database would not find', () => {
  it.each(['etc/utc', 'us/eastern', 'europe/warsaw'])('refuses %s although ICU takes it', (zone) => {
    const found = findings({ 'callplan.yaml': BASE.replace('timezone: Europe/Warsaw', `timezone: ${zone}`) }, 'invalid-timezone');
    expect(found).toHaveLength(1);
  });

  it.each(['UTC', 'Etc/GMT-3', 'America/Argentina/Buenos_Aires', 'America/Port-au-Prince', 'US/Eastern', 'EST5EDT'])('accepts %s', (zone) => {
    expect(findings({ 'callplan.yaml': BASE.replace('timezone: Europe/Warsaw', `timezone: ${zone}`) }, 'invalid-timezone')).toEqual([]);
  });
});

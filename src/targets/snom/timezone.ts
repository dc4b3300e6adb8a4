/**
 * A site's IANA time zone as SNOM's `timezone` setting. SNOM phones take their own codes
 * (country + standard offset: POL+1, RUS+3, GBR-0), each with the country's daylight-saving
 * rule built into the firmware.
 *
 * The codes are SNOM's time zone list as provisioning tools carry it (FreePBX endpoint
 * manager's endpointman_time_zones table; tine20's SNOM time zone store; a Django SNOM
 * provisioning module mapping zoneinfo keys to the same codes). Only zones whose current
 * standard offset equals the code's are mapped (a test checks it against the zone data): the
 * list predates Russia's 2011–2016 changes, so Novosibirsk (UTC+7 since 2016) takes RUS+7, not
 * the RUS+6 labelled "Novosibirsk", and Minsk (UTC+3 without DST since 2011) takes RUS+3, not
 * BLR+2. Zones without a code of the right offset (Sakhalin and Magadan +11, Irkutsk +8,
 * Yakutsk +9, Istanbul +3 ...) get no code; the phone is then given its UTC offset in seconds
 * (`utc_offset`, as Wazo's SNOM plugin does), which is exact for the zones without daylight
 * saving time that this concerns.
 */
const SNOM_ZONES: Readonly<Record<string, string>> = {
  'Atlantic/Faroe': 'FRO-0',
  'Europe/Amsterdam': 'NLD+1',
  'Europe/Athens': 'GRC+2',
  'Europe/Belgrade': 'YUG+1',
  'Europe/Berlin': 'GER+1',
  'Europe/Bratislava': 'SVK+1',
  'Europe/Brussels': 'BEL+1',
  'Europe/Bucharest': 'ROU+2',
  'Europe/Budapest': 'HUN+1',
  'Europe/Chisinau': 'MDA+2',
  'Europe/Copenhagen': 'DNK+1',
  'Europe/Dublin': 'IRL-0',
  'Europe/Gibraltar': 'GIB+1',
  'Europe/Helsinki': 'FIN+2',
  'Europe/Kaliningrad': 'RUS+2',
  'Europe/Kiev': 'UKR+2',
  'Europe/Kyiv': 'UKR+2',
  'Europe/Lisbon': 'PRT-0',
  'Europe/London': 'GBR-0',
  'Europe/Luxembourg': 'LUX+1',
  'Europe/Madrid': 'ESP+1',
  'Europe/Minsk': 'RUS+3',
  'Europe/Moscow': 'RUS+3',
  'Europe/Nicosia': 'CYP+2',
  'Europe/Oslo': 'NOR+1',
  'Europe/Paris': 'FRA+1',
  'Europe/Prague': 'CZE+1',
  'Europe/Riga': 'LVA+2',
  'Europe/Rome': 'ITA+1',
  'Europe/Samara': 'RUS+4',
  'Europe/Skopje': 'MAK+1',
  'Europe/Sofia': 'BGR+2',
  'Europe/Stockholm': 'SWE+1',
  'Europe/Tallinn': 'EST+2',
  'Europe/Tirane': 'ALB+1',
  'Europe/Vienna': 'AUT+1',
  'Europe/Warsaw': 'POL+1',
  'Europe/Zagreb': 'HRV+1',
  'Europe/Zurich': 'CHE+1',
  'Asia/Kamchatka': 'RUS+12',
  'Asia/Krasnoyarsk': 'RUS+7',
  'Asia/Nicosia': 'CYP+2',
  'Asia/Novosibirsk': 'RUS+7',
  'Asia/Omsk': 'RUS+6',
  'Asia/Vladivostok': 'RUS+10',
  'Asia/Yekaterinburg': 'RUS+5',
};

export type SnomTimezone = { code: string } | { utcOffset: number };

/** SNOM's code for the zone, or its UTC offset in seconds (standard time) when SNOM has no code for it. */
export function snomTimezone(iana: string): SnomTimezone {
  const code = SNOM_ZONES[iana];
  if (code !== undefined) return { code };
  let offset = offsets.get(iana);
  if (offset === undefined) offsets.set(iana, (offset = standardOffsetSeconds(iana)));
  return { utcOffset: offset };
}

const offsets = new Map<string, number>();

/** Zones with a SNOM code, for tests and docs. */
export const SNOM_ZONE_CODES: Readonly<Record<string, string>> = SNOM_ZONES;

/** The code's own offset in seconds: "RUS+3" → 10800, "GBR-0" → 0, "IND+5.5" → 19800. */
export function codeOffsetSeconds(code: string): number {
  const m = /([+-])(\d+(?:\.\d+)?)$/.exec(code);
  if (!m) throw new Error(`not a SNOM time zone code: ${code}`);
  const seconds = Math.round(Number(m[2]) * 3600);
  return m[1] === '-' && seconds !== 0 ? -seconds : seconds;
}

/**
 * The zone's offset from UTC in seconds on the dates of this year when the northern and southern
 * hemispheres keep standard time, whichever is smaller (daylight saving time only adds). Fixed
 * dates keep the build reproducible within one tz database.
 */
export function standardOffsetSeconds(iana: string): number {
  return Math.min(offsetAt(iana, Date.UTC(2026, 0, 15, 12)), offsetAt(iana, Date.UTC(2026, 6, 15, 12)));
}

export function offsetAt(iana: string, utcMillis: number): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: iana, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).formatToParts(
    new Date(utcMillis),
  );
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - utcMillis) / 1000);
}

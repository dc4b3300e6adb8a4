/**
 * Phone numbers to E.164, and where a callee is (their time zone) from a region or the number.
 * The table covers the countries callplan's deployments call; a country with several time zones
 * is named so that its rows ask for a time zone column instead of getting a wrong one.
 */

interface Country {
  /** Calling code. */
  code: string;
  /** Digit(s) dialled before a national number inside the country, dropped in E.164. */
  trunk: string;
  /** The country's time zone, or undefined when it has several. */
  timezone?: string;
}

const COUNTRIES: Record<string, Country> = {
  AT: { code: '43', trunk: '0', timezone: 'Europe/Vienna' },
  BE: { code: '32', trunk: '0', timezone: 'Europe/Brussels' },
  BY: { code: '375', trunk: '80', timezone: 'Europe/Minsk' },
  CH: { code: '41', trunk: '0', timezone: 'Europe/Zurich' },
  CZ: { code: '420', trunk: '', timezone: 'Europe/Prague' },
  DE: { code: '49', trunk: '0', timezone: 'Europe/Berlin' },
  EE: { code: '372', trunk: '', timezone: 'Europe/Tallinn' },
  ES: { code: '34', trunk: '', timezone: 'Europe/Madrid' },
  FR: { code: '33', trunk: '0', timezone: 'Europe/Paris' },
  GB: { code: '44', trunk: '0', timezone: 'Europe/London' },
  IE: { code: '353', trunk: '0', timezone: 'Europe/Dublin' },
  IT: { code: '39', trunk: '', timezone: 'Europe/Rome' },
  LT: { code: '370', trunk: '8', timezone: 'Europe/Vilnius' },
  LV: { code: '371', trunk: '', timezone: 'Europe/Riga' },
  NL: { code: '31', trunk: '0', timezone: 'Europe/Amsterdam' },
  PL: { code: '48', trunk: '', timezone: 'Europe/Warsaw' },
  PT: { code: '351', trunk: '', timezone: 'Europe/Lisbon' },
  SK: { code: '421', trunk: '0', timezone: 'Europe/Bratislava' },
  TR: { code: '90', trunk: '0', timezone: 'Europe/Istanbul' },
  UA: { code: '380', trunk: '0', timezone: 'Europe/Kyiv' },
  // Several time zones: a region alone cannot say which.
  RU: { code: '7', trunk: '8' },
  KZ: { code: '7', trunk: '8' },
  US: { code: '1', trunk: '1' },
  CA: { code: '1', trunk: '1' },
  AU: { code: '61', trunk: '0' },
  BR: { code: '55', trunk: '0' },
  MX: { code: '52', trunk: '' },
};

export type NumberResult = { ok: true; e164: string } | { ok: false; reason: string };

/**
 * A number as people write it (+48 601 234 567, 0048601234567, (601) 234-567) to E.164 digits
 * without '+'. A national number needs the country (`--country`, or the campaign's time zone's).
 */
export function normalizeNumber(text: string, country?: string): NumberResult {
  const raw = text.trim();
  if (raw === '') return { ok: false, reason: 'empty' };
  if (/[^\d\s+().\-/]/.test(raw)) return { ok: false, reason: `"${raw}" has characters a phone number cannot hold` };
  const plus = raw.startsWith('+');
  let d = raw.replace(/\D/g, '');
  if (plus) {
    if (raw.indexOf('+', 1) >= 0) return { ok: false, reason: `"${raw}" has a '+' inside` };
  } else if (d.startsWith('00')) d = d.slice(2);
  else {
    const c = country === undefined ? undefined : COUNTRIES[country];
    if (!c) return { ok: false, reason: `"${raw}" is not international (no + or 00) and no country is known for national numbers; give --country` };
    if (c.trunk !== '' && d.startsWith(c.trunk)) d = d.slice(c.trunk.length);
    d = c.code + d;
  }
  if (d.startsWith('0')) return { ok: false, reason: `"${raw}": no country code starts with 0` };
  if (d.length < 8 || d.length > 15) return { ok: false, reason: `"${raw}" has ${d.length} digits; an international number has 8 to 15` };
  return { ok: true, e164: d };
}

export function isCountry(code: string): boolean {
  return COUNTRIES[code.toUpperCase()] !== undefined;
}

/** The country whose time zone this is (Europe/Warsaw → PL), for national numbers. */
export function countryOfTimezone(timezone: string | undefined): string | undefined {
  if (timezone === undefined) return undefined;
  return Object.entries(COUNTRIES).find(([, c]) => c.timezone === timezone)?.[0];
}

export type ZoneResult = { ok: true; timezone: string } | { ok: false; reason: string };

/** A region cell: an IANA time zone (Europe/Warsaw) or an ISO country code with one time zone (PL). */
export function regionTimezone(region: string): ZoneResult {
  const r = region.trim();
  if (r.includes('/')) return validTimezone(r) ? { ok: true, timezone: r } : { ok: false, reason: `unknown time zone "${r}"` };
  const c = COUNTRIES[r.toUpperCase()];
  if (!c) return { ok: false, reason: `unknown region "${r}"; give an ISO country code (PL, TR ...) or a time zone (Europe/Warsaw)` };
  if (!c.timezone) return { ok: false, reason: `region ${r.toUpperCase()} has several time zones; give the callee's time zone (a timezone column)` };
  return { ok: true, timezone: c.timezone };
}

/** The time zone of a number's country, when the country has only one. */
export function numberTimezone(e164: string): string | undefined {
  let best: Country | undefined;
  for (const c of Object.values(COUNTRIES)) if (e164.startsWith(c.code) && (!best || c.code.length > best.code.length)) best = c;
  // Codes shared by several countries (1, 7) have no single zone.
  return best?.timezone;
}

export function validTimezone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

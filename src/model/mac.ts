/** MAC addresses as people write them: 00:04:13:4a:1b:2c, 00-04-13-4A-1B-2C, 0004.134a.1b2c or 0004134A1B2C. */
const FORMS = [
  /^[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}$/,
  /^[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}$/,
  /^[0-9A-Fa-f]{4}(\.[0-9A-Fa-f]{4}){2}$/,
  /^[0-9A-Fa-f]{12}$/,
];

/** The form SNOM phones use in the file names they request: upper case, no separators. */
export function normalizeMac(text: string): string | undefined {
  if (!FORMS.some((f) => f.test(text))) return undefined;
  return text.replace(/[:.-]/g, '').toUpperCase();
}

/** SNOM's IEEE OUI. */
export const SNOM_OUI = '000413';

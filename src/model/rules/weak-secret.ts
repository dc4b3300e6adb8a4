import { secretFields, type SecretKind } from '../secret-fields.js';
import { parseSecretRef } from '../../secrets/refs.js';
import type { Rule } from './rule.js';

/** Passwords SIP scanners try first (friendlyscanner, sipvicious wordlists start with these). */
const COMMON = new Set(['password', 'password1', 'secret', 'changeme', 'letmein', 'welcome', 'qwerty', 'asterisk', 'admin', 'administrator', 'default', 'voip', 'sip']);

const MIN_LENGTH: Record<Exclude<SecretKind, 'pin'>, number> = { password: 12, master: 32 };

/**
 * Judged only when the value is at hand (environment or secrets file): CI that validates a pull
 * request without secrets still passes, and `build` refuses a weak value when it resolves it.
 * The message never shows the value.
 */
export const weakSecret: Rule = {
  id: 'weak-secret',
  description: 'SIP passwords have at least 12 characters of 3 kinds (or 20 of any), the master secret 32, PINs 4+ digits that are not a run or repeat; none contains the account name.',
  severity: 'error',
  check(ctx) {
    for (const field of secretFields(ctx.raw)) {
      if (typeof field.value !== 'string') continue;
      const ref = parseSecretRef(field.value);
      if (!ref) continue; // inline-secret reports it
      const value = ctx.secrets.get(ref);
      if (value === undefined) continue;
      const weakness = field.kind === 'pin' ? weakPin(value, field.avoid) : weakPassword(value, MIN_LENGTH[field.kind], field.avoid);
      if (weakness) {
        ctx.report(field, `${field.label} (${field.value}) is weak: ${weakness}`, field.kind === 'pin' ? 'Use 6 or more random digits.' : 'Generate one, e.g. `openssl rand -base64 24`; SIP scanners guess weak passwords within hours and run up toll-fraud bills.');
      }
    }
  },
};

export function weakPassword(value: string, minLength: number, avoid: readonly string[]): string | undefined {
  if (value.length < minLength) return `shorter than ${minLength} characters`;
  if (COMMON.has(value.toLowerCase().replace(/[0-9!]+$/, ''))) return 'a commonly guessed word';
  if (/^(.)\1*$/.test(value)) return 'one character repeated';
  const lower = value.toLowerCase();
  for (const a of avoid) if (a.length >= 3 && lower.includes(a.toLowerCase())) return 'contains the account name or number';
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
  if (value.length < 20 && classes < 3) return 'fewer than 3 kinds of characters (lower, upper, digits, symbols) and under 20 characters';
  return undefined;
}

export function weakPin(value: string, avoid: readonly string[] = []): string | undefined {
  if (!/^[0-9]+$/.test(value)) return 'a PIN is digits only';
  if (value.length < 4) return 'shorter than 4 digits';
  if (/^(.)\1*$/.test(value)) return 'one digit repeated';
  if ('01234567890'.includes(value) || '09876543210'.includes(value)) return 'a run of consecutive digits';
  // The room's own number is the first PIN a caller tries.
  for (const a of avoid) if (a.length >= 3 && value.includes(a)) return 'contains the account name or number';
  return undefined;
}

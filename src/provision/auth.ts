import { createHash, timingSafeEqual } from 'node:crypto';

/** HTTP Basic credentials as the client sent them. */
export interface Claimed {
  username: string;
  password: string;
}

/** The credentials of an `Authorization: Basic ...` header; undefined for none or anything else. */
export function parseBasic(header: string | undefined): Claimed | undefined {
  const m = header === undefined ? null : /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header);
  if (!m) return undefined;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? undefined : { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

const MAC = /^[0-9A-Fa-f]{12}$/;
/** Stands in for a user name that is no MAC, so such a request takes the same steps as any other. */
const NO_MAC = '000000000000';
const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/**
 * The MAC these credentials prove, or undefined. One path for every request: a password is
 * derived for the claimed MAC (or a stand-in), compared in constant time, and only then is the
 * MAC looked up, so a wrong password and an unknown MAC cost the same and end the same way.
 */
export function authenticate(claimed: Claimed | undefined, passwordOf: (mac: string) => string, isKnown: (mac: string) => boolean): string | undefined {
  const wellFormed = claimed !== undefined && MAC.test(claimed.username);
  const mac = wellFormed ? claimed.username.toUpperCase() : NO_MAC;
  const matches = timingSafeEqual(digest(claimed?.password ?? ''), digest(passwordOf(mac)));
  const known = isKnown(mac);
  return wellFormed && matches && known ? mac : undefined;
}

/** The MAC a request claims to be (for the fetch log): its user name when that is one. */
export function claimedMac(claimed: Claimed | undefined): string | undefined {
  return claimed !== undefined && MAC.test(claimed.username) ? claimed.username.toUpperCase() : undefined;
}

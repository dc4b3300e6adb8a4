/**
 * Which file a request asks for, from its path alone. The names are those of the snom target
 * (files a SNOM phone requests under its setting URL): `snom<type>.htm` (the list every phone of
 * a type fetches), `snom<type>-<MAC>.htm` (one phone's list) and `<MAC>.xml` (its settings).
 * Anything else, or anything that could name another directory, is no file at all.
 */
export type Route =
  | { kind: 'type-list'; phoneType: string; file: string }
  | { kind: 'phone-list'; phoneType: string; mac: string; file: string }
  | { kind: 'settings'; mac: string; file: string }
  | { kind: 'phonebook'; site: string; file: string }
  | { kind: 'none'; mac?: string };

const PHONE_TYPE = 'snom[A-Za-z0-9]{1,16}';
const MAC = '[0-9A-Fa-f]{12}';
const TYPE_LIST = new RegExp(`^(${PHONE_TYPE})\\.htm$`);
const PHONE_LIST = new RegExp(`^(${PHONE_TYPE})-(${MAC})\\.htm$`);
const SETTINGS = new RegExp(`^(${MAC})\\.xml$`);
const PHONEBOOK = /^tbook-([a-z0-9][a-z0-9_-]{0,62})\.xml$/;
const ANY_MAC = new RegExp(`(?:^|[^0-9A-Fa-f])(${MAC})(?:[^0-9A-Fa-f]|$)`);

/** "/snom/" from "snom", "/snom" or "/snom/"; "/" for the root. */
export function normalizePrefix(prefix: string): string {
  const parts = prefix.split('/').filter((p) => p !== '');
  return parts.length === 0 ? '/' : `/${parts.join('/')}/`;
}

/** The path of a URL (`https://host/snom/` → `/snom/`), for the server's default prefix. */
export function urlPrefix(url: string): string {
  return normalizePrefix(new URL(url).pathname);
}

/**
 * `target` is the request target as received (path and query). The query is ignored; the path is
 * taken literally: a percent sign, a backslash, a dot segment or an empty segment makes it no file.
 */
export function routeRequest(target: string, prefix: string): Route {
  const path = target.split('?')[0]!;
  const guess = ANY_MAC.exec(path)?.[1]?.toUpperCase();
  const none: Route = guess === undefined ? { kind: 'none' } : { kind: 'none', mac: guess };
  if (!path.startsWith(prefix) || /[%\\]/.test(path)) return none;
  const name = path.slice(prefix.length);
  if (name.includes('/')) return none;
  let m = SETTINGS.exec(name);
  if (m) {
    const mac = m[1]!.toUpperCase();
    return { kind: 'settings', mac, file: `${mac}.xml` };
  }
  m = PHONE_LIST.exec(name);
  if (m) {
    const mac = m[2]!.toUpperCase();
    return { kind: 'phone-list', phoneType: m[1]!, mac, file: `${m[1]}-${mac}.htm` };
  }
  m = TYPE_LIST.exec(name);
  if (m) return { kind: 'type-list', phoneType: m[1]!, file: name };
  m = PHONEBOOK.exec(name);
  if (m) return { kind: 'phonebook', site: m[1]!, file: name };
  return none;
}

/** The MAC a path names, if any (for the log). */
export function routeMac(route: Route): string | undefined {
  return 'mac' in route ? route.mac : undefined;
}

/** Whether the file is this phone's own: its settings, its list, or the list of its phone type. */
export function isOwnFile(route: Route, phone: { mac: string; phoneType: string; site: string }): boolean {
  switch (route.kind) {
    case 'settings':
      return route.mac === phone.mac;
    case 'phone-list':
      return route.mac === phone.mac && route.phoneType === phone.phoneType;
    case 'type-list':
      return route.phoneType === phone.phoneType;
    case 'phonebook':
      return route.site === phone.site;
    default:
      return false;
  }
}

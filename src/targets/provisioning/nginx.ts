import { createHash } from 'node:crypto';
import type { Model } from '../../model/types.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { header } from '../asterisk/conf/header.js';
import { phoneListFile, settingsFile, typeListFile } from '../snom/files.js';
import { urlPrefix } from '../../provision/routes.js';
import { commentText, type PhoneEntry } from './phones.js';

export const NGINX_CONF = 'provisioning/nginx/snom.conf';
export const NGINX_HTPASSWD = 'provisioning/nginx/snom.htpasswd';
const REALM = 'callplan provisioning';

/**
 * For users who serve snom/ with nginx rather than `callplan provision serve`: a server-block
 * snippet with the same policy. One exact location per file; each lets in only the phone(s) the
 * file belongs to, and everything else under the prefix is 401.
 *
 * nginx checks Basic credentials (auth_basic) only after its rewrite phase, where `if` runs; so
 * each location first refuses, with the same 401 and challenge auth_basic sends, any request
 * whose user name is not the file's MAC ($remote_user is the user name as sent, not yet
 * checked), then auth_basic checks the password. Every refusal is that one 401: no answer tells
 * an unknown MAC from a wrong password, or a file that exists from one that does not.
 */
export function nginxConf(model: Model, phones: readonly PhoneEntry[]): string {
  const prefix = urlPrefix(model.provisioning!.url!);
  // Every 401 carries these two headers in this order, as auth_basic's own 401 does here (its
  // challenge, then the location's Cache-Control): a refusal must look the same whichever step refused.
  const refusal = [`add_header WWW-Authenticate 'Basic realm="${REALM}"' always;`, "add_header Cache-Control 'no-store' always;"];
  const location = (file: string, macs: readonly string[], about: string) => [
    `# ${about}`,
    `location = ${prefix}${file} {`,
    '    limit_except GET { deny all; }',
    `    if ($remote_user !~ "^(${macs.join('|')})$") {`,
    ...refusal.map((l) => `        ${l}`),
    '        return 401;',
    '    }',
    `    auth_basic "${REALM}";`,
    `    auth_basic_user_file $callplan_build/${NGINX_HTPASSWD};`,
    `    alias $callplan_build/snom/${file};`,
    '    default_type text/xml;',
    "    add_header Cache-Control 'no-store' always;",
    '}',
    '',
  ];
  const out = [
    header(NGINX_CONF, model, '#').trimEnd(),
    '# For serving snom/ with nginx instead of `callplan provision serve`. In the server block that',
    `# answers provisioning.url (${model.provisioning!.url!.replace(/\/\/[^/@]*@/, '//')}), say where the build is, then include this file:`,
    '#',
    '#     set $callplan_build /srv/callplan/build;     # the directory callplan build wrote',
    `#     include /srv/callplan/build/${NGINX_CONF};`,
    '#',
    '# Each phone proves its MAC with HTTP Basic credentials (user name its MAC, password derived',
    '# from secrets.device_master; the DHCP host entries in provisioning/dhcp/ give them to it) and',
    `# gets only its own files; any other request under ${prefix} is 401. The access log names each`,
    '# phone ($remote_user). Serve it over HTTPS only: Basic credentials are readable in plain HTTP.',
    '# To limit requests per address (callplan provision serve does), add in the http block',
    '#     limit_req_zone $binary_remote_addr zone=callplan_provisioning:1m rate=60r/m;',
    '# and in the server block',
    '#     limit_req zone=callplan_provisioning burst=20 nodelay;',
    '#     limit_req_status 429;',
    '',
  ];
  const byType = new Map<string, PhoneEntry[]>();
  for (const p of phones) byType.set(p.phoneType, [...(byType.get(p.phoneType) ?? []), p]);
  for (const [type, group] of [...byType].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.push(...location(typeListFile(type), group.map((p) => p.mac), `every ${type} phone's list`));
  }
  for (const p of phones) {
    const who = `${p.extension} ${commentText(p.name)}, SNOM ${p.model}`;
    out.push(...location(phoneListFile(p.phoneType, p.mac), [p.mac], `${who}: its list`));
    out.push(...location(settingsFile(p.mac), [p.mac], `${who}: its settings`));
  }
  out.push(`# Anything else under ${prefix}: the same 401.`, `location ^~ ${prefix} {`, ...refusal.map((l) => `    ${l}`), '    return 401;', '}', '');
  return out.join('\n');
}

/**
 * The password file: one `MAC:{SSHA}...` line per phone (RFC 2307 salted SHA-1, which nginx reads
 * since 1.0.3). The salt is derived, not random, so a build gives the same bytes twice; the
 * passwords are 144 random bits, so a fast hash costs nothing in strength.
 */
export function htpasswd(phones: readonly PhoneEntry[], secrets: SecretResolver): string {
  const lines = phones.map((p) => {
    const salt = Buffer.from(secrets.derived(`provisioning-salt:${p.mac}`), 'utf8').subarray(0, 8);
    const hash = createHash('sha1').update(p.password, 'utf8').update(salt).digest();
    return `${p.mac}:{SSHA}${Buffer.concat([hash, salt]).toString('base64')}`;
  });
  return `${lines.join('\n')}\n`;
}

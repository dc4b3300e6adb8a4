import type { SecretResolver } from './resolve.js';

/**
 * A SNOM phone's provisioning credentials: user name its MAC (upper case, no separators, as in
 * the file names it requests), password derived from secrets.device_master
 * (`callplan:provisioning:<MAC>`). The provisioning server, the DHCP host entries and the nginx
 * password file derive the same values, so nothing is stored; any MAC has a password, so a
 * server checks a claimed MAC the same way whether or not the project lists it.
 */
export interface ProvisioningCredentials {
  username: string;
  password: string;
}

export function provisioningCredentials(mac: string, secrets: SecretResolver): ProvisioningCredentials {
  return { username: mac, password: secrets.derived(`provisioning:${mac}`) };
}

/**
 * A provisioning URL carrying a phone's credentials (`https://<MAC>:<password>@host/path/`), for
 * every URL that phone is given: the DHCP option 66 of its host entry, and the URLs in its own
 * files. The phone's HTTP client sends them as Basic authentication. Both parts are URL-safe
 * (hex digits; base64url), so nothing is percent-encoded.
 */
export function urlWithCredentials(url: string, credentials: ProvisioningCredentials): string {
  const m = /^(https?:\/\/)(?:[^@/]*@)?(.*)$/.exec(url);
  if (!m) throw new Error(`not an http(s) URL: ${url}`);
  return `${m[1]}${credentials.username}:${credentials.password}@${m[2]}`;
}

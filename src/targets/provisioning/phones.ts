import type { Model } from '../../model/types.js';
import { provisionedPhones, type ProvisionedPhone } from '../../provision/phones.js';
import { provisioningCredentials, urlWithCredentials } from '../../secrets/provisioning-credentials.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { phoneListFile, provisioningBase } from '../snom/files.js';

/**
 * A phone with the setting URL its DHCP host entry hands it: its own file list under
 * provisioning.url (`snom<type>-<MAC>.htm`, as the snom target's setting_server: its settings
 * and its site's directory), with its own credentials.
 */
export interface PhoneEntry extends ProvisionedPhone {
  url: string;
  password: string;
}

/** Sites (in name order) and their phones; empty without provisioning.url, as the snom target writes nothing then. */
export function phonesBySite(model: Model, secrets: SecretResolver): Map<string, PhoneEntry[]> {
  const base = provisioningBase(model);
  const out = new Map<string, PhoneEntry[]>();
  if (base === undefined) return out;
  for (const phone of provisionedPhones(model)) {
    const credentials = provisioningCredentials(phone.mac, secrets);
    const entry = { ...phone, url: `${urlWithCredentials(base, credentials)}${phoneListFile(phone.phoneType, phone.mac)}`, password: credentials.password };
    out.set(phone.site, [...(out.get(phone.site) ?? []), entry]);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** 000413A1B2C3 → 00:04:13:a1:b2:c3, as DHCP servers write hardware addresses. */
export const colonMac = (mac: string): string => mac.toLowerCase().match(/../g)!.join(':');

/** A user's name for a comment: one line, no control characters. */
export const commentText = (text: string): string => text.replace(/[\x00-\x1f\x7f]/g, ' ');

import type { Model } from '../../model/types.js';
import { header } from '../asterisk/conf/header.js';
import { colonMac, commentText, type PhoneEntry } from './phones.js';

/**
 * DHCP hints for one site: a host entry per SNOM phone, by MAC, handing the phone option 66 set
 * to its own settings URL, credentials included: https://<MAC>:<password>@host/path/{mac}.xml.
 *
 * What a SNOM phone does with it (SNOM's Auto Provisioning and DHCP option pages): option 66
 * ("TFTP server name") may hold a whole http(s) URL, which the phone keeps as update_server and
 * fetches its settings from; it replaces {mac} with its own MAC. The URL names the phone's own
 * settings file, the one the snom target's setting_server names too, rather than a folder: from a
 * folder the phone would first fetch the snom<type>.htm lists, whose URLs carry no credentials.
 * Option 67 (bootfile name, update_filename) is not sent: the URL names the file already.
 *
 * Why per phone and not one entry for every SNOM phone (a vendor-class match on "snom"): the
 * credentials differ per phone, and only a per-MAC entry can carry them. The trade-off: the
 * passwords sit in the DHCP server's configuration, and DHCP offers cross the phones' LAN
 * segment in clear, so anyone on that segment can read the offer of a phone that boots. They
 * get that one phone's settings, which the same person could take from the phone's own web page
 * or the wire anyway; nobody outside the segment gets anything, and no MAC can be guessed.
 */
const INTRO = (site: string, server: string) => [
  `SNOM phones of site "${site}": one host entry per phone, for ${server}.`,
  'Each hands its phone option 66: the URL of its own settings file ({mac} is replaced by the',
  'phone) with its provisioning credentials (user name its MAC, password derived from',
  'secrets.device_master). Option 67 is not sent: the URL names the file. The passwords are in',
  'this file: keep it readable by the DHCP server only (and mind that DHCP offers cross the phone',
  'LAN unencrypted).',
];

export function dhcpdConf(model: Model, site: string, phones: readonly PhoneEntry[]): string {
  const file = `provisioning/dhcp/${site}.dhcpd.conf`;
  const out = [header(file, model, '#').trimEnd(), ...INTRO(site, 'ISC dhcpd').map((l) => `# ${l}`), '# Include it in dhcpd.conf, in the scope (subnet, shared-network or group) that serves them.', ''];
  for (const p of phones) {
    out.push(`# ${p.extension} ${commentText(p.name)}, SNOM ${p.model}`);
    out.push(`host callplan-snom-${p.mac} {`);
    out.push(`  hardware ethernet ${colonMac(p.mac)};`);
    out.push(`  option tftp-server-name "${p.url}";`);
    out.push('}');
    out.push('');
  }
  return out.join('\n');
}

export function dnsmasqConf(model: Model, site: string, phones: readonly PhoneEntry[]): string {
  const file = `provisioning/dhcp/${site}.dnsmasq.conf`;
  const out = [
    header(file, model, '#').trimEnd(),
    ...INTRO(site, 'dnsmasq').map((l) => `# ${l}`),
    '# Put it in /etc/dnsmasq.d/ (or conf-file=), on the dnsmasq that serves them: each dhcp-host',
    '# tags its phone, and the tagged dhcp-option sends option 66 (tftp-server) to that phone only.',
    '',
  ];
  for (const p of phones) {
    const tag = `callplan-snom-${p.mac}`;
    out.push(`# ${p.extension} ${commentText(p.name)}, SNOM ${p.model}`);
    out.push(`dhcp-host=${colonMac(p.mac)},set:${tag}`);
    out.push(`dhcp-option=tag:${tag},option:tftp-server,"${p.url}"`);
    out.push('');
  }
  return out.join('\n');
}

import type { FileTree, Target } from '../target.js';
import { dhcpdConf, dnsmasqConf } from './dhcp.js';
import { htpasswd, NGINX_CONF, NGINX_HTPASSWD, nginxConf } from './nginx.js';
import { phonesBySite } from './phones.js';

/**
 * provisioning/: what the network around the phones needs, next to the snom/ files themselves.
 * Per site with SNOM phones, DHCP host entries for ISC dhcpd and dnsmasq that hand each phone its
 * setting URL with its credentials (option 66); for users serving snom/ with nginx, a server-block
 * snippet and its password file. Nothing without provisioning.url, like the snom target.
 */
export const provisioningTarget: Target = {
  name: 'provisioning',
  description: 'Provisioning hints: per-site DHCP host entries (ISC dhcpd, dnsmasq) giving each SNOM phone its setting URL, and an nginx snippet serving snom/ with per-phone credentials',
  compile(model, { secrets }) {
    const out: FileTree = new Map();
    const sites = phonesBySite(model, secrets);
    if (sites.size === 0) return out;
    for (const [site, phones] of sites) {
      out.set(`provisioning/dhcp/${site}.dhcpd.conf`, dhcpdConf(model, site, phones));
      out.set(`provisioning/dhcp/${site}.dnsmasq.conf`, dnsmasqConf(model, site, phones));
    }
    const all = [...sites.values()].flat();
    out.set(NGINX_CONF, nginxConf(model, all));
    out.set(NGINX_HTPASSWD, htpasswd(all, secrets));
    return out;
  },
};

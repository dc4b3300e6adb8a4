import type { Model } from '../../model/types.js';

/**
 * The names of the files a SNOM phone requests, under snom/ in the build (serve snom/ as the
 * provisioning server's document root). SNOM's Auto Provisioning documentation
 * (service.snom.com/display/wiki/Auto+Provisioning): when the setting server URL names no file,
 * the phone requests `<phoneType>.htm` first, then `<phoneType>-<MAC>.htm`, where phoneType is
 * its DHCP vendor class (snomD345, snom715) and the MAC is upper case without separators
 * (snomD345-000413A11FA7.htm); a URL may carry the variable {mac}, which the phone replaces by its
 * MAC. Wazo's SNOM plugin serves the same names (its request parser matches
 * `snom\w+-([\dA-F]{12})\.htm`) and points each MAC file at `<MAC>.xml`.
 *
 * A phone of a type the project has no phone of (or a model callplan does not know) finds neither
 * file: it gets 404 twice, keeps the settings it has and tries again at its next boot. Validation
 * refuses unknown models, and a phone's type is in the table, so this only happens to a phone the
 * project does not list, or one listed under another model than it is (a D735 written as D785):
 * the server's log shows the 404 for snomD735-<MAC>.htm.
 */
export const SNOM_DIR = 'snom';

/** Per phone type: which files every phone of that type fetches (its own settings, by {mac}). */
export const typeListFile = (phoneType: string): string => `${phoneType}.htm`;

/** Per phone: the list of its files, `<MAC>.xml` and its site's directory; also its setting_server. */
export const phoneListFile = (phoneType: string, mac: string): string => `${phoneType}-${mac}.htm`;

/** Per phone: every setting and function key. */
export const settingsFile = (mac: string): string => `${mac}.xml`;

/**
 * Per site: the directory (SNOM's tbook, which may be a file of its own listed beside the
 * settings). One file for the whole site: inline, a 200-person site's directory would be copied
 * into every phone's settings (7,500 phones: 245 MB of build instead of 30 MB).
 */
export const phonebookFile = (site: string): string => `tbook-${site}.xml`;

/** provisioning.url with a trailing "/": the base of every URL the phone is given. Undefined without one. */
export function provisioningBase(model: Model): string | undefined {
  const url = model.provisioning?.url;
  return url === undefined ? undefined : url.endsWith('/') ? url : `${url}/`;
}

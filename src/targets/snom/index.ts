import type { Device, Model, User } from '../../model/types.js';
import { devicePassword } from '../../secrets/device-password.js';
import { provisioningCredentials, urlWithCredentials } from '../../secrets/provisioning-credentials.js';
import type { FileTree, Target } from '../target.js';
import { phonebookFile, phoneListFile, provisioningBase, settingsFile, SNOM_DIR, typeListFile } from './files.js';
import { keyContext, phoneKeys } from './keys.js';
import { snomModel, type SnomModel } from './models.js';
import { sitePhonebooks } from './phonebook.js';
import { hostOf, registrars } from './registrars.js';
import { render, xmlHeader, xmlView } from './render.js';
import { phoneSettings } from './settings.js';

interface Phone {
  user: User;
  device: Device & { mac: string; model: string };
  model: SnomModel;
}

/**
 * The snom/ tree: per phone type `snom<type>.htm`, per phone `snom<type>-<MAC>.htm` and
 * `<MAC>.xml`, per site `tbook-<site>.xml` (files.ts says why these names). Nothing without provisioning.url: the files must
 * tell the phone where to fetch the next ones, and callplan cannot guess the server's address.
 */
export const snomTarget: Target = {
  name: 'snom',
  description: 'SNOM desk phone provisioning: the files each phone fetches (settings, SIP identities, function keys, directory)',
  compile(model, { secrets }) {
    const out: FileTree = new Map();
    const base = provisioningBase(model);
    const phones = snomPhones(model);
    if (base === undefined || phones.length === 0) return out;

    const ctx = keyContext(model);
    const sites = new Map(model.sites.map((s) => [s.name, s]));
    const host = hostOf(registrars(model).primary);
    const admin = model.provisioning?.adminPassword ? secrets.value(model.provisioning.adminPassword) : undefined;
    const file = (name: string) => `${SNOM_DIR}/${name}`;
    const list = (name: string, urls: string[]) => out.set(file(name), render('setting-files.htm', xmlView({ header: xmlHeader(file(name), model), files: urls })));

    const books = sitePhonebooks(model);
    const sitesWithPhones = new Set(phones.map((p) => p.user.site));
    for (const [site, entries] of books) {
      if (sitesWithPhones.has(site) && entries.length > 0) out.set(file(phonebookFile(site)), render('tbook.xml', xmlView({ header: xmlHeader(file(phonebookFile(site)), model), entries })));
    }
    for (const phoneType of [...new Set(phones.map((p) => p.model.phoneType))].sort()) list(typeListFile(phoneType), [`${base}{mac}.xml`]);
    for (const { user, device, model: phone } of phones) {
      // Every URL a phone is given carries its own credentials: the provisioning server answers
      // nothing without them (src/provision), and the phone sends them as Basic authentication.
      const own = urlWithCredentials(base, provisioningCredentials(device.mac, secrets));
      const listName = phoneListFile(phone.phoneType, device.mac);
      const name = settingsFile(device.mac);
      list(listName, [`${own}${name}`, ...(books.get(user.site)?.length ? [`${own}${phonebookFile(user.site)}`] : [])]);
      const settings = phoneSettings({ model, user, device, site: sites.get(user.site), password: devicePassword(device, secrets), adminPassword: admin, settingServer: `${own}${listName}` });
      out.set(
        file(name),
        render(
          'settings.xml',
          xmlView({
            header: xmlHeader(file(name), model),
            settings,
            firmware: firmwareOf(model, phone) ?? null,
            keys: phoneKeys(ctx, user, phone, host).map((k) => ({ ...k, label: k.label ?? null })),
          }),
        ),
      );
    }
    return out;
  },
};

/** Every SNOM phone of the project, by extension then MAC. */
export function snomPhones(model: Model): Phone[] {
  return model.users.flatMap((user) =>
    user.devices
      .filter((d): d is Phone['device'] => d.type === 'snom' && d.mac !== undefined && d.model !== undefined)
      .sort((a, b) => (a.mac < b.mac ? -1 : a.mac > b.mac ? 1 : 0))
      .map((device) => ({ user, device, model: snomModel(device.model) })),
  );
}

/** provisioning.firmware names models as the YAML writes them ("D785", "760", "snom D385"). */
function firmwareOf(model: Model, phone: SnomModel): string | undefined {
  const entry = Object.entries(model.provisioning?.firmware ?? {}).find(([name]) => name.toUpperCase().replace(/^SNOM\s*/, '') === phone.model);
  return entry?.[1];
}

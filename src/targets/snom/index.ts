import type { Device, Model, User } from '../../model/types.js';
import { devicePassword } from '../../secrets/device-password.js';
import type { FileTree, Target } from '../target.js';
import { phoneListFile, provisioningBase, settingsFile, SNOM_DIR, typeListFile } from './files.js';
import { keyContext, phoneKeys } from './keys.js';
import { snomModel, type SnomModel } from './models.js';
import { sitePhonebooks } from './phonebook.js';
import { hostOf, registrars } from './registrars.js';
import { render, Xml, xmlHeader, xmlView } from './render.js';
import { phoneSettings } from './settings.js';

interface Phone {
  user: User;
  device: Device & { mac: string; model: string };
  model: SnomModel;
}

/**
 * The snom/ tree: per phone type `snom<type>.htm`, per phone `snom<type>-<MAC>.htm` and
 * `<MAC>.xml` (files.ts says why these names). Nothing without provisioning.url: the files must
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
    const directories = new Map([...sitePhonebooks(model)].map(([site, entries]) => [site, new Xml(render('tbook.xml', xmlView({ entries })).trimEnd())]));
    const admin = model.provisioning?.adminPassword ? secrets.value(model.provisioning.adminPassword) : undefined;
    const file = (name: string) => `${SNOM_DIR}/${name}`;
    const list = (name: string, urls: string[]) => out.set(file(name), render('setting-files.htm', xmlView({ header: xmlHeader(file(name), model), files: urls })));

    for (const phoneType of [...new Set(phones.map((p) => p.model.phoneType))].sort()) list(typeListFile(phoneType), [`${base}{mac}.xml`]);
    for (const { user, device, model: phone } of phones) {
      const name = settingsFile(device.mac);
      list(phoneListFile(phone.phoneType, device.mac), [`${base}${name}`]);
      const settings = phoneSettings({ model, user, device, site: sites.get(user.site), password: devicePassword(device, secrets), adminPassword: admin, base });
      out.set(
        file(name),
        render(
          'settings.xml',
          xmlView({
            header: xmlHeader(file(name), model),
            settings,
            firmware: firmwareOf(model, phone) ?? null,
            keys: phoneKeys(ctx, user, phone, host).map((k) => ({ ...k, label: k.label ?? null })),
            tbook: directories.get(user.site) ?? new Xml(''),
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

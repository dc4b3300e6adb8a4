import type { Model } from '../model/types.js';
import { snomModel } from '../targets/snom/models.js';

/** A SNOM phone of the project, as provisioning sees it: who it is, what it requests, where it registers. */
export interface ProvisionedPhone {
  /** Upper case, no separators: the user name of its provisioning credentials. */
  mac: string;
  /** The model as the table names it (D785, 760 ...). */
  model: string;
  /** What it calls itself in the files it requests (snomD785, snom710 ...). */
  phoneType: string;
  extension: string;
  name: string;
  site: string;
  /** Its PJSIP endpoint (the SIP user name in its settings file). */
  endpoint: string;
}

/** Every SNOM phone of the project, by site, extension and MAC. */
export function provisionedPhones(model: Model): ProvisionedPhone[] {
  const out: ProvisionedPhone[] = [];
  for (const user of model.users) {
    for (const device of user.devices) {
      if (device.type !== 'snom' || device.mac === undefined || device.model === undefined) continue;
      const table = snomModel(device.model);
      out.push({ mac: device.mac, model: table.model, phoneType: table.phoneType, extension: user.extension, name: user.name, site: user.site, endpoint: device.id });
    }
  }
  const key = (p: ProvisionedPhone) => [p.site, p.extension.padStart(8, '0'), p.mac];
  return out.sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
    return 0;
  });
}

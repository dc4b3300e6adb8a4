import type { Model } from '../../model/types.js';

/** One entry of the phone's directory (SNOM's tbook). */
export interface PhonebookEntry {
  index: number;
  name: string;
  number: string;
}

/**
 * The directory each phone of a site gets: every user of that site who has a phone or softphone,
 * by extension. The same for every phone of the site (the user included), so it is built once per
 * site and the phone's own file stays the only thing that differs between colleagues.
 */
export function sitePhonebooks(model: Model): Map<string, PhonebookEntry[]> {
  const out = new Map<string, PhonebookEntry[]>(model.sites.map((s) => [s.name, []]));
  for (const user of model.users) {
    if (user.devices.length === 0) continue;
    const list = out.get(user.site);
    list?.push({ index: list.length, name: user.name, number: user.extension });
  }
  return out;
}

import type { Model } from '../model/types.js';
import { normalizeMac } from '../model/mac.js';
import { NOTIFY_CHECK_SYNC, NOTIFY_CHECK_SYNC_REBOOT } from '../targets/asterisk/pjsip-notify.js';
import { AmiError, type Ami } from './ami.js';
import { provisionedPhones, type ProvisionedPhone } from './phones.js';

/** A selection `provision resync` cannot make (exit code 2). */
export class ResyncUsageError extends Error {}

export interface Selection {
  macs?: readonly string[];
  site?: string;
  all?: boolean;
}

/** The SNOM phones a selection names: exactly one of --mac (repeatable), --site, --all. */
export function selectPhones(model: Model, sel: Selection): ProvisionedPhone[] {
  const given = [sel.macs !== undefined && sel.macs.length > 0, sel.site !== undefined, sel.all === true].filter(Boolean).length;
  if (given !== 1) throw new ResyncUsageError('name the phones: --mac MAC (repeatable), --site SITE or --all');
  const phones = provisionedPhones(model);
  if (sel.all) return phones;
  if (sel.site !== undefined) {
    if (!model.sites.some((s) => s.name === sel.site)) throw new ResyncUsageError(`--site ${sel.site}: no such site (sites: ${model.sites.map((s) => s.name).join(', ')})`);
    return phones.filter((p) => p.site === sel.site);
  }
  const byMac = new Map(phones.map((p) => [p.mac, p]));
  const out: ProvisionedPhone[] = [];
  for (const text of sel.macs!) {
    const mac = normalizeMac(text);
    if (mac === undefined) throw new ResyncUsageError(`--mac ${text}: not a MAC address`);
    const phone = byMac.get(mac);
    if (!phone) throw new ResyncUsageError(`--mac ${text}: no SNOM phone of the project has this MAC`);
    if (!out.includes(phone)) out.push(phone);
  }
  return out;
}

export type ResyncResult = 'sent' | 'not-registered' | 'failed' | 'would-send';

export interface ResyncOutcome {
  phone: ProvisionedPhone;
  result: ResyncResult;
  /** Registered contacts of the phone's endpoint (where the NOTIFY goes). */
  contacts: number;
  /** Asterisk's message when it refused. */
  message?: string;
}

/**
 * Asks Asterisk which of the phones are registered (PJSIPShowContacts: one list for all), then
 * sends each registered one the check-sync NOTIFY (PJSIPNotify with the pjsip_notify.conf entry,
 * to every contact of its endpoint). PJSIPNotify reports success for an endpoint without
 * contacts too, so registration is checked first: a phone that is off or unplugged is reported
 * as not registered, not as notified. With dryRun nothing is sent.
 */
export async function resync(ami: Ami, phones: readonly ProvisionedPhone[], o: { reboot?: boolean; dryRun?: boolean } = {}): Promise<ResyncOutcome[]> {
  const listed = await ami.list({ Action: 'PJSIPShowContacts' });
  // With no contact at all Asterisk answers an error ("No Contacts found"), not an empty list.
  const none = listed.response.Response === 'Error' && /^no contacts found/i.test(listed.response.Message ?? '');
  if (listed.response.Response !== 'Success' && !none) throw new AmiError(`PJSIPShowContacts: ${listed.response.Message ?? 'refused'}`);
  const contacts = new Map<string, number>();
  for (const e of listed.events) if (e.Event === 'ContactList' && e.Endpoint) contacts.set(e.Endpoint, (contacts.get(e.Endpoint) ?? 0) + 1);
  const out: ResyncOutcome[] = [];
  for (const phone of phones) {
    const count = contacts.get(phone.endpoint) ?? 0;
    if (count === 0) {
      out.push({ phone, result: 'not-registered', contacts: 0 });
      continue;
    }
    if (o.dryRun) {
      out.push({ phone, result: 'would-send', contacts: count });
      continue;
    }
    const r = await ami.action({ Action: 'PJSIPNotify', Endpoint: phone.endpoint, Option: o.reboot ? NOTIFY_CHECK_SYNC_REBOOT : NOTIFY_CHECK_SYNC });
    out.push(r.Response === 'Success' ? { phone, result: 'sent', contacts: count } : { phone, result: 'failed', contacts: count, message: r.Message ?? 'refused' });
  }
  return out;
}

const LABEL: Record<ResyncResult, string> = { sent: 'sent', 'not-registered': 'not registered', failed: 'failed', 'would-send': 'would send' };

export function formatResyncText(outcomes: readonly ResyncOutcome[], o: { reboot?: boolean; dryRun?: boolean } = {}): string {
  const rows = [['MAC', 'ext', 'model', 'site', 'endpoint', 'result'], ...outcomes.map((x) => [x.phone.mac, x.phone.extension, x.phone.model, x.phone.site, x.phone.endpoint, LABEL[x.result] + (x.message ? ` (${x.message})` : '')])];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  '));
  const count = (r: ResyncResult) => outcomes.filter((x) => x.result === r).length;
  const parts = (['sent', 'would-send', 'not-registered', 'failed'] as const).filter((r) => count(r) > 0).map((r) => `${count(r)} ${LABEL[r]}`);
  const what = o.reboot ? 'check-sync;reboot=true' : 'check-sync;reboot=false';
  lines.push(`${outcomes.length} phone${outcomes.length === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''} (${what}${o.dryRun ? ', dry run: nothing sent' : ''})`);
  return `${lines.join('\n')}\n`;
}

export function resyncJson(outcomes: readonly ResyncOutcome[], o: { reboot?: boolean; dryRun?: boolean } = {}): object {
  return {
    event: o.reboot ? 'check-sync;reboot=true' : 'check-sync;reboot=false',
    dryRun: o.dryRun === true,
    phones: outcomes.map((x) => ({ mac: x.phone.mac, extension: x.phone.extension, model: x.phone.model, site: x.phone.site, endpoint: x.phone.endpoint, result: x.result, contacts: x.contacts, ...(x.message ? { message: x.message } : {}) })),
  };
}

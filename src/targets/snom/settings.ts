import type { Codec, Device, Model, Site, User } from '../../model/types.js';
import { endpointOf } from '../asterisk/names.js';
import { dialPlan } from './dial-plan.js';
import { snomLanguage } from './language.js';
import { hostOf, outboundOf, registrars, type Registrar } from './registrars.js';
import { snomTimezone } from './timezone.js';

/**
 * One `<phone-settings>` entry. The perm flags are chosen per setting, as SNOM defines them:
 *
 * - `R`: read-only on the phone and rewritten by every provisioning run. Everything the PBX
 *   depends on: the SIP identities and passwords, registrars, codecs, dial plan, mailbox,
 *   provisioning server and order, firmware and update policy, time zone and NTP server, the
 *   administrator password. A user who changed one of these would lose calls, not gain comfort.
 * - `!`: the user's own. Provisioning writes it only while the user has not changed it on the
 *   phone or its web page, so a personal choice survives every rebuild: the display language.
 *   Ringers, volume, contrast and the like are not written at all and stay the phone's.
 * - `RW` for `admin_mode` only: it must stay writable or the administrator cannot switch the
 *   phone into admin mode; provisioning resets it to user mode.
 */
export interface Setting {
  name: string;
  idx: number | null;
  perm: 'R' | '!' | 'RW';
  value: string;
}

/** What the settings of a phone are computed from. */
export interface PhoneInput {
  model: Model;
  user: User;
  device: Device;
  site: Site | undefined;
  password: string;
  adminPassword: string | undefined;
  /** Where the phone looks for its settings next time: its own file list, with its credentials. */
  settingServer: string;
}

/** SNOM's names of the codecs the PBX offers (defaults.codecs), in the same order. */
const CODECS: Partial<Record<Codec, string>> = { g722: 'g722', alaw: 'pcma', ulaw: 'pcmu', g729: 'g729', gsm: 'gsm' };

const UPDATE_POLICY = { auto: 'auto_update', ask: 'ask_for_update', never: 'never_update_firm' } as const;

/** Everything in `<phone-settings>` for one phone, in a fixed order. */
export function phoneSettings(p: PhoneInput): Setting[] {
  const { model, user } = p;
  const out: Setting[] = [];
  const set = (name: string, value: string, perm: Setting['perm'] = 'R', idx: number | null = null) => out.push({ name, idx, perm, value });

  // Provisioning: where to look next time (after a reboot or a check-sync NOTIFY): the phone's
  // own list, which names its settings and its site's directory.
  set('setting_server', p.settingServer);
  // Only DHCP may point the phone elsewhere: no SNOM redirection service, no SIP PnP answer
  // from any host on the LAN.
  set('provisioning_order', 'dhcp:stop');
  set('update_policy', UPDATE_POLICY[model.provisioning?.updatePolicy ?? 'auto']);

  const { primary, failover } = registrars(model);
  identity(out, p, 1, primary, failover ? 2 : undefined);
  if (failover) identity(out, p, 2, failover, undefined);

  const language = snomLanguage(user.language);
  if (language) {
    set('language', language, '!');
    set('web_language', language, '!');
  }
  const zone = p.site ? snomTimezone(p.site.timezone) : undefined;
  if (zone && 'code' in zone) set('timezone', zone.code);
  if (zone && 'utcOffset' in zone) {
    // No SNOM code for this zone: an empty code makes the phone use the offset.
    set('timezone', '');
    set('utc_offset', String(zone.utcOffset));
  }
  const ntp = p.site?.ntp ?? model.provisioning?.ntp;
  if (ntp) set('ntp_server', ntp);
  if (p.adminPassword !== undefined) {
    set('admin_mode', 'off', 'RW');
    set('admin_mode_password', p.adminPassword);
    set('http_user', 'admin');
    set('http_pass', p.adminPassword);
  }
  return out;
}

/** One SIP identity; `failoverTo` names the identity the phone moves to when this registrar fails. */
function identity(out: Setting[], p: PhoneInput, idx: number, registrar: Registrar, failoverTo: number | undefined): void {
  const set = (name: string, value: string) => out.push({ name, idx, perm: 'R', value });
  const account = endpointOf(p.device);
  set('user_active', 'on');
  set('user_realname', p.user.name);
  set('user_name', account);
  set('user_pname', account);
  set('user_pass', p.password);
  set('user_host', hostOf(registrar));
  set('user_outbound', outboundOf(registrar));
  if (p.user.voicemail) set('user_mailbox', '*97');
  set('user_dp_str', dialPlan(p.model, p.user));
  set('codec_priority_list', [...p.model.defaults.codecs.flatMap((c) => CODECS[c] ?? []), 'telephone-event'].join(','));
  if (failoverTo !== undefined) set('user_failover_identity', String(failoverTo));
  // The failover identity is the same account on the other node: not shown as a line of its own.
  if (idx > 1) set('hide_identity', 'true');
}

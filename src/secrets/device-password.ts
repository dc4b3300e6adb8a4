import type { Device } from '../model/types.js';
import type { SecretResolver } from './resolve.js';

/**
 * The SIP password of one device: its own secret, or derived from secrets.device_master. The
 * Asterisk target (pjsip.conf) and the SNOM target (the phone's settings file) both call this,
 * so a phone always gets exactly the password its endpoint expects, and nothing is stored.
 */
export function devicePassword(device: Device, secrets: SecretResolver): string {
  return 'derived' in device.password ? secrets.derived(`device:${device.id}`) : secrets.value(device.password);
}

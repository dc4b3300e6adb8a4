import type { Model } from '../../model/types.js';
import { header } from './conf/header.js';
import { literalSemicolons, renderConf } from './conf/ini.js';

/**
 * The NOTIFY requests `callplan provision resync` asks Asterisk to send (AMI PJSIPNotify with
 * `Option: <name>`, or by hand `pjsip send notify <name> endpoint <device>`).
 *
 * `check-sync;reboot=false` makes a SNOM phone fetch its settings again without restarting (SNOM's
 * checksync_action documents the event and its actions); reboot=true restarts it, and it
 * provisions as at boot.
 * Written for every project: res_pjsip_notify declines to load without this file, and with it
 * the PJSIPNotify action.
 */
export const NOTIFY_CHECK_SYNC = 'check-sync';
export const NOTIFY_CHECK_SYNC_REBOOT = 'check-sync-reboot';

export function pjsipNotifyConf(model: Model): string {
  return renderConf(header('pjsip_notify.conf', model), [
    {
      name: NOTIFY_CHECK_SYNC,
      comment: 'Fetch the settings again, no restart.',
      entries: [['Event', literalSemicolons('check-sync;reboot=false')]],
    },
    {
      name: NOTIFY_CHECK_SYNC_REBOOT,
      comment: 'Restart, then fetch the settings as at boot.',
      entries: [['Event', literalSemicolons('check-sync;reboot=true')]],
    },
  ]);
}

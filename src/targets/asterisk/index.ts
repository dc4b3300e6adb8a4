import type { Target } from '../target.js';
import { confbridgeConf } from './confbridge.js';
import { extensionsConf } from './dialplan/extensions.js';
import { managerConf } from './manager.js';
import { musiconholdConf } from './musiconhold.js';
import { pjsipConf } from './pjsip.js';
import { pjsipNotifyConf } from './pjsip-notify.js';
import { queueRulesConf, queuesConf } from './queues.js';
import { voicemailConf } from './voicemail.js';

/** The asterisk/ tree: one module per generated file. */
export const asteriskTarget: Target = {
  name: 'asterisk',
  description: 'Asterisk 22 configuration: pjsip, dialplan, queues, voicemail, conferences, music on hold, manager, phone resync NOTIFYs',
  compile(model, { secrets }) {
    return new Map([
      ['asterisk/confbridge.conf', confbridgeConf(model, secrets)],
      ['asterisk/extensions.conf', extensionsConf(model)],
      ['asterisk/manager.conf', managerConf(model, secrets)],
      ['asterisk/musiconhold.conf', musiconholdConf(model)],
      ['asterisk/pjsip.conf', pjsipConf(model, secrets)],
      ['asterisk/pjsip_notify.conf', pjsipNotifyConf(model)],
      ['asterisk/queuerules.conf', queueRulesConf(model)],
      ['asterisk/queues.conf', queuesConf(model)],
      ['asterisk/voicemail.conf', voicemailConf(model, secrets)],
    ]);
  },
};

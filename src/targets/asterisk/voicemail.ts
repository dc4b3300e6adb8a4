import type { Model } from '../../model/types.js';
import type { SecretResolver } from '../../secrets/resolve.js';
import { header } from './conf/header.js';
import { renderConf } from './conf/ini.js';

/**
 * One mailbox per user with voicemail. The PIN here is only the first one (derived from the
 * master secret): passwordlocation=spooldir keeps the PIN a user sets by phone out of this file,
 * so a deploy never resets it.
 */
export function voicemailConf(model: Model, secrets: SecretResolver): string {
  return renderConf(header('voicemail.conf', model), [
    {
      name: 'general',
      entries: [
        ['format', 'wav49|wav'],
        ['attach', true],
        ['passwordlocation', 'spooldir'],
        ['maxmsg', 100],
        ['maxsecs', 300],
        ['minsecs', 2],
        ['skipms', 3000],
      ],
    },
    {
      name: 'default',
      entries: model.users
        .filter((u) => u.voicemail)
        .map((u): [string, string] => [
          u.extension,
          `${secrets.derivedPin(`voicemail:${u.extension}`)},${u.name.replace(/,/g, ' ')},${u.voicemail!.email ?? ''},,attach=${u.voicemail!.attach ? 'yes' : 'no'}`,
        ]),
    },
  ]);
}

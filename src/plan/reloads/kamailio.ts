import type { Effect } from './effect.js';

/**
 * The least the Kamailio edge (5.6) needs to take one changed file. Its routing script, listen
 * addresses and module parameters are read only at start; the lists it loads have RPCs to read
 * them again (run with `kamcmd -s unix:/run/kamailio/kamailio_ctl METHOD`; kamcmd exits 0 even when
 * the RPC failed, so its output must be read).
 */
export function kamailioEffects(file: string, path: string, before: string | undefined, after: string | undefined): Effect[] {
  switch (file) {
    case 'kamailio.cfg': {
      if (before !== undefined && after !== undefined && significant(before) === significant(after)) {
        return [{ kind: 'none', path, why: 'only comments changed' }];
      }
      const listen = listenChanged(before, after) ? 'its listen addresses changed, and ' : '';
      return [{ kind: 'restart', service: 'kamailio', why: `${path}: ${listen}Kamailio reads its script, listen addresses and module parameters only when it starts` }];
    }
    case 'dispatcher.list':
      return [
        {
          kind: 'reload',
          service: 'kamailio',
          command: 'dispatcher.reload',
          why: `${path}: the nodes calls are spread over changed (the reload also resets states set by RPC: a node drained by hand must be drained again)`,
        },
      ];
    case 'address.list':
      return [{ kind: 'reload', service: 'kamailio', command: 'permissions.addressReload', why: `${path}: the carriers' addresses changed` }];
    case 'tls.cfg':
      return [{ kind: 'reload', service: 'kamailio', command: 'tls.reload', why: `${path}: certificate or TLS settings changed` }];
    case 'db/subscriber':
      return [{ kind: 'none', path, why: "db_text (db_mode 1) reads the phones' HA1s again on the next lookup after the file changes" }];
  }
  return [{ kind: 'restart', service: 'kamailio', why: `${path}: callplan knows no live reload for this file, so only a restart is sure to apply it` }];
}

/** The order the RPCs run in: certificates, then who is trusted, then where calls go. */
export const KAMAILIO_ORDER: readonly string[] = ['tls.reload', 'permissions.addressReload', 'dispatcher.reload'];

/** The script without comments: `#!` lines are preprocessor directives, not comments. */
function significant(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !(l.startsWith('#') && !l.startsWith('#!')) && !l.startsWith('//'))
    .join('\n');
}

function listenChanged(before: string | undefined, after: string | undefined): boolean {
  const listens = (text: string | undefined) =>
    (text ?? '')
      .split('\n')
      .filter((l) => /^\s*listen\s*=/.test(l))
      .map((l) => l.trim())
      .join('\n');
  return listens(before) !== listens(after);
}

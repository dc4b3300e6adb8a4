/**
 * PLACEHOLDER until src/plan/reloads.ts (owned by `plan`) lands: the reloads a set of changed
 * release files needs, conservatively. Every file callplan writes for Asterisk has its module's
 * reload; a changed PJSIP transport (not reloadable while Asterisk runs) or a file this table
 * does not know needs a restart.
 */
export interface ReloadChange {
  /** Path in the release (asterisk/pjsip.conf, snom/…). */
  path: string;
  kind: 'added' | 'removed' | 'changed';
  before?: string;
  after?: string;
}

export interface ReloadPlan {
  /** Asterisk CLI commands, in order. */
  commands: string[];
  /** Why a restart is needed; empty when the reloads are enough. */
  restart: string[];
}

const RELOADS: Record<string, string> = {
  'extensions.conf': 'dialplan reload',
  'pjsip.conf': 'module reload res_pjsip.so',
  'pjsip_notify.conf': 'module reload res_pjsip_notify.so',
  'queues.conf': 'module reload app_queue.so',
  'queuerules.conf': 'module reload app_queue.so',
  'voicemail.conf': 'module reload app_voicemail.so',
  'confbridge.conf': 'module reload app_confbridge.so',
  'musiconhold.conf': 'module reload res_musiconhold.so',
  'manager.conf': 'manager reload',
};
/** PJSIP before the dialplan that routes to its endpoints; queues after their members exist. */
const ORDER = ['module reload res_pjsip.so', 'module reload res_pjsip_notify.so', 'module reload res_musiconhold.so', 'module reload app_voicemail.so', 'module reload app_confbridge.so', 'module reload app_queue.so', 'dialplan reload', 'manager reload'];

export function planReloads(changes: readonly ReloadChange[]): ReloadPlan {
  const commands = new Set<string>();
  const restart: string[] = [];
  for (const c of changes) {
    const m = /^asterisk\/(.+)$/.exec(c.path);
    if (!m) continue;
    const file = m[1]!;
    const command = RELOADS[file];
    if (command === undefined) {
      restart.push(`${c.path} ${c.kind}: no known live reload for it`);
      continue;
    }
    commands.add(command);
    if (file === 'pjsip.conf') {
      const a = transports(c.before ?? '');
      const b = transports(c.after ?? '');
      for (const name of new Set([...a.keys(), ...b.keys()])) {
        if (a.get(name) !== b.get(name)) restart.push(`PJSIP transport ${name} ${!a.has(name) ? 'added' : !b.has(name) ? 'removed' : 'changed'}: Asterisk does not reload transports`);
      }
    }
  }
  return { commands: ORDER.filter((c) => commands.has(c)), restart };
}

/** The `type = transport` sections of a pjsip.conf, name → body. */
function transports(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, body] of sections(text)) if (/^\s*type\s*=\s*transport\s*$/m.test(body)) out.set(name, body.split('\n').map((l) => l.replace(/;.*$/, '').trim()).filter(Boolean).join('\n'));
  return out;
}

export function sections(text: string): Array<[name: string, body: string]> {
  const out: Array<[string, string]> = [];
  let name: string | undefined;
  let body: string[] = [];
  for (const line of text.split('\n')) {
    const m = /^\[([^\]]+)\]/.exec(line);
    if (m) {
      if (name !== undefined) out.push([name, body.join('\n')]);
      name = m[1]!;
      body = [];
    } else body.push(line);
  }
  if (name !== undefined) out.push([name, body.join('\n')]);
  return out;
}

import { changedSections, type SectionChange } from '../conf-sections.js';
import type { Effect } from './effect.js';

/**
 * The least Asterisk 22 needs to take one changed configuration file, read from Asterisk's source:
 *
 * - pjsip.conf: `module reload res_pjsip.so` reloads every object through sorcery (endpoints,
 *   auths, aors, identifies, registrations). A transport is never reloaded unless it says
 *   `allow_reload = yes` (callplan's do not: a reloaded transport drops the calls on it), and a
 *   `system` section is registered "no reload": both need a restart. A new transport is created
 *   by the reload.
 * - queues.conf: `queue reload parameters` (queue options and [general]; creates new queues and
 *   removes those gone from the file) and `queue reload members` (static members: those gone are
 *   removed, the others keep their paused state; dynamic members — agents logged in with
 *   AddQueueMember — are never touched). Both read queues.conf with "only if it changed since my
 *   last read": a second reload of the same file in a row sees it unchanged and does nothing. So
 *   when both parts changed, or a queue is new (its members would need the second read), one
 *   `queue reload all` does both in one read. For the same reason queue names are never given:
 *   `queue reload members a b` reloads only `a`.
 * - queuerules.conf: `queue reload rules`.
 * - extensions.conf: `module reload pbx_config.so` swaps the whole dialplan in; calls go on (a
 *   call resumes at its priority number in the new plan, see docs/asterisk.md). It does what
 *   `dialplan reload` does, but under Asterisk's reload lock, like every `module reload`: deploy
 *   can then tell when it has finished (src/deploy/shell-host.ts), which `asterisk -rx` alone
 *   cannot once a reload runs longer than its 60 s wait for output.
 * - every other file: its module's reload, or a restart where Asterisk has none.
 */
export function asteriskEffects(file: string, path: string, before: string | undefined, after: string | undefined): Effect[] {
  // Read once: a 10,000-user pjsip.conf or extensions.conf takes a few hundred milliseconds to read into sections.
  let read: SectionChange[] | undefined;
  const sections = () => (read ??= changedSections(before, after));
  if (before !== undefined && after !== undefined && sections().length === 0) {
    return [{ kind: 'none', path, why: 'only comments or layout changed' }];
  }
  if (before === undefined && after === undefined && UNKNOWN_CONTENTS[file]) return [UNKNOWN_CONTENTS[file](path)];
  switch (file) {
    case 'pjsip.conf':
      return pjsip(path, before, after, sections());
    case 'queues.conf':
      return queues(path, sections());
    case 'extensions.conf':
      return [reload('module reload pbx_config.so', `${path}: ${summary(sections(), 'context')}`)];
  }
  const command = MODULE_RELOADS[file];
  if (command) return [reload(command, `${path}: changed`)];
  if (RESTART_ONLY[file]) return [{ kind: 'restart', service: 'asterisk', why: `${path}: ${RESTART_ONLY[file]}` }];
  return [{ kind: 'restart', service: 'asterisk', why: `${path}: callplan knows no live reload for this file, so only a restart is sure to apply it` }];
}

/** A change named without its contents (files read by parts): the answer that is right whatever changed. */
const UNKNOWN_CONTENTS: Readonly<Record<string, (path: string) => Effect>> = {
  'pjsip.conf': (path) => ({ kind: 'restart', service: 'asterisk', why: `${path}: changed, contents not given: a transport may have changed` }),
  'queues.conf': (path) => reload('queue reload all', `${path}: changed`),
  'extensions.conf': (path) => reload('module reload pbx_config.so', `${path}: changed`),
};

/** Files one module reload applies (the CLI command is the one Asterisk 22 registers). */
const MODULE_RELOADS: Readonly<Record<string, string>> = {
  'pjsip_notify.conf': 'module reload res_pjsip_notify.so',
  'musiconhold.conf': 'moh reload',
  'voicemail.conf': 'module reload app_voicemail.so',
  'confbridge.conf': 'module reload app_confbridge.so',
  'queuerules.conf': 'queue reload rules',
  'manager.conf': 'module reload manager',
  'features.conf': 'module reload features',
  'logger.conf': 'module reload logger',
  'cdr.conf': 'module reload cdr',
  'rtp.conf': 'module reload res_rtp_asterisk.so',
  'amd.conf': 'module reload app_amd.so',
};

const RESTART_ONLY: Readonly<Record<string, string>> = {
  'asterisk.conf': 'Asterisk reads its directories and run-time options only when it starts',
  'modules.conf': 'which modules load is decided only when Asterisk starts',
};

/**
 * The order the reloads run in: what the dialplan may refer to (endpoints, music classes,
 * mailboxes, bridges, queues) first, the dialplan last, so a call routed by the new plan finds
 * what it routes to.
 */
export const ASTERISK_ORDER: readonly string[] = [
  'module reload res_pjsip.so',
  'module reload res_pjsip_notify.so',
  'module reload res_rtp_asterisk.so',
  'moh reload',
  'module reload app_voicemail.so',
  'module reload app_confbridge.so',
  'module reload app_amd.so',
  'module reload features',
  'queue reload rules',
  'queue reload parameters',
  'queue reload members',
  'queue reload all',
  'module reload manager',
  'module reload logger',
  'module reload cdr',
  'module reload pbx_config.so',
];

function reload(command: string, why: string): Effect {
  return { kind: 'reload', service: 'asterisk', command, why };
}

/** res_pjsip's endpoint_identifier_order when pjsip.conf does not set one. */
const DEFAULT_IDENTIFIER_ORDER = 'ip,username,anonymous';

function pjsip(path: string, before: string | undefined, after: string | undefined, changes: readonly SectionChange[]): Effect[] {
  const effects: Effect[] = [];
  for (const c of changes) {
    if (c.type === 'transport' && c.kind !== 'added') {
      effects.push({
        kind: 'restart',
        service: 'asterisk',
        why: `${path}: transport ${c.name} ${c.kind}: Asterisk keeps a transport's socket and settings until it restarts (allow_reload is off, because reloading a transport drops the calls on it)`,
      });
    } else if (c.type === 'system') {
      effects.push({ kind: 'restart', service: 'asterisk', why: `${path}: system section ${c.name} ${c.kind}: res_pjsip reads it only when it loads` });
    }
  }
  const order = (text: string | undefined) => (/^\s*endpoint_identifier_order\s*=\s*(\S+)/m.exec(text ?? '')?.[1] ?? DEFAULT_IDENTIFIER_ORDER).split(',');
  const [was, now] = [order(before), order(after)];
  // Identifiers keep the order they registered in; a shorter list that agrees with it changes nothing.
  if (now.some((id, i) => was[i] !== id)) {
    effects.push({ kind: 'restart', service: 'asterisk', why: `${path}: endpoint_identifier_order ${was.join(',')} → ${now.join(',')}: res_pjsip orders its endpoint identifiers only when it starts (a reload keeps the old order)` });
  }
  const live = changes.filter((c) => !(c.type === 'system' || (c.type === 'transport' && c.kind !== 'added')));
  if (live.length > 0) effects.push(reload('module reload res_pjsip.so', `${path}: ${summary(live, 'section')}`));
  return effects;
}

function queues(path: string, changes: readonly SectionChange[]): Effect[] {
  let parameters: string[] = [];
  let members: string[] = [];
  let both: string[] = [];
  for (const c of changes) {
    if (c.name === 'general') parameters.push(`general settings ${c.kind}`);
    else if (c.kind === 'added') both.push(`queue ${c.name} added`);
    else if (c.kind === 'removed') parameters.push(`queue ${c.name} removed`);
    else {
      const [oldMembers, oldParams] = split(c.before!.lines);
      const [newMembers, newParams] = split(c.after!.lines);
      if (oldParams !== newParams) parameters.push(`queue ${c.name}: settings changed`);
      if (oldMembers !== newMembers) members.push(`queue ${c.name}: members changed`);
    }
  }
  if (parameters.length > 0 && members.length > 0) {
    both = [...parameters, ...members, ...both];
    parameters = [];
    members = [];
  }
  if (both.length > 0) return [reload('queue reload all', `${path}: ${[...parameters, ...members, ...both].join('; ')} (one reload reads the file once for settings and members; logged-in and paused agents stay)`)];
  const effects: Effect[] = [];
  if (parameters.length > 0) effects.push(reload('queue reload parameters', `${path}: ${parameters.join('; ')}`));
  if (members.length > 0) effects.push(reload('queue reload members', `${path}: ${members.join('; ')} (paused members stay paused; logged-in agents stay)`));
  return effects;
}

function split(lines: string[]): [string, string] {
  const members = lines.filter((l) => /^member\s*=/.test(l));
  const rest = lines.filter((l) => !/^member\s*=/.test(l));
  return [members.join('\n'), rest.join('\n')];
}

/** A short account of section changes: each named when few, counted by kind when many. */
function summary(changes: readonly SectionChange[], noun: string): string {
  if (changes.length === 0) return 'only comments or layout changed';
  if (changes.length <= 6) return changes.map((c) => `${c.type ?? noun} ${c.name} ${c.kind}`).join('; ');
  const counts = new Map<string, number>();
  for (const c of changes) {
    const key = `${c.type ?? noun}|${c.kind}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([key, n]) => {
      const [type, kind] = key.split('|');
      return `${n} ${type}${n === 1 ? '' : 's'} ${kind}`;
    })
    .join('; ');
}

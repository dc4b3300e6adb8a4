import type { RawFunctionKey, RawProject, RawUser } from '../input.js';
import { parseRef } from '../refs.js';
import { closest } from '../schema/suggest.js';
import { entries, type Rule } from './rule.js';

type SpyMode = NonNullable<RawFunctionKey['spy']>;

/**
 * A declared function key (users[].keys) whose target does not exist or that the PBX would not
 * honour: an unknown user or queue, a queue without an extension, a site without override, a
 * spy mode the user is not granted, agent keys in a project without queues. The key would be
 * written to the phone and do nothing.
 */
export const functionKeyReference: Rule = {
  id: 'function-key-reference',
  description: 'Every declared SNOM function key names a user, queue or site that exists and that its key can reach.',
  severity: 'error',
  needsEveryFile: true,
  check(ctx) {
    const { raw, known } = ctx;
    const queues = new Map(entries(raw.queues));
    const sites = new Map(entries(raw.sites));
    const grants = grantedModes(raw);
    for (const user of raw.users ?? []) {
      user.keys?.forEach((key, i) => {
        const report = (field: string, message: string, hint: string) => ctx.report({ at: key, path: [field] }, `keys[${i}] of user ${user.extension}: ${message}`, hint);
        if (key.blf !== undefined) {
          const id = refId(key.blf);
          if (!known.users.has(id)) {
            const guess = closest(id, [...known.users]);
            report('blf', `unknown user "${id}"`, guess ? `Did you mean user:${guess}?` : 'Name a user of the project: user:EXTENSION.');
          }
        } else if (key.queue !== undefined) {
          const name = refId(key.queue);
          const queue = queues.get(name);
          if (!known.queues.has(name)) {
            const guess = closest(name, [...known.queues]);
            report('queue', `unknown queue "${name}"`, guess ? `Did you mean queue:${guess}?` : 'Name a queue of the project: queue:NAME.');
          } else if (queue && queue.extension === undefined) {
            report('queue', `queue ${name} has no extension, so no key can dial it`, `Give queue ${name} an extension, or remove the key.`);
          }
        } else if (key.override !== undefined) {
          const site = sites.get(key.override);
          if (!known.sites.has(key.override)) {
            const guess = closest(key.override, [...known.sites]);
            report('override', `unknown site "${key.override}"`, guess ? `Did you mean "${guess}"?` : 'Name a site of the project.');
          } else if (site && site.override !== true) {
            report('override', `site ${key.override} cannot be forced open or closed`, `Set override: true on site ${key.override}, or remove the key.`);
          } else if (!isSupervisor(user, raw)) {
            report('override', `only supervisors may force a site open or closed, and user ${user.extension} is none`, 'Give the user the supervisor role, or remove the key.');
          }
        } else if (key.spy !== undefined) {
          if (!grants.get(user.extension)?.has(key.spy)) {
            report('spy', `user ${user.extension} may not ${key.spy} on any queue`, `Grant it in supervisors (user: user:${user.extension}, modes: [${key.spy}]), or remove the key.`);
          }
        } else if (key.status !== undefined) {
          const statuses = new Map(entries(raw.agent_statuses));
          const status = statuses.get(key.status);
          const notReady = [...statuses].filter(([, st]) => !st.ready).map(([name]) => name);
          if (!known.agent_statuses.has(key.status)) {
            const guess = closest(key.status, notReady);
            report('status', `unknown agent status "${key.status}"`, guess ? `Did you mean "${guess}"?` : 'Name a not-ready status of agent_statuses.');
          } else if (status?.ready) {
            report('status', `agent status ${key.status} is a ready status: it has no pause code`, 'Use { agent: login } to make the agent ready.');
          } else if (known.queues.size === 0) {
            report('status', 'the project has no queues to pause in', 'Remove the key, or define a queue.');
          } else if (status && !agentStatusHasCode(raw, key.status)) {
            report('status', `agent status ${key.status} has no phone code: *941-*949 are all taken`, 'Merge agent statuses, or set the agent to it over the dialer API.');
          }
        } else if (key.agent !== undefined && known.queues.size === 0) {
          report('agent', 'the project has no queues to log in to', 'Remove the key, or define a queue.');
        }
      });
    }
  },
};

function refId(text: string): string {
  const ref = parseRef(text);
  return ref && 'id' in ref ? ref.id : text;
}

/** Modes each user is granted on some queue in `supervisors` (all three when modes is left out). */
function grantedModes(raw: RawProject): Map<string, Set<SpyMode>> {
  const out = new Map<string, Set<SpyMode>>();
  for (const s of raw.supervisors ?? []) {
    const user = refId(s.user);
    const set = out.get(user) ?? new Set<SpyMode>();
    for (const m of s.modes ?? ['listen', 'whisper', 'barge']) set.add(m);
    out.set(user, set);
  }
  return out;
}

/** As the dialplan decides who gets a supervisor context: the role, or an entry under supervisors. */
function isSupervisor(user: RawUser, raw: RawProject): boolean {
  return (user.roles ?? []).includes('supervisor') || (raw.supervisors ?? []).some((s) => refId(s.user) === user.extension);
}

/** Whether a not-ready status gets one of the nine codes (its own, or a free one in name order; the feature code's rule). */
function agentStatusHasCode(raw: RawProject, name: string): boolean {
  const notReady = entries(raw.agent_statuses)
    .filter(([, s]) => !s.ready)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (notReady.find(([n]) => n === name)?.[1].code !== undefined) return true;
  const taken = new Set(notReady.flatMap(([, s]) => (s.code === undefined ? [] : [s.code])));
  const uncoded = notReady.filter(([, s]) => s.code === undefined).map(([n]) => n);
  return uncoded.indexOf(name) < 9 - taken.size;
}

import type { Model } from '../../../model/types.js';
import { step, type Context, type Extension } from '../conf/dialplan.js';
import { QUEUE_MEMBER_CONTEXT } from '../queues.js';

/**
 * Feature codes any phone may dial (docs/asterisk.md). The SNOM target puts them on keys, so
 * both read them from here.
 *
 * Queue members are static (queues.conf), so "logged out" is a pause with its own reason: an
 * agent who logs out keeps their place in every queue and gets no calls until they log in.
 */
export const AGENT_CODES = { login: '*91', logout: '*92', pause: '*93' } as const;
export type AgentAction = keyof typeof AGENT_CODES;

/** The global naming the pickup group of a user (members of groups with `pickup: true` only). */
export const pickupGlobal = (extension: string): string => `CP_PICKUP_${extension}`;

/** Groups whose members may pick up each other's calls. */
export const pickupGroupsOf = (model: Model) => model.groups.filter((g) => g.pickup && g.members.length > 1);

/** *91 / *92 / *93, for projects with queues. */
export function agentExtensions(model: Model): Extension[] {
  if (model.queues.length === 0) return [];
  return (Object.keys(AGENT_CODES) as AgentAction[]).map((action) => ({
    pattern: AGENT_CODES[action],
    comment: `queue agent: ${action === 'login' ? 'log in (take calls again)' : action === 'logout' ? 'log out of every queue' : 'pause in every queue'}`,
    steps: [step(`Gosub(cp-agent,s,1(${action}))`), step('Hangup()')],
  }));
}

/** Agents' not-ready statuses are dialled as this prefix and the status's number (docs/dialer.md, "Agent states"). */
export const AGENT_STATUS_PREFIX = '*94';

/**
 * The feature code of each not-ready agent status (break, consultation, e-mail, wrap-up ...):
 * *94 and the status's `code` (1 to 9), fixed in the project so that adding a status moves no
 * other's code (the agents know them by heart, and the SNOM keys dial them). A status without a
 * code takes the lowest digit no status claims, in name order (rule agent-status-without-code
 * warns: that one can move). Dialled, it pauses the agent in every queue with the status's name
 * as the pause reason, at once (a call already ringing still rings). *91 makes the agent ready.
 */
export function agentStatusCodes(model: Model): { status: string; ready: boolean; code: string }[] {
  if (model.queues.length === 0) return [];
  const notReady = model.agentStatuses.filter((s) => !s.ready);
  const taken = new Set<number>();
  const fixed = new Map<string, number>();
  // Duplicates are refused by rule agent-status-code; the first in name order keeps its digit.
  for (const s of notReady) if (s.code !== undefined && !taken.has(s.code)) (taken.add(s.code), fixed.set(s.name, s.code));
  const free = [1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => !taken.has(d));
  const out: { status: string; ready: boolean; code: string }[] = [];
  for (const s of notReady) {
    const digit = fixed.get(s.name) ?? (s.code === undefined ? free.shift() : undefined);
    if (digit !== undefined) out.push({ status: s.name, ready: false, code: `${AGENT_STATUS_PREFIX}${digit}` });
  }
  return out.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export function agentStatusExtensions(model: Model): Extension[] {
  return agentStatusCodes(model).map(({ status, code }) => ({
    pattern: code,
    comment: `queue agent: not ready, ${status} (paused in every queue with that reason)`,
    steps: [step(`Gosub(cp-agent,s,1(${status}))`), step('Hangup()')],
  }));
}

/** PREFIX + extension picks up a colleague's ringing call, inside a pickup group. */
export function pickupExtensions(model: Model): Extension[] {
  if (pickupGroupsOf(model).length === 0) return [];
  const prefix = model.defaults.pickupPrefix;
  // X. admits digits only, so the extension cannot inject anything into the channel names.
  return [{ pattern: `_${prefix}X.`, comment: `directed pickup (${prefix} + extension), within a pickup group`, steps: [step(`Gosub(cp-pickup,s,1(\${EXTEN:${prefix.length}}))`), step('Hangup()')] }];
}

/** [globals]: CP_PICKUP_<ext> = group, for every member of a pickup group. */
export function pickupGlobals(model: Model): [string, string][] {
  return pickupGroupsOf(model)
    .flatMap((g) => g.members.map((ext): [string, string] => [pickupGlobal(ext), g.name]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * cp-agent(login|logout|pause): the caller's own queue membership, identified by the endpoint
 * that authenticated (never by caller ID), in every queue at once.
 */
export const AGENT: Context = {
  name: 'cp-agent',
  comment: 'ARG1 login: take calls again; logout or pause: stop taking calls in every queue (the reason is ARG1).',
  extensions: [
    {
      pattern: 's',
      steps: [
        step(`Set(CP_MEMBER=Local/\${CUT(CHANNEL(endpoint),-,1)}@${QUEUE_MEMBER_CONTEXT}/n)`),
        step('Gosub(cp-answer,s,1)'),
        step('GotoIf($["${ARG1}" = "login"]?login)'),
        step('PauseQueueMember(,${CP_MEMBER},,${ARG1})'),
        step('Playback(${IF($["${PQMSTATUS}" = "PAUSED"]?beep:beeperr)})'),
        step('Return()'),
        step('UnpauseQueueMember(,${CP_MEMBER})', 'login'),
        step('Playback(${IF($["${UPQMSTATUS}" = "UNPAUSED"]?beep:beeperr)})'),
        step('Return()'),
      ],
    },
  ],
};

/** cp-pickup(extension): pick up the call ringing at that user's phones, if caller and user share a pickup group. */
export const PICKUP: Context = {
  name: 'cp-pickup',
  comment: 'Pick up the call ringing at extension ARG1 (any of its devices), for a member of the same pickup group.',
  extensions: [
    {
      pattern: 's',
      steps: [
        step(`Set(CP_GRP=\${GLOBAL(CP_PICKUP_\${CUT(CHANNEL(endpoint),-,1)})})`),
        step('GotoIf($["${CP_GRP}" = "" | "${CP_GRP}" != "${GLOBAL(CP_PICKUP_${ARG1})}" | "${HINT(${ARG1}@internal)}" = ""]?deny)'),
        step('PickupChan(${HINT(${ARG1}@internal)},p)'),
        step('Return()'),
        step('Gosub(cp-answer,s,1)', 'deny'),
        step('Playback(beeperr)'),
        step('Return()'),
      ],
    },
  ],
};

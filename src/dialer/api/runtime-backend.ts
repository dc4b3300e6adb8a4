import { normalizeNumber, validTimezone } from '../load/numbers.js';
import type { DialerState } from '../runtime/open.js';
import { DEFAULT_AGENT_REASONS } from '../agent-reasons.js';
import type { AgentLive, AgentState, AgentStateChange, AgentStateResult, CallEvent, CampaignStats, DialerBackend, LiveStats, TaskRequest, TaskResult } from './backend.js';

/** What only the daemon knows, live from Asterisk. */
export interface LiveProvider {
  /** Agents and their states. */
  agents(): AgentLive[];
  /** Calls up for a campaign (default: its attempts not ended). */
  callsInProgress?(campaign: string): number;
  /** Call events only the daemon sees (`connected`: put through to an agent); returns the unsubscribe. */
  subscribe?(listener: (e: CallEvent) => void): () => void;
  /** The pause reasons agents may be set not ready with (default: DEFAULT_AGENT_REASONS). */
  agentReasons?(): string[];
  /** Sets an agent ready or not ready through the manager (only the daemon has one). */
  setAgentState?(agent: string, change: AgentStateChange): Promise<AgentStateResult>;
}

const STATES: readonly AgentState[] = ['ready', 'talking', 'wrapup', 'paused', 'offline'];

/** The API's backend over the daemon's campaign runtimes (durable actions) and its live view of Asterisk. */
export function runtimeBackend(state: DialerState, live: LiveProvider, clock: () => number = Date.now): DialerBackend {
  const runtime = (name: string) => state.runtimes.get(name);
  return {
    campaigns: () => [...state.runtimes.keys()],

    pushTask(campaign: string, task: TaskRequest): TaskResult {
      const rt = runtime(campaign);
      if (!rt) return { ok: false, reason: 'unknown-campaign', detail: `no campaign ${campaign}` };
      const numbers = [];
      for (const [k, n] of task.numbers.entries()) {
        const e = normalizeNumber(n.number);
        if (!e.ok) return { ok: false, reason: 'invalid', detail: e.reason, field: `body.numbers[${k}].number` };
        if (n.timezone !== undefined && !validTimezone(n.timezone)) return { ok: false, reason: 'invalid', detail: `unknown time zone "${n.timezone}"`, field: `body.numbers[${k}].timezone` };
        numbers.push({ number: e.e164, type: n.type ?? 'unknown', ...(n.timezone !== undefined && { timezone: n.timezone }) });
      }
      if (task.timezone !== undefined && !validTimezone(task.timezone)) return { ok: false, reason: 'invalid', detail: `unknown time zone "${task.timezone}"`, field: 'body.timezone' };
      const r = rt.pushTask(
        {
          id: task.id,
          priority: task.priority ?? 0,
          numbers,
          fields: task.fields ?? {},
          ...(task.name !== undefined && { name: task.name }),
          ...(task.caseNumber !== undefined && { caseNumber: task.caseNumber }),
          ...(task.timezone !== undefined && { timezone: task.timezone }),
          ...(task.notBefore !== undefined && { notBefore: Date.parse(task.notBefore) }),
        },
        task,
      );
      return { ok: true, ...r };
    },

    scheduleCallback(campaign, contactId, at, agent) {
      const rt = runtime(campaign);
      if (!rt) return { ok: false, reason: 'unknown-campaign' };
      return rt.scheduleCallback(contactId, at, agent);
    },

    setPaused(campaign, paused) {
      const rt = runtime(campaign);
      if (!rt) return false;
      rt.setPaused(paused);
      return true;
    },

    addDoNotCall: (number, reason) => state.doNotCall.add(number, 'api', clock(), reason),
    removeDoNotCall: (number) => state.doNotCall.remove(number),

    stats(): LiveStats {
      const now = clock();
      const agents = live.agents();
      const byState = Object.fromEntries(STATES.map((s) => [s, 0])) as Record<AgentState, number>;
      for (const a of agents) byState[a.state]++;
      const campaigns: CampaignStats[] = [...state.runtimes.values()].map((rt) => {
        const s = rt.settings;
        const windowSeconds = s.profile.windowSeconds;
        const o = rt.outcomesSince(now - windowSeconds * 1000);
        const n = (k: string) => o[k] ?? 0;
        const ended = Object.values(o).reduce((a, b) => a + b, 0);
        const answered = n('connected') + n('abandoned') + n('machine');
        const liveAnswers = n('connected') + n('abandoned');
        return {
          name: rt.campaign,
          mode: s.mode,
          paused: rt.paused,
          callsInProgress: live.callsInProgress?.(rt.campaign) ?? rt.inFlight,
          dialLevel: rt.lastDecision?.level ?? 0,
          answerRate: ended > 0 ? answered / ended : null,
          abandon: { rate: liveAnswers > 0 ? n('abandoned') / liveAnswers : null, target: s.abandonTarget, limit: s.profile.abandonLimit, windowSeconds, liveAnswers, abandoned: n('abandoned') },
          contacts: rt.contactCounts(),
        };
      });
      return { at: new Date(now).toISOString(), agents: { byState, list: agents }, campaigns };
    },

    agentReasons: () => live.agentReasons?.() ?? [...DEFAULT_AGENT_REASONS],

    async setAgentState(agent, change) {
      if (!live.setAgentState) return { ok: false, reason: 'unavailable', detail: "agents' states are set through the daemon's manager connection, which this API has not" };
      return live.setAgentState(agent, change);
    },

    subscribe(listener) {
      const offs = [...state.runtimes.values()].map((rt) => rt.onCallEvent(listener));
      if (live.subscribe) offs.push(live.subscribe(listener));
      return () => offs.forEach((off) => off());
    },
  };
}

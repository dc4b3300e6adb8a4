/**
 * What the dialer's HTTP API needs from the daemon: live data and a few actions. The server
 * (server.ts) knows nothing else, so it is tested against a fake; runtime-backend.ts is the real
 * one over the campaign runtimes and the daemon's live view of Asterisk.
 */
import type { CallbackResult, CallEvent, ContactCounts } from '../runtime/campaign-runtime.js';
import type { Mode } from '../pacing/types.js';

export type { CallEvent };

/** A task as the API takes it (validated by the request schema first). */
export interface TaskRequest {
  id: string;
  numbers: { number: string; type?: 'mobile' | 'landline' | 'unknown'; timezone?: string }[];
  priority?: number;
  name?: string;
  caseNumber?: string;
  timezone?: string;
  fields?: Record<string, string>;
  /** ISO time: not dialled before. */
  notBefore?: string;
}

export type AgentState = 'ready' | 'talking' | 'wrapup' | 'paused' | 'offline';

export interface AgentLive {
  id: string;
  state: AgentState;
  /** Why not ready: break, consultation, e-mail, wrap-up ... */
  reason?: string;
  /** ISO time the agent entered the state. */
  since: string;
  campaigns?: string[];
}

export interface CampaignStats {
  name: string;
  mode: Mode;
  paused: boolean;
  callsInProgress: number;
  /** Calls in flight per working agent, from the last decision. */
  dialLevel: number;
  /** Over the regulated window: answered calls / calls ended (null before the first). */
  answerRate: number | null;
  abandon: {
    /** Abandoned / live answers over the regulated window (null before the first live answer). */
    rate: number | null;
    target: number;
    limit: number;
    windowSeconds: number;
    liveAnswers: number;
    abandoned: number;
  };
  contacts: ContactCounts;
}

export interface LiveStats {
  /** ISO time of the statistics. */
  at: string;
  agents: { byState: Record<AgentState, number>; list: AgentLive[] };
  campaigns: CampaignStats[];
}

/** Results the API maps to status codes. */
export type TaskResult = { ok: true; created: boolean; contactId: string } | { ok: false; reason: 'unknown-campaign' | 'invalid'; detail: string; field?: string };
export type CampaignCallbackResult = CallbackResult | { ok: false; reason: 'unknown-campaign' };

/** An agent's state as the API sets it: ready, or not ready with a reason (one of `agentReasons()`). */
export type AgentStateChange = { state: 'ready' } | { state: 'not-ready'; reason: string };

/**
 * What setting an agent's state did: the queues Asterisk paused or unpaused the agent in, or why
 * not (an agent of no campaign, a reason the project does not have, the manager not reachable or
 * refusing).
 */
export type AgentStateResult = { ok: true; queues: string[] } | { ok: false; reason: 'unknown-agent' | 'unknown-reason' | 'unavailable'; detail: string };

export interface DialerBackend {
  campaigns(): string[];
  pushTask(campaign: string, task: TaskRequest): TaskResult;
  scheduleCallback(campaign: string, contactId: string, at: number, agent?: string): CampaignCallbackResult;
  /** False for an unknown campaign. */
  setPaused(campaign: string, paused: boolean): boolean;
  /** E.164 digits; true when the list changed. */
  addDoNotCall(number: string, reason?: string): boolean;
  removeDoNotCall(number: string): boolean;
  stats(): LiveStats;
  /** The pause reasons an agent may be set not ready with (the project's not-ready agent statuses). */
  agentReasons(): string[];
  /** Ready or not ready with a reason, through the manager (QueuePause in every queue of the agent). */
  setAgentState(agent: string, change: AgentStateChange): Promise<AgentStateResult>;
  /** Call events for the screen-pop stream; returns the unsubscribe. */
  subscribe(listener: (e: CallEvent) => void): () => void;
}

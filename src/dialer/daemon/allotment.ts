import type { AgentStatus } from '../pacing/types.js';

/** One campaign an agent serves, as the allotment needs to know it at a decision. */
export interface AllotmentCandidate {
  campaign: string;
  tier: 'primary' | 'backup';
  /** The agent's state in that campaign's queue. */
  status: AgentStatus;
  paused: boolean;
  /** Predictive calls of the campaign on their way with no agent of their own: they count on its free agents. */
  unreservedCalls: number;
}

interface Held {
  owner?: string;
  /** Whether the agent was ready (in its owner's queue) at the last decision. */
  ready: boolean;
}

/**
 * Which campaign an agent shared by several campaigns works for now. Each campaign's pacing core
 * counts the agents it sees as ready (and, in predictive mode, busy ones as soon free); an agent
 * in two campaigns' queues counted by both makes both dial for the same person, and one of the
 * answered callees finds nobody and is abandoned. So an agent's readiness is allotted to one
 * campaign at a time, and the others see the agent as paused:
 *
 * - an agent put through to a campaign's call belongs to that campaign through the talk and the
 *   wrap-up (its core expects them back);
 * - when an agent becomes ready, the campaign that had them keeps them while it has predictive
 *   calls on their way without an agent (they were placed counting on the agent); otherwise they
 *   go to the next campaign in turn: among the campaigns that are not paused, those where the
 *   agent is a primary member first (backup members help only campaigns they are primary in none
 *   of), the one that had the agent least recently first (calls spread evenly over projects), by
 *   name on a tie;
 * - the allotment holds for the whole ready period, so no core sees an agent come and go, unless
 *   the campaign is paused with no call on its way: its agents go to the next campaign at once.
 *
 * Pure: the daemon gives the candidates and the clock. Agents of one campaign only are not
 * tracked: they are that campaign's.
 */
export class AgentAllotment {
  private readonly held = new Map<string, Held>();
  /** agent → campaign → when the agent was last allotted to it (ms). */
  private readonly lastGiven = new Map<string, Map<string, number>>();

  /** The campaign the agent works for now, if decided. */
  owner(agent: string): string | undefined {
    return this.held.get(agent)?.owner;
  }

  /** The agent was put through to a call of `campaign`: theirs until ready again. */
  took(agent: string, campaign: string, now: number): void {
    const h = this.held.get(agent) ?? { ready: false };
    if (h.owner !== campaign) this.give(agent, campaign, now);
    h.owner = campaign;
    h.ready = false;
    this.held.set(agent, h);
  }

  /** Decides the agent's campaign at `now`, given every campaign the agent serves (two or more). */
  decide(agent: string, candidates: readonly AllotmentCandidate[], now: number): string | undefined {
    const h = this.held.get(agent) ?? { ready: false };
    this.held.set(agent, h);
    const current = candidates.find((c) => c.campaign === h.owner);
    const ready = (current ?? candidates[0])?.status === 'ready';
    // A campaign paused with nothing on its way gives its ready agents up at once.
    const released = current !== undefined && current.paused && current.unreservedCalls === 0;
    const becameReady = ready && (!h.ready || current === undefined || released);
    h.ready = ready;
    if (!becameReady) return h.owner;
    if (current && current.unreservedCalls > 0) return h.owner;
    // Not paused or offline in that queue; talking or wrap-up there is the same agent a moment
    // before Asterisk's event for that queue arrives (one event per queue).
    const open = candidates.filter((c) => !c.paused && c.status !== 'paused' && c.status !== 'offline');
    const primary = open.filter((c) => c.tier === 'primary');
    const pool = primary.length > 0 ? primary : open;
    if (pool.length === 0) return h.owner;
    const given = this.lastGiven.get(agent);
    const next = [...pool].sort((a, b) => (given?.get(a.campaign) ?? -Infinity) - (given?.get(b.campaign) ?? -Infinity) || (a.campaign < b.campaign ? -1 : a.campaign > b.campaign ? 1 : 0))[0]!;
    if (next.campaign !== h.owner) this.give(agent, next.campaign, now);
    h.owner = next.campaign;
    return h.owner;
  }

  private give(agent: string, campaign: string, now: number): void {
    const m = this.lastGiven.get(agent) ?? new Map<string, number>();
    m.set(campaign, now);
    this.lastGiven.set(agent, m);
  }
}

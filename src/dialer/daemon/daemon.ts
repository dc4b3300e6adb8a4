import type { AmiMessage } from '../../provision/ami.js';
import { DEFAULT_AGENT_REASONS } from '../agent-reasons.js';
import type { AgentLive, AgentStateChange, AgentStateResult } from '../api/backend.js';
import type { CallEvent } from '../runtime/campaign-runtime.js';
import { DIALER_EVENT } from '../../targets/asterisk/dialplan/campaigns.js';
import type { CampaignsFile, DialerCampaign } from '../campaigns-file.js';
import type { DialerEvent, LiveState } from '../pacing/types.js';
import type { CampaignRuntime, PlannedAttempt } from '../runtime/contract.js';
import { AgentTracker } from './agents.js';
import { AgentAllotment } from './allotment.js';
import { CallTracker, type TalkEnded } from './calls.js';

/** What the daemon asks of Asterisk's manager (an AmiSession live, a fake in tests). */
export interface ManagerLink {
  readonly connected: boolean;
  action(fields: AmiMessage): Promise<AmiMessage>;
  list(fields: AmiMessage): Promise<{ response: AmiMessage; events: AmiMessage[] }>;
}

export interface DaemonOptions {
  file: CampaignsFile;
  runtimes: ReadonlyMap<string, CampaignRuntime>;
  manager: ManagerLink;
  clock?: () => number;
  log?: (line: string) => void;
}

/** The AstDB family the campaign contexts keep an answered call's outcome in, for a UTC day. */
export const outcomeFamily = (at: number): string => `cp-dialer-${new Date(at).toISOString().slice(0, 10).replace(/-/g, '')}`;

/**
 * The live dialer: drives each campaign's runtime (the pacing core over its durable state) with
 * the live state read from Asterisk, originates what it plans, and turns Asterisk's events into
 * the core's. `tick()` runs every 100 ms and whenever an agent becomes ready; `onEvent()` gets
 * every manager event; `onConnect()` runs on each (re)connection before events flow.
 *
 * Compliance (do-not-call, calling windows, attempt limits, the abandon limit) is decided by the
 * core before a dial is planned; the daemon only double-checks what is cheap (a plausible number,
 * the contact not already in a call, the campaign's channels) and refuses, with a log line, a
 * dial that fails it: the attempt then ends as failed.
 */
export class DialerDaemon {
  readonly calls = new CallTracker();
  readonly agents: AgentTracker;
  private readonly campaigns = new Map<string, DialerCampaign>();
  private readonly byQueue = new Map<string, DialerCampaign[]>();
  private readonly clock: () => number;
  private readonly log: (line: string) => void;
  /** Agents whose dialer call ended: their wrap-up runs until they are neither talking nor in wrap-up. */
  private readonly wrapping = new Map<string, TalkEnded>();
  private readonly listeners = new Set<(e: CallEvent) => void>();
  /** Agents of two or more campaigns: each works for one at a time (allotment.ts). */
  readonly allotment = new AgentAllotment();
  private readonly shared = new Map<string, { campaign: DialerCampaign; tier: 'primary' | 'backup' }[]>();
  private stopping = false;
  private ready = false;
  private ticking = false;

  constructor(private readonly o: DaemonOptions) {
    this.clock = o.clock ?? Date.now;
    this.log = o.log ?? (() => undefined);
    for (const c of o.file.campaigns) {
      this.campaigns.set(c.name, c);
      this.byQueue.set(c.queue, [...(this.byQueue.get(c.queue) ?? []), c]);
    }
    this.agents = new AgentTracker((queue) => Math.max(0, ...(this.byQueue.get(queue) ?? []).map((c) => c.wrapupSeconds)));
    const serving = new Map<string, { campaign: DialerCampaign; tier: 'primary' | 'backup' }[]>();
    for (const c of o.file.campaigns) for (const a of c.agents) serving.set(a.extension, [...(serving.get(a.extension) ?? []), { campaign: c, tier: a.tier }]);
    for (const [agent, list] of serving) if (list.length > 1) this.shared.set(agent, list);
  }

  /** On each (re)connection: the queue members as they are now, then every call the state says may be up. */
  async onConnect(): Promise<void> {
    this.ready = false;
    const now = this.clock();
    this.agents.clear();
    for (const queue of this.byQueue.keys()) {
      const { events } = await this.o.manager.list({ Action: 'QueueStatus', Queue: queue });
      for (const e of events) this.agents.onEvent(e, now);
    }
    await this.reconcile();
    this.ready = true;
  }

  /**
   * Every attempt that may be on Asterisk (the runtimes' unfinished ones after a restart, the
   * tracked ones after a lost connection) is looked up: still up → followed again; gone → its
   * outcome from AstDB when it was answered, else failed (it never rang anyone, or its end was
   * not seen and cannot be known).
   */
  async reconcile(): Promise<void> {
    const { events } = await this.o.manager.list({ Action: 'Status', Variables: 'CP_ATTEMPT' });
    const up = new Set<string>();
    for (const e of events) {
      const v = e.Variable ?? e.ChanVariable ?? '';
      const m = /^CP_ATTEMPT=(.+)$/.exec(v);
      if (m) up.add(m[1]!);
    }
    const now = this.clock();
    for (const [name, rt] of this.o.runtimes) {
      const campaign = this.campaigns.get(name);
      if (!campaign) continue;
      for (const a of rt.unfinished()) {
        if (up.has(a.attemptId)) {
          if (!this.calls.has(a.attemptId)) {
            const call = this.calls.placed(a, now, campaign.settings.amd.enabled);
            call.phase = 'waiting';
            this.log(`attempt ${a.attemptId} (${name}, contact ${a.contactId}) is still up in Asterisk: following it`);
          }
          continue;
        }
        const stored = await this.storedOutcome(a.attemptId, now);
        const ended = this.calls.end(a.attemptId, now, stored?.outcome ?? 'failed', stored?.agent);
        const event: DialerEvent = ended?.event ?? { type: 'ended', at: now, call: a.attemptId, contact: a.contact, number: a.numberIndex, numberType: a.numberType, outcome: stored?.outcome ?? 'failed', reserved: a.agent !== undefined, ...(stored?.agent && { agent: stored.agent }) };
        rt.record(event);
        this.log(`attempt ${a.attemptId} (${name}, contact ${a.contactId}) is not on Asterisk: ended ${stored ? `${stored.outcome} (as Asterisk recorded it)` : 'failed (no answer was recorded)'}`);
      }
    }
  }

  /** An answered call's outcome as the campaign context stored it (today's or yesterday's family, UTC). */
  private async storedOutcome(attemptId: string, now: number): Promise<{ outcome: 'connected' | 'abandoned' | 'machine'; agent?: string } | undefined> {
    for (const at of [now, now - 86_400_000, now - 2 * 86_400_000]) {
      const r = await this.o.manager.list({ Action: 'DBGet', Family: outcomeFamily(at), Key: attemptId });
      const value = r.events.find((e) => e.Event === 'DBGetResponse')?.Val;
      if (value === undefined) continue;
      const [outcome, agent] = value.split('/');
      if (outcome === 'connected' || outcome === 'abandoned' || outcome === 'machine') return { outcome, ...(agent && { agent }) };
    }
    return undefined;
  }

  onEvent(e: AmiMessage): void {
    const now = this.clock();
    if (e.Event === 'UserEvent' && e.UserEvent === DIALER_EVENT && e.Phase === 'connected') this.connected(e, now);
    for (const t of this.calls.onEvent(e, now)) this.record(t.campaign, t.event);
    for (const talk of this.calls.takeTalks()) {
      this.wrapping.set(`${talk.campaign}\u0000${talk.agent}`, talk);
      this.agents.callEnded(talk.agent, talk.endedAt);
    }
    const queues = this.agents.onEvent(e, now);
    if (queues.length > 0 && !this.stopping && this.ready) {
      // An agent may have become ready: decide now rather than at the next tick.
      void this.tick(queues);
    }
  }

  /** Plans and originates for every campaign (or those of `queues`). */
  async tick(queues?: string[]): Promise<void> {
    if (this.stopping || !this.ready || !this.o.manager.connected || this.ticking) return;
    this.ticking = true;
    try {
      const now = this.clock();
      this.agentsDone(now);
      this.allot(now);
      const names = queues ? queues.flatMap((q) => (this.byQueue.get(q) ?? []).map((c) => c.name)) : [...this.campaigns.keys()];
      for (const name of names) {
        const rt = this.o.runtimes.get(name);
        const campaign = this.campaigns.get(name)!;
        if (!rt) continue;
        const live = this.liveState(campaign, now);
        const { attempts } = rt.plan(live, now);
        // Sent together (each registered and written in order, ActionIDs tell the answers apart):
        // one after another's answer, a decision of many calls held every agent who became ready
        // meanwhile for the sum of the round trips (bench/dialer.js measured seconds).
        if (attempts.length > 0) await Promise.all(attempts.map((a) => this.originate(campaign, a, live)));
      }
    } finally {
      this.ticking = false;
    }
  }

  /**
   * The live state of one campaign as the core sees it: an agent shared with other campaigns
   * who works for another one now (allotment.ts) is paused as far as this campaign knows.
   */
  liveState(campaign: DialerCampaign, now: number): LiveState {
    const views = this.agents.views(
      campaign.queue,
      campaign.agents.map((a) => a.extension),
      now,
    );
    return {
      agents: views.map((v) => {
        const owner = this.shared.has(v.id) ? this.allotment.owner(v.id) : undefined;
        return owner === undefined || owner === campaign.name || v.status === 'offline' ? v : { id: v.id, status: 'paused' as const, since: v.since };
      }),
      calls: this.calls.views(campaign.name),
    };
  }

  /** Decides, for every agent of several campaigns, which one they work for now. */
  private allot(now: number): void {
    for (const [agent, list] of this.shared) {
      this.allotment.decide(
        agent,
        list.map(({ campaign, tier }) => ({
          campaign: campaign.name,
          tier,
          status: this.agents.status(campaign.queue, agent, now),
          paused: this.o.runtimes.get(campaign.name)?.paused ?? true,
          unreservedCalls: this.calls.views(campaign.name).filter((c) => c.agent === undefined).length,
        })),
        now,
      );
    }
  }

  /** Call events only Asterisk shows (connected: put through to an agent), for the API's screen-pop stream. */
  onCallEvent(listener: (e: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every campaign agent once, with the state in the first of its campaigns' queues (for the API). */
  agentsLive(): AgentLive[] {
    const now = this.clock();
    const out = new Map<string, AgentLive>();
    for (const c of this.campaigns.values()) {
      for (const view of this.agents.views(c.queue, c.agents.map((a) => a.extension), now)) {
        const known = out.get(view.id);
        if (known) {
          known.campaigns!.push(c.name);
          continue;
        }
        const reason = this.agents.reason(c.queue, view.id);
        out.set(view.id, { id: view.id, state: view.status, since: new Date(view.since).toISOString(), campaigns: [c.name], ...(reason !== undefined && { reason }) });
      }
    }
    return [...out.values()];
  }

  /** The pause reasons an agent may be set not ready with: the project's not-ready agent statuses. */
  agentReasons(): string[] {
    return this.o.file.agentReasons ?? [...DEFAULT_AGENT_REASONS];
  }

  /**
   * Ready or not ready with a reason, as the phone's codes do it: one QueuePause for the agent's
   * member interface without a queue, so Asterisk pauses (or unpauses) it in every queue it sits
   * in at once, with the reason; a paused member is offered no further call (one already ringing
   * still rings), so "consultation" stops distribution at once. The daemon's view follows from
   * the QueueMemberPause events Asterisk sends for it, as for a pause set any other way.
   */
  async setAgentState(agent: string, change: AgentStateChange): Promise<AgentStateResult> {
    const campaigns = [...this.campaigns.values()].filter((c) => c.agents.some((a) => a.extension === agent));
    if (campaigns.length === 0) return { ok: false, reason: 'unknown-agent', detail: `${agent} is no agent of a campaign` };
    if (change.state === 'not-ready' && !this.agentReasons().includes(change.reason)) {
      return { ok: false, reason: 'unknown-reason', detail: `"${change.reason}" is not an agent status of the project (there are: ${this.agentReasons().join(', ')})` };
    }
    if (!this.o.manager.connected) return { ok: false, reason: 'unavailable', detail: "not connected to Asterisk's manager; try again" };
    const iface = campaigns[0]!.agents.find((a) => a.extension === agent)!.interface;
    try {
      const r = await this.o.manager.action({ Action: 'QueuePause', Interface: iface, Paused: change.state === 'ready' ? 'false' : 'true', ...(change.state === 'not-ready' && { Reason: change.reason }) });
      if (r.Response !== 'Success') return { ok: false, reason: 'unavailable', detail: `Asterisk refused the QueuePause of ${agent}: ${r.Message ?? 'no reason given'}` };
    } catch (e) {
      return { ok: false, reason: 'unavailable', detail: `the QueuePause of ${agent} did not reach Asterisk: ${(e as Error).message}` };
    }
    this.log(`agent ${agent}: ${change.state === 'ready' ? 'ready' : `not ready (${change.reason})`}, set over the API`);
    return { ok: true, queues: [...new Set(campaigns.map((c) => c.queue))].sort() };
  }

  private connected(e: AmiMessage, now: number): void {
    const call = e.Attempt === undefined ? undefined : this.calls.get(e.Attempt);
    if (call && e.Agent && this.shared.has(e.Agent)) this.allotment.took(e.Agent, call.attempt.campaign, now);
    if (!call || this.listeners.size === 0) return;
    const a = call.attempt;
    const event: CallEvent = { type: 'connected', at: now, campaign: a.campaign, attemptId: a.attemptId, contactId: a.contactId, number: a.number, kind: a.kind, data: a.data, ...(e.Agent ? { agent: e.Agent } : {}) };
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // A listener's failure (a client gone) is not the dialer's.
      }
    }
  }

  /** Stops planning; calls already placed go on in Asterisk (a restart follows them again). */
  stop(): void {
    this.stopping = true;
  }

  private async originate(campaign: DialerCampaign, a: PlannedAttempt, live: LiveState): Promise<void> {
    const now = this.clock();
    const refused = this.guard(campaign, a, live);
    this.calls.placed(a, now, campaign.settings.amd.enabled);
    if (refused) {
      this.log(`refused to dial attempt ${a.attemptId} (${campaign.name}, contact ${a.contactId}): ${refused}`);
      this.endFailed(a, now);
      return;
    }
    // Encoded: no comma (Originate's variable separator), quote or line break reaches the dialplan or a SIP header.
    const variables = [`CP_ATTEMPT=${a.attemptId}`, `CP_CONTACT_ID=${encodeURIComponent(a.contactId)}`, `CP_DATA=${new URLSearchParams(Object.entries(a.data)).toString()}`];
    if (a.agent !== undefined) variables.push(`CP_AGENT=${a.agent.replace(/[^0-9A-Za-z_-]/g, '')}`);
    // The attempt id is the ActionID, known before anything is sent: the OriginateResponse can
    // arrive in the same read as the response to the action itself.
    this.calls.originated(a.attemptId, a.attemptId);
    try {
      const r = await this.o.manager.action({
        Action: 'Originate',
        ActionID: a.attemptId,
        Channel: campaign.channel.replace('{number}', a.number),
        Context: campaign.context,
        Exten: 's',
        Priority: '1',
        Timeout: String(Math.round(a.ringTimeoutSeconds * 1000)),
        ...(campaign.callerId !== undefined && { CallerID: campaign.callerId }),
        Async: 'true',
        Variable: variables.join(','),
      });
      if (r.Response !== 'Success') {
        this.log(`Asterisk refused the Originate of attempt ${a.attemptId} (${campaign.name}): ${r.Message ?? 'no reason given'}`);
        this.endFailed(a, this.clock());
        return;
      }
    } catch (e) {
      this.log(`could not originate attempt ${a.attemptId} (${campaign.name}): ${(e as Error).message}`);
      this.endFailed(a, this.clock());
    }
  }

  /** Why a planned dial must not go out, or undefined. Cheap checks only: the core decided the rest. */
  private guard(campaign: DialerCampaign, a: PlannedAttempt, live: LiveState): string | undefined {
    if (!/^[1-9][0-9]{2,14}$/.test(a.number)) return `the number ${JSON.stringify(a.number)} is not E.164 digits`;
    if (this.calls.all().some((c) => c.attempt.campaign === a.campaign && c.attempt.contact === a.contact)) return 'the contact is already in a call';
    const channels = campaign.settings.maxChannels;
    if (channels !== undefined && live.calls.length + 1 > channels) return `the campaign's ${channels} channels are in use`;
    if (campaign.settings.mode === 'progressive' && a.agent === undefined) return 'a progressive call without an agent';
    return undefined;
  }

  private endFailed(a: PlannedAttempt, now: number): void {
    const t = this.calls.end(a.attemptId, now, 'failed');
    if (t) this.record(t.campaign, t.event);
  }

  /** Agents whose wrap-up after a dialer call is over: the core learns their pace. */
  private agentsDone(now: number): void {
    for (const [key, talk] of this.wrapping) {
      const campaign = this.campaigns.get(talk.campaign);
      if (!campaign) {
        this.wrapping.delete(key);
        continue;
      }
      const status = this.agents.status(campaign.queue, talk.agent, now);
      if (status === 'talking' || status === 'wrapup') continue;
      this.wrapping.delete(key);
      this.record(talk.campaign, { type: 'agent-done', at: now, agent: talk.agent, talkSeconds: talk.talkSeconds, wrapSeconds: Math.max(0, (now - talk.endedAt) / 1000) });
    }
  }

  private record(campaign: string, event: DialerEvent): void {
    const rt = this.o.runtimes.get(campaign);
    if (!rt) return;
    try {
      rt.record(event);
    } catch (e) {
      this.log(`could not record ${event.type} of campaign ${campaign}: ${(e as Error).message}`);
      throw e;
    }
  }
}

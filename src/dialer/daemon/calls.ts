import type { AmiMessage } from '../../provision/ami.js';
import { DIALER_EVENT } from '../../targets/asterisk/dialplan/campaigns.js';
import type { CallOutcome, CallPhase, CallView, DialerEvent } from '../pacing/types.js';
import type { PlannedAttempt } from '../runtime/contract.js';

/** A call the daemon placed and has not seen end. */
export interface TrackedCall {
  readonly attempt: PlannedAttempt;
  readonly placedAt: number;
  readonly amd: boolean;
  phase: CallPhase;
  since: number;
  actionId?: string;
  answeredAt?: number;
  connectedAt?: number;
  agent?: string;
  dialStatus?: string;
}

/** A connected call that ended: the agent's talk is known, the wrap-up starts. */
export interface TalkEnded {
  campaign: string;
  agent: string;
  talkSeconds: number;
  endedAt: number;
}

export interface Translated {
  campaign: string;
  event: DialerEvent;
}

/**
 * The daemon's calls, from the moment an attempt is originated to its end, and the translation
 * of Asterisk's events about them into the pacing core's events. Pure: no I/O, the clock is
 * given; every AMI event goes through `onEvent`, which answers the core events it means.
 *
 * The sources: the campaign contexts' UserEvents (CallplanDialer: answered, amd, waiting,
 * connected, ended with the outcome, dialstatus) and the OriginateResponse of an Originate that
 * did not lead to an answer (busy, no answer at the ring timeout, congestion, failure).
 */
export class CallTracker {
  private readonly calls = new Map<string, TrackedCall>();
  private readonly byAction = new Map<string, string>();
  /** Talks that ended since the last `takeTalks()`. */
  private talks: TalkEnded[] = [];

  placed(attempt: PlannedAttempt, now: number, amd: boolean): TrackedCall {
    const call: TrackedCall = { attempt, placedAt: now, amd, phase: 'ringing', since: now };
    this.calls.set(attempt.attemptId, call);
    return call;
  }

  /** The Originate was accepted (queued by Asterisk): its OriginateResponse will carry this ActionID. */
  originated(attemptId: string, actionId: string): void {
    const call = this.calls.get(attemptId);
    if (!call) return;
    call.actionId = actionId;
    this.byAction.set(actionId, attemptId);
  }

  has(attemptId: string): boolean {
    return this.calls.has(attemptId);
  }

  get(attemptId: string): TrackedCall | undefined {
    return this.calls.get(attemptId);
  }

  get size(): number {
    return this.calls.size;
  }

  all(): TrackedCall[] {
    return [...this.calls.values()];
  }

  /** The calls of a campaign as the core's live state sees them. */
  views(campaign: string): CallView[] {
    const out: CallView[] = [];
    for (const c of this.calls.values()) {
      if (c.attempt.campaign !== campaign) continue;
      const v: { -readonly [K in keyof CallView]: CallView[K] } = { id: c.attempt.attemptId, contact: c.attempt.contact, phase: c.phase, since: c.since, placedAt: c.placedAt, numberType: c.attempt.numberType };
      if (c.attempt.agent !== undefined) v.agent = c.attempt.agent;
      out.push(v);
    }
    return out;
  }

  /** Ends a call the daemon gives up on (Originate refused, gone from Asterisk): outcome failed unless known. */
  end(attemptId: string, now: number, outcome: CallOutcome = 'failed', agent?: string): Translated | undefined {
    const call = this.calls.get(attemptId);
    if (!call) return undefined;
    return this.finish(call, now, outcome, agent);
  }

  /** Connected calls that ended since the last call, for the agents' pace (agent-done). */
  takeTalks(): TalkEnded[] {
    const t = this.talks;
    this.talks = [];
    return t;
  }

  onEvent(e: AmiMessage, now: number): Translated[] {
    if (e.Event === 'UserEvent' && e.UserEvent === DIALER_EVENT) return this.onDialerEvent(e, now);
    if (e.Event === 'OriginateResponse' && e.ActionID !== undefined) return this.onOriginateResponse(e, now);
    return [];
  }

  private onDialerEvent(e: AmiMessage, now: number): Translated[] {
    const call = e.Attempt === undefined ? undefined : this.calls.get(e.Attempt);
    if (!call) return [];
    const campaign = call.attempt.campaign;
    const id = call.attempt.attemptId;
    switch (e.Phase) {
      case 'dialstatus':
        call.dialStatus = e.Status;
        return [];
      case 'answered': {
        if (call.answeredAt !== undefined) return [];
        call.answeredAt = now;
        this.move(call, call.amd ? 'amd' : 'waiting', now);
        return [{ campaign, event: { type: 'answered', at: now, call: id, contact: call.attempt.contact, numberType: call.attempt.numberType, ringSeconds: (now - call.placedAt) / 1000 } }];
      }
      case 'amd': {
        const passed = e.Status !== 'MACHINE';
        if (passed) this.move(call, 'waiting', now);
        return [{ campaign, event: { type: 'amd', at: now, call: id, passed, seconds: (now - (call.answeredAt ?? now)) / 1000 } }];
      }
      case 'waiting':
        if (call.phase !== 'waiting') this.move(call, 'waiting', now);
        return [];
      case 'connected':
        call.connectedAt = now;
        if (e.Agent) call.agent = e.Agent;
        this.move(call, 'connected', now);
        return [];
      case 'ended': {
        const outcome: CallOutcome = e.Outcome === 'connected' ? 'connected' : e.Outcome === 'machine' ? 'machine' : 'abandoned';
        return [this.finish(call, now, outcome, e.Agent || call.agent)];
      }
      default:
        return [];
    }
  }

  private onOriginateResponse(e: AmiMessage, now: number): Translated[] {
    const attemptId = this.byAction.get(e.ActionID!);
    if (attemptId === undefined) return [];
    this.byAction.delete(e.ActionID!);
    const call = this.calls.get(attemptId);
    if (!call || e.Response === 'Success') return [];
    return [this.finish(call, now, unansweredOutcome(e.Reason, call.dialStatus))];
  }

  private finish(call: TrackedCall, now: number, outcome: CallOutcome, agent?: string): Translated {
    this.calls.delete(call.attempt.attemptId);
    if (call.actionId !== undefined) this.byAction.delete(call.actionId);
    const event: Extract<DialerEvent, { type: 'ended' }> = {
      type: 'ended',
      at: now,
      call: call.attempt.attemptId,
      contact: call.attempt.contact,
      number: call.attempt.numberIndex,
      numberType: call.attempt.numberType,
      outcome,
      reserved: call.attempt.agent !== undefined,
    };
    if (outcome === 'connected' && agent) {
      event.agent = agent;
      this.talks.push({ campaign: call.attempt.campaign, agent, talkSeconds: (now - (call.connectedAt ?? now)) / 1000, endedAt: now });
    }
    return { campaign: call.attempt.campaign, event };
  }

  private move(call: TrackedCall, phase: CallPhase, now: number): void {
    call.phase = phase;
    call.since = now;
  }
}

/**
 * A call that was not answered: the trunk's own answer when the dialplan reported it, else the
 * Originate's reason (Asterisk's control frame: 5 busy, 8 congestion, 3 still ringing at the
 * timeout, 1 hung up before an answer, 0 no such channel or failure).
 */
export function unansweredOutcome(reason: string | undefined, dialStatus: string | undefined): CallOutcome {
  if (dialStatus === 'BUSY') return 'busy';
  if (dialStatus === 'CONGESTION' || dialStatus === 'CHANUNAVAIL') return 'failed';
  if (dialStatus === 'NOANSWER') return 'noAnswer';
  switch (reason) {
    case '5':
      return 'busy';
    case '3':
    case '1':
      return 'noAnswer';
    default:
      return 'failed';
  }
}

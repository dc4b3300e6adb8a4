import type { AmiMessage } from '../../provision/ami.js';
import type { AgentStatus, AgentView } from '../pacing/types.js';

/** What Asterisk last said about one queue member (QueueMember from QueueStatus, QueueMemberStatus, QueueMemberPause). */
interface Member {
  queue: string;
  extension: string;
  /** Device state: 1 not in use, 2 in use, 3 busy, 4 invalid, 5 unavailable, 6 ringing, 7 ringing in use, 8 on hold. */
  device: number;
  inCall: boolean;
  paused: boolean;
  reason: string;
  /** Epoch ms of the end of the member's last queue call (0: none). */
  lastCall: number;
  status: AgentStatus;
  since: number;
}

/** Pause reasons that mean the agent is in wrap-up (the agent status callplan calls wrap-up). */
const WRAPUP_REASONS = new Set(['wrap-up', 'wrapup', 'wrap_up', 'after-call-work']);
/** The pause reason *92 (log out) sets. */
export const LOGOUT_REASON = 'logout';

/** The extension in a member interface Local/1001@cp-queue-members/n. */
export function memberExtension(iface: string | undefined): string | undefined {
  return iface === undefined ? undefined : /^Local\/([^@/]+)@/.exec(iface)?.[1];
}

/**
 * The agents' live state from Asterisk's queue-member events: ready, talking (in a call or
 * ringing), wrap-up (the queue's wrap-up time after a call, or paused with reason wrap-up),
 * paused (any other reason) or offline (logged out with *92, or the phone unreachable). Pure:
 * the clock is given, so wrap-up ends by time without an event.
 */
export class AgentTracker {
  private readonly members = new Map<string, Member>();

  /** `wrapup(queue)`: the queue's wrap-up seconds. */
  constructor(private readonly wrapup: (queue: string) => number) {}

  /** Applies a QueueMember, QueueMemberStatus, QueueMemberPause, QueueMemberAdded/Removed event; returns the queues whose members changed. */
  onEvent(e: AmiMessage, now: number): string[] {
    const queue = e.Queue;
    const extension = memberExtension(e.Interface ?? e.Location ?? e.StateInterface);
    if (queue === undefined || extension === undefined) return [];
    const key = `${queue}\u0000${extension}`;
    if (e.Event === 'QueueMemberRemoved') {
      this.members.delete(key);
      return [queue];
    }
    if (!['QueueMember', 'QueueMemberStatus', 'QueueMemberPause', 'QueueMemberAdded', 'QueueMemberPaused'].includes(e.Event ?? '')) return [];
    const m: Member = this.members.get(key) ?? { queue, extension, device: 0, inCall: false, paused: false, reason: '', lastCall: 0, status: 'offline', since: now };
    if (e.Status !== undefined) m.device = Number(e.Status);
    if (e.InCall !== undefined) m.inCall = e.InCall === '1';
    if (e.Paused !== undefined) m.paused = e.Paused === '1';
    if (e.PausedReason !== undefined || e.Reason !== undefined) m.reason = e.PausedReason ?? e.Reason ?? '';
    if (!m.paused) m.reason = '';
    // Never back: a dialer call put straight through to the agent set a later end (callEnded).
    if (e.LastCall !== undefined) m.lastCall = Math.max(m.lastCall, Number(e.LastCall) * 1000);
    this.members.set(key, m);
    this.refresh(m, now);
    return [queue];
  }

  /**
   * A dialer call of the agent ended at `at`. Asterisk starts the queue's wrap-up only after calls
   * the queue itself delivered; a progressive, preview or callback call goes straight to the
   * agent's phone, and without this the agent would be ready (and dialled for) the moment they
   * hang up. The wrap-up then runs from this end in each of the agent's queues, as after a queue call.
   */
  callEnded(extension: string, at: number): void {
    for (const m of this.members.values()) {
      if (m.extension !== extension) continue;
      m.lastCall = Math.max(m.lastCall, at);
      this.refresh(m, at);
    }
  }

  /** Forget everything (a reconnect reads the members again with QueueStatus). */
  clear(): void {
    this.members.clear();
  }

  /** The agents of a queue at `now`, by extension; an agent Asterisk has not named is offline. */
  views(queue: string, extensions: readonly string[], now: number): AgentView[] {
    return extensions.map((extension) => {
      const m = this.members.get(`${queue}\u0000${extension}`);
      if (!m) return { id: extension, status: 'offline', since: 0 };
      this.refresh(m, now);
      return { id: extension, status: m.status, since: m.since };
    });
  }

  /** Why a paused agent is not ready (the pause reason: break, consultation ...), if paused. */
  reason(queue: string, extension: string): string | undefined {
    const m = this.members.get(`${queue}\u0000${extension}`);
    return m?.paused && m.reason !== '' ? m.reason : undefined;
  }

  status(queue: string, extension: string, now: number): AgentStatus {
    const m = this.members.get(`${queue}\u0000${extension}`);
    if (!m) return 'offline';
    this.refresh(m, now);
    return m.status;
  }

  private refresh(m: Member, now: number): void {
    const s = this.statusOf(m, now);
    if (s !== m.status) {
      m.status = s;
      m.since = now;
    }
  }

  private statusOf(m: Member, now: number): AgentStatus {
    if (m.paused) {
      if (m.reason === LOGOUT_REASON) return 'offline';
      return WRAPUP_REASONS.has(m.reason) ? 'wrapup' : 'paused';
    }
    if (m.device === 4 || m.device === 5) return 'offline';
    if (m.inCall || m.device === 2 || m.device === 3 || m.device === 6 || m.device === 7 || m.device === 8) return 'talking';
    const wrap = this.wrapup(m.queue);
    if (wrap > 0 && m.lastCall > 0 && now < m.lastCall + wrap * 1000) return 'wrapup';
    return 'ready';
  }
}

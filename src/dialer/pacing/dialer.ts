import { CallingWindow } from './calling-window.js';
import { ContactQueues, ContactState, ContactStore, MAX_NUMBERS, type ContactInput } from './contacts.js';
import { IdHeap } from './heap.js';
import { LearnedBeliefs } from './learned.js';
import type { PacingPolicy, PacingView } from './policy.js';
import { PredictivePolicy } from './predictive.js';
import { afterAttempt } from './retry.js';
import type { AgentView, CallOutcome, CallView, Decision, Dial, DialerEvent, LiveState, Mode, NumberType, Offer, PacingSettings, Reason } from './types.js';

/** What already happened to a contact, replayed by `restoreContact` (the durable state's journal, in order). */
export type ContactHistory =
  | { type: 'ended'; at: number; numberIndex: number; outcome: CallOutcome; callback?: { at: number; agent?: string } }
  | { type: 'callback'; at: number; agent?: string }
  | { type: 'removed' };

export interface DialerOptions {
  /** How many predictive calls to place (default: callplan's PredictivePolicy). */
  policy?: PacingPolicy;
  /** Run in another mode than the campaign's (the simulator compares them). */
  mode?: Mode;
  /** Numbers never to call (E.164 digits as numbers); may change while the dialer runs. */
  doNotCall?: { has(number: number): boolean };
  /** Initial capacity of the contact store. */
  capacity?: number;
}

interface Reservation {
  agent: string;
  contact: number;
  numberIndex: number;
  kind: 'preview' | 'progressive';
  until: number;
  dial?: boolean;
}

const NO_DNC = { has: () => false };

/**
 * The pacing core: a campaign's contacts and what the dialer has learnt, and, from the live state
 * and the clock, the decision what to dial now. Pure and deterministic: no I/O, no clock, no
 * randomness; the live daemon and the simulator drive it the same way — `observe` every event,
 * `decide` on a timer (every 100 ms live) and when an agent becomes ready.
 *
 * Whatever the mode, a contact is dialled only in its number's calling window (callee-local
 * time, weekdays, holidays, the profile's legal hours), never when the number is on the
 * do-not-call list, never while it is in another call, and only as its retry rules allow.
 */
/** How stale the count of open contacts the predictive policy plans with may be. */
const OPEN_RECOUNT_MS = 10_000;

export class Dialer {
  readonly store: ContactStore;
  readonly queues: ContactQueues;
  readonly window: CallingWindow;
  readonly beliefs: LearnedBeliefs;
  readonly policy: PacingPolicy;
  readonly mode: Mode;
  private readonly reservations = new Map<string, Reservation>();
  private readonly callbacks: IdHeap;
  /** Callbacks whose time has come, still waiting for an agent (or their window). */
  private due: number[] = [];
  /** Contacts taken out while in a call: removed when the call ends. */
  private readonly removeAfterCall = new Set<number>();
  /** `open`, counted at most OPEN_RECOUNT_MS ago (a count over every contact is too dear for every decision). */
  private openCount = { at: -Infinity, size: -1, n: 0 };
  private readonly dnc: { has(number: number): boolean };

  constructor(
    readonly settings: PacingSettings,
    options: DialerOptions = {},
  ) {
    this.store = new ContactStore(options.capacity ?? 1024);
    this.queues = new ContactQueues(this.store);
    this.window = new CallingWindow(settings);
    this.beliefs = new LearnedBeliefs(settings);
    this.policy = options.policy ?? new PredictivePolicy(settings);
    this.mode = options.mode ?? settings.mode;
    this.dnc = options.doNotCall ?? NO_DNC;
    this.callbacks = new IdHeap(() => this.store.callbackAt, 64);
  }

  /** A zone index for a time zone name (contacts name the zone of each number). */
  zone(timezone: string | undefined): number {
    return this.window.zone(timezone);
  }

  addContact(c: ContactInput): number {
    const i = this.store.add(c);
    this.store.state[i] = ContactState.pending;
    this.store.next[i] = 0;
    this.queues.push(i);
    return i;
  }

  /**
   * A contact with its past (a restart): its ended attempts and callbacks are replayed through the
   * same retry rules as live, then it is queued as that left it. `inCall`: an attempt is still
   * unfinished (it may be up on Asterisk), so the contact waits in 'dialing' for that call's end.
   */
  restoreContact(c: ContactInput, history: readonly ContactHistory[], inCall?: { numberIndex: number }): number {
    const store = this.store;
    const i = store.add(c);
    store.state[i] = ContactState.pending;
    store.next[i] = 0;
    let removed = false;
    for (const h of history) {
      if (h.type === 'removed') removed = true;
      else if (h.type === 'callback') this.setCallback(i, h.at, h.agent);
      else {
        store.state[i] = ContactState.dialing;
        store.next[i] = h.numberIndex;
        afterAttempt(store, this.settings, i, h.numberIndex, h.outcome, h.at, h.callback && this.callbackOf(h.callback));
      }
    }
    if (inCall) {
      store.state[i] = ContactState.dialing;
      store.next[i] = inCall.numberIndex;
      if (removed) this.removeAfterCall.add(i);
    } else if (removed) store.state[i] = ContactState.removed;
    else if (store.state[i] === ContactState.pending) this.queues.push(i);
    else if (store.state[i] === ContactState.callback) this.callbacks.push(i);
    return i;
  }

  /**
   * A callback asked for outside a call (the API): the contact is called at `at`, by `agent` when
   * the campaign keeps callbacks with their agent. Refused (false) while the contact is in a call,
   * shown to an agent, or taken out.
   */
  scheduleCallback(i: number, at: number, agent?: string): boolean {
    const st = this.store.state[i];
    if (st === ContactState.dialing || st === ContactState.reserved || st === ContactState.removed) return false;
    // A pending contact stays in its queue; the queue skips it while it is not pending.
    const waiting = st === ContactState.callback;
    this.setCallback(i, at, agent);
    if (!waiting) this.callbacks.push(i);
    else this.rebuildCallbacks();
    return true;
  }

  private setCallback(i: number, at: number, agent: string | undefined): void {
    const cb = this.callbackOf({ at, ...(agent !== undefined && { agent }) });
    this.store.state[i] = ContactState.callback;
    this.store.callbackAt[i] = cb.at;
    this.store.callbackAgent[i] = cb.agent;
  }

  private callbackOf(cb: { at: number; agent?: string }): { at: number; agent: number } {
    return { at: cb.at, agent: this.settings.callback.sameAgent && cb.agent !== undefined ? this.store.agentIndex(cb.agent) : -1 };
  }

  /** A waiting callback's time changed: its heap is rebuilt, since a key must not change in place. */
  private rebuildCallbacks(): void {
    const ids = new Set<number>(this.due);
    while (this.callbacks.size > 0) ids.add(this.callbacks.pop());
    this.due = [];
    for (const id of ids) if (this.store.state[id] === ContactState.callback) this.callbacks.push(id);
  }

  /** Takes a contact out (e.g. asked not to be called): it is never dialled again. */
  removeContact(i: number): void {
    if (this.store.state[i] === ContactState.dialing) this.removeAfterCall.add(i);
    else this.store.state[i] = ContactState.removed;
  }

  observe(e: DialerEvent): void {
    if (e.type === 'ended') {
      const i = e.contact;
      if (this.removeAfterCall.delete(i)) this.store.state[i] = ContactState.removed;
      else if (this.store.state[i] === ContactState.dialing) {
        const cb = e.callback && { at: e.callback.at, agent: this.settings.callback.sameAgent && e.callback.agent !== undefined ? this.store.agentIndex(e.callback.agent) : -1 };
        const next = afterAttempt(this.store, this.settings, i, e.number, e.outcome, e.at, cb);
        if (next.kind === 'retry') this.queues.push(i);
        else if (next.kind === 'callback') this.callbacks.push(i);
      }
    } else if (e.type === 'preview') {
      const r = this.reservations.get(e.agent);
      if (r && r.kind === 'preview') {
        if (e.action === 'dial') r.dial = true;
        else if (this.settings.preview.allowSkip) {
          this.reservations.delete(e.agent);
          this.release(r.contact, e.at);
        }
      }
    }
    this.beliefs.observe(e);
    this.policy.observe?.(e);
  }

  /** What to dial now. `explain` adds the reasons (the simulator leaves them out for speed). */
  decide(state: LiveState, now: number, explain = true): Decision {
    const s = this.settings;
    const reasons: Reason[] = [];
    const dials: Dial[] = [];
    const offers: Offer[] = [];
    let active = 0;
    for (const a of state.agents) if (a.status === 'ready' || a.status === 'talking' || a.status === 'wrapup') active++;
    let byId: Map<string, AgentView> | undefined;
    const agents = () => (byId ??= new Map(state.agents.map((a) => [a.id, a])));

    // Reservations of agents who left, and previews nobody acted on in time, are given back.
    for (const [agent, r] of this.reservations) {
      const a = agents().get(agent);
      if (!a || a.status !== 'ready' || (r.kind === 'preview' && !r.dial && now >= r.until)) {
        this.reservations.delete(agent);
        this.release(r.contact, now);
        if (explain) reasons.push({ code: 'released', text: `record ${this.label(r.contact)} given back: ${!a || a.status !== 'ready' ? `agent ${agent} is ${a?.status ?? 'gone'}` : 'preview time over'}` });
      }
    }

    const reserved = new Set<string>(this.reservations.keys());
    const predictiveCalls: CallView[] = [];
    let connected = 0;
    for (const c of state.calls) {
      if (c.phase === 'connected') connected++;
      else if (c.agent !== undefined) reserved.add(c.agent);
      else predictiveCalls.push(c);
    }
    let channels = s.maxChannels === undefined ? Infinity : s.maxChannels - state.calls.length;

    // Reserved records whose time has come: progressive read time over, preview dialled by the agent.
    for (const [agent, r] of this.reservations) {
      if (channels <= 0) break;
      if ((r.kind === 'progressive' && now >= r.until) || (r.kind === 'preview' && r.dial)) {
        this.reservations.delete(agent);
        dials.push(this.dial(r.contact, r.numberIndex, r.kind, agent));
        channels--;
      }
    }

    // Callbacks: to their own agent when ready; after the grace period to anyone, or they wait.
    while (this.callbacks.size > 0 && this.store.callbackAt[this.callbacks.peek()]! <= now) this.due.push(this.callbacks.pop());
    if (this.due.length > 0) {
      const keep: number[] = [];
      for (const i of this.due) {
        const placed = channels > 0 ? this.placeCallback(i, now, agents(), reserved, dials, explain ? reasons : undefined) : 'wait';
        if (placed === 'placed') channels--;
        if (placed === 'wait') keep.push(i);
      }
      this.due = keep;
    }

    const free: AgentView[] = [];
    for (const a of state.agents) if (a.status === 'ready' && !reserved.has(a.id)) free.push(a);

    if (this.mode === 'preview' || this.mode === 'progressive') {
      // Longest waiting first.
      free.sort((x, y) => x.since - y.since || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      for (const a of free) {
        if (this.mode === 'progressive' && s.progressive.readSeconds <= 0 && channels <= 0) break;
        const i = this.take(now, true);
        if (i < 0) break;
        const k = this.store.next[i]!;
        if (this.mode === 'progressive' && s.progressive.readSeconds <= 0) {
          dials.push(this.dial(i, k, 'progressive', a.id));
          channels--;
        } else {
          const kind = this.mode;
          const until = now + 1000 * (kind === 'preview' ? s.preview.seconds : s.progressive.readSeconds);
          this.store.state[i] = ContactState.reserved;
          this.reservations.set(a.id, { agent: a.id, contact: i, numberIndex: k, kind, until });
          offers.push({ agent: a.id, contact: i, numberIndex: k, kind, until });
        }
        reserved.add(a.id);
      }
      if (explain) reasons.push({ code: this.mode, text: `${this.mode}: ${offers.length} record(s) offered, ${dials.length} call(s) placed for their agents` });
    } else {
      const ratioCap = Math.floor(s.predictive.maxRatio * active) - predictiveCalls.length;
      const cap = Math.max(0, Math.min(channels, ratioCap));
      const candidates: number[] = [];
      const store = this.store;
      const view: PacingView = {
        now,
        settings: s,
        agents: state.agents,
        freeReady: free.length,
        reserved,
        active,
        calls: predictiveCalls,
        connected,
        cap,
        open: this.openNow(now),
        beliefs: this.beliefs,
        candidateType: (k: number): NumberType | undefined => {
          while (candidates.length <= k) {
            const i = this.take(now, false);
            if (i < 0) return undefined;
            candidates.push(i);
          }
          const i = candidates[k]!;
          return store.numberType(i, store.next[i]!);
        },
        candidateContact: (k: number): number => candidates[k] ?? -1,
      };
      const pace = this.policy.pace(view, explain);
      const want = Math.max(0, Math.min(pace.calls, cap));
      if (want > 0) view.candidateType(want - 1);
      const n = Math.min(want, candidates.length);
      const reserve = Math.min(n, pace.reserve ?? 0, free.length);
      if (reserve > 0) free.sort((x, y) => x.since - y.since || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      for (let k = 0; k < candidates.length; k++) {
        const i = candidates[k]!;
        if (k < n) dials.push(k < reserve ? this.dial(i, store.next[i]!, 'progressive', free[k]!.id) : this.dial(i, store.next[i]!, 'predictive'));
        else this.queues.push(i);
      }
      if (explain) {
        reasons.push(...(pace.reasons ?? []));
        if (pace.calls > n) reasons.push({ code: 'capped', text: `${pace.calls} wanted, ${n} placed (cap ${cap}, ${candidates.length} contact(s) due)` });
      }
    }

    const inFlight = predictiveCalls.length + dials.filter((d) => d.agent === undefined).length;
    return { at: now, dials, offers, level: active > 0 ? inFlight / active : 0, reasons };
  }

  /** `open` as of at most OPEN_RECOUNT_MS ago, or of the last change of the list's size (it only shrinks in between). */
  private openNow(now: number): number {
    const c = this.openCount;
    if (now - c.at >= OPEN_RECOUNT_MS || now < c.at || c.size !== this.store.size) this.openCount = { at: now, size: this.store.size, n: this.open };
    return this.openCount.n;
  }

  /** Contacts not finished yet: pending, in a call, reserved or waiting for a callback. */
  get open(): number {
    let n = 0;
    for (let i = 0; i < this.store.size; i++) {
      const st = this.store.state[i];
      if (st === ContactState.pending || st === ContactState.dialing || st === ContactState.reserved || st === ContactState.callback) n++;
    }
    return n;
  }

  private placeCallback(i: number, now: number, agents: Map<string, AgentView>, reserved: Set<string>, dials: Dial[], reasons?: Reason[]): 'placed' | 'wait' | 'dropped' {
    const store = this.store;
    if (store.state[i] !== ContactState.callback) return 'dropped';
    let k = store.liveFrom(i, store.next[i]!);
    while (k >= 0 && this.dnc.has(store.number(i, k))) {
      store.kill(i, k);
      k = store.liveFrom(i, k);
    }
    if (k < 0) {
      store.state[i] = ContactState.removed;
      return 'dropped';
    }
    store.next[i] = k;
    if (!this.window.isOpen(store.zoneOf(i, k), now)) return 'wait';
    const own = store.agentName(store.callbackAgent[i]!);
    const late = now >= store.callbackAt[i]! + 1000 * this.settings.callback.graceSeconds;
    let agent: string | undefined;
    const isFree = (id: string) => agents.get(id)?.status === 'ready' && !reserved.has(id);
    if (own !== undefined && isFree(own)) agent = own;
    else if (own === undefined || (late && this.settings.callback.then === 'any-agent')) {
      let best: AgentView | undefined;
      for (const a of agents.values()) if (a.status === 'ready' && !reserved.has(a.id) && (!best || a.since < best.since)) best = a;
      agent = best?.id;
    }
    if (agent === undefined) return 'wait';
    reserved.add(agent);
    dials.push(this.dial(i, k, 'callback', agent));
    reasons?.push({ code: 'callback', text: `callback to ${this.label(i)} for ${agent}${own !== undefined && own !== agent ? ` (its agent ${own} was away past the grace period)` : ''}` });
    return 'placed';
  }

  private dial(i: number, k: number, kind: Dial['kind'], agent?: string): Dial {
    this.store.state[i] = ContactState.dialing;
    this.store.next[i] = k;
    const d: Dial = { contact: i, numberIndex: k, number: this.store.number(i, k), numberType: this.store.numberType(i, k), kind, ringTimeoutSeconds: this.settings.predictive.ringTimeoutSeconds };
    if (agent !== undefined) d.agent = agent;
    return d;
  }

  private release(i: number, now: number): void {
    if (this.store.state[i] !== ContactState.reserved) return;
    this.store.state[i] = ContactState.pending;
    this.store.readyAt[i] = Math.max(this.store.readyAt[i]!, now);
    this.queues.push(i);
  }

  /**
   * The next contact that may be dialled now, or -1. `reserved`: an agent is guaranteed for the
   * call (progressive, preview), which lifts the no-redial-after-abandon rule.
   */
  private take(now: number, reserved: boolean): number {
    const store = this.store;
    const noRedial = this.settings.profile.noRedialAfterAbandonSeconds * 1000;
    const open = (z: number) => this.window.isOpen(z, now);
    for (;;) {
      const i = this.queues.take(now, open);
      if (i < 0) return -1;
      if (store.state[i] !== ContactState.pending) continue;
      let k = store.next[i]!;
      if (store.isDead(i, k) || this.dnc.has(store.number(i, k))) {
        if (!store.isDead(i, k)) store.kill(i, k);
        k = store.liveFrom(i, k);
        if (k < 0) {
          store.state[i] = ContactState.removed;
          continue;
        }
        store.next[i] = k;
        this.queues.push(i);
        continue;
      }
      if (!reserved && noRedial > 0) {
        const barredUntil = (j: number) => {
          const t = store.abandonedAt[i * MAX_NUMBERS + j]!;
          return t > 0 && now - t < noRedial ? t + noRedial : 0;
        };
        if (barredUntil(k) > 0) {
          // Another live number that is not barred, or wait until the first one is free again.
          let other = -1;
          let soonest = Infinity;
          for (let s = 1; s <= store.count[i]!; s++) {
            const j = (k + s) % store.count[i]!;
            if (store.isDead(i, j) || this.dnc.has(store.number(i, j))) continue;
            const until = barredUntil(j);
            if (until === 0) {
              other = j;
              break;
            }
            soonest = Math.min(soonest, until);
          }
          if (other >= 0) store.next[i] = other;
          else store.readyAt[i] = soonest;
          this.queues.push(i);
          continue;
        }
      }
      return i;
    }
  }

  private label(i: number): string {
    return this.store.id(i) ?? `#${i}`;
  }
}

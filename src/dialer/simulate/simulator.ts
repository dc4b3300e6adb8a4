import { localTime } from '../../callflow/site-state.js';
import { WEEKDAYS } from '../../model/time.js';
import { Dialer } from '../pacing/dialer.js';
import type { Beliefs, PacingPolicy } from '../pacing/policy.js';
import { RETRY_OUTCOMES, type AgentStatus, type CallOutcome, type CallPhase, type Dial, type DialerEvent, type Mode, type NumberType, type Offer, type PacingSettings } from '../pacing/types.js';
import { EventQueue } from './events.js';
import { Metrics, type SimResult } from './metrics.js';
import type { Scenario } from './scenario.js';
import type { AttemptTruth } from './world.js';
import { World } from './world.js';

/** What a policy may be built from: the campaign's settings, and for the oracle the world's truth. */
export interface PolicyContext {
  settings: PacingSettings;
  truth: Beliefs;
  world: World;
}

/** A row of the comparison: a policy, or one of the core's own modes. */
export interface Contender {
  id: string;
  label: string;
  /** Run the dialer in this mode (default predictive). */
  mode?: Mode;
  /** Progressive read time for this run (default: none). */
  readSeconds?: number;
  /** The predictive pacing policy. */
  policy?(ctx: PolicyContext): PacingPolicy;
}

export interface SimOptions {
  /** Keep the time series (occupancy, abandon rate, dial level) for charts. */
  series?: boolean;
  stepSeconds?: number;
  /** Called after every decision (tests use it to check invariants of the core). */
  onDecision?(at: number, decision: ReturnType<Dialer['decide']>, state: { agents: readonly SimAgent[]; calls: readonly SimCall[] }): void;
}

export interface SimAgent {
  id: string;
  idx: number;
  status: AgentStatus;
  since: number;
  /** The current call is with a person (talk time counts towards occupancy). */
  person: boolean;
  calls: number;
  breaks: number;
  breakDue: number;
  breakPending: boolean;
  leaving: boolean;
  gone: boolean;
  readySince: number;
  offer: Offer | null;
  offerSeq: number;
  previews: number;
  reservedCall: SimCall | null;
  call: SimCall | null;
  talkStart: number;
  talkSeconds: number;
}

export interface SimCall {
  id: string;
  contact: number;
  numberIndex: number;
  numberType: NumberType;
  phase: CallPhase;
  since: number;
  placedAt: number;
  agent?: string;
  slot: number;
  attempt: number;
  truth: AttemptTruth;
  person: boolean;
  liveAt: number;
  kind: Dial['kind'];
}

const enum K {
  Tick,
  Decide,
  Login,
  DayEnd,
  Leave,
  RingEnd,
  AmdDone,
  Deadline,
  TalkEnd,
  WrapEnd,
  BreakDue,
  BreakEnd,
  PreviewAct,
}

const DAY = 86_400_000;

/** The days the campaign calls: from the scenario's start, every day its window is open in its zone. */
export function callingDays(sc: Scenario): number[] {
  const days: number[] = [];
  const w = sc.settings.window;
  for (let j = 0; days.length < sc.days && j < sc.days * 7 + 14; j++) {
    const t = sc.start + j * DAY;
    const local = localTime(new Date(t), sc.settings.timezone);
    const md = `${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
    if (!w.days[WEEKDAYS.indexOf(local.weekday)] || w.holidays.has(md) || w.holidays.has(`${local.year}-${md}`)) continue;
    days.push(t);
  }
  return days;
}

/**
 * A seeded discrete-event simulation of one campaign under one contender. The core decides; the
 * simulator plays the world (callees, AMD, agents, the trunk) and keeps its own books of what the
 * profile forbids, whatever the policy did: a call outside its callee's window, to a number on the
 * do-not-call list, beyond the retry rules, to a contact already in a call, an abandoned number
 * redialled too soon, a ring shorter than the minimum, and every regulated window over the limit.
 */
export function simulate(world: World, contender: Contender, options: SimOptions = {}): SimResult {
  return new Simulation(world, contender, options).run();
}

class Simulation {
  private readonly sc: Scenario;
  private readonly settings: PacingSettings;
  private readonly dialer: Dialer;
  private readonly q = new EventQueue<unknown>();
  private readonly agents: SimAgent[] = [];
  private readonly byId = new Map<string, SimAgent>();
  private readonly calls: SimCall[] = [];
  private readonly waiting: SimCall[] = [];
  private readonly metrics: Metrics;
  private readonly days: number[];
  private now = 0;
  private callSeq = 0;
  private dayEnd = 0;
  private closing = true;
  private decidePending = -1;
  private unconnected = 0;
  // The simulator's own books, independent of the core's.
  private readonly attempts: Uint16Array;
  private readonly outcomes: Uint8Array;
  private readonly lastEnd: Float64Array;
  private readonly lastOutcome: Int8Array;
  private readonly abandonedAt: Float64Array;
  private readonly inCall: Uint8Array;
  private readonly callbacks = new Map<number, { at: number; agent: string }>();
  private readonly windowFrom: number;
  private readonly windowTo: number;

  constructor(
    private readonly world: World,
    private readonly contender: Contender,
    private readonly options: SimOptions,
  ) {
    this.sc = world.sc;
    const base = this.sc.settings;
    this.settings = {
      ...base,
      progressive: { readSeconds: contender.readSeconds ?? (contender.mode === 'progressive' ? 0 : base.progressive.readSeconds) },
      ...(this.sc.trunkChannels > 0 && base.maxChannels === undefined && { maxChannels: this.sc.trunkChannels }),
    };
    const truth = world.truth((id) => this.byId.get(id)?.idx ?? 0);
    const policy = contender.policy?.({ settings: this.settings, truth, world });
    const contacts = world.contacts;
    this.dialer = new Dialer(this.settings, { ...(policy && { policy }), mode: contender.mode ?? 'predictive', doNotCall: contacts.doNotCall, capacity: contacts.count });
    const zones = new Map<string, number>();
    for (let c = 0; c < contacts.count; c++) {
      const zname = contacts.zones[c]!;
      let z = zones.get(zname);
      if (z === undefined) zones.set(zname, (z = this.dialer.zone(zname)));
      const numbers = [];
      for (let k = 0; k < contacts.numberCount[c]!; k++) numbers.push({ number: contacts.numbers[c * 4 + k]!, type: contacts.types[c * 4 + k]!, zone: z });
      this.dialer.addContact({ numbers, priority: contacts.priority[c]! });
    }
    for (let i = 0; i < this.sc.agents.count; i++) {
      const a: SimAgent = { id: `agent-${String(i + 1).padStart(3, '0')}`, idx: i, status: 'offline', since: 0, person: false, calls: 0, breaks: 0, breakDue: Infinity, breakPending: false, leaving: false, gone: false, readySince: 0, offer: null, offerSeq: 0, previews: 0, reservedCall: null, call: null, talkStart: 0, talkSeconds: 0 };
      this.agents.push(a);
      this.byId.set(a.id, a);
    }
    this.days = callingDays(this.sc);
    const t0 = this.days[0] ?? this.sc.start;
    const t1 = (this.days[this.days.length - 1] ?? t0) + this.sc.hours * 3_600_000 + 600_000;
    const profile = this.settings.profile;
    this.metrics = new Metrics(t0, t1, profile.windowSeconds, profile.abandonLimit, options.stepSeconds ?? 300);
    const n = contacts.count;
    this.attempts = new Uint16Array(n);
    this.outcomes = new Uint8Array(n * RETRY_OUTCOMES.length);
    this.lastEnd = new Float64Array(n);
    this.lastOutcome = new Int8Array(n).fill(-1);
    this.abandonedAt = new Float64Array(n * 4);
    this.inCall = new Uint8Array(n);
    const hours = profile.callingHours;
    this.windowFrom = hours ? Math.max(this.settings.window.from, hours.from) : this.settings.window.from;
    this.windowTo = hours ? Math.min(this.settings.window.to, hours.to) : this.settings.window.to;
  }

  run(): SimResult {
    const sc = this.sc;
    this.days.forEach((start, d) => {
      this.q.push(start, K.Login, d);
      this.q.push(start + sc.hours * 3_600_000, K.DayEnd, d);
    });
    if (sc.agents.leaveShare > 0 && this.days.length > 0) {
      const leaving = Math.round(sc.agents.leaveShare * sc.agents.count);
      for (let i = 0; i < leaving; i++) this.q.push(this.days[0]! + sc.agents.leaveAfterHours * 3_600_000, K.Leave, this.agents[sc.agents.count - 1 - i]);
    }
    for (let e = this.q.pop(); e; e = this.q.pop()) {
      this.now = e.t;
      this.handle(e.kind, e.ref);
    }
    // Callbacks still waiting whose time (and grace) came while the campaign was calling are late.
    const lastEnd = (this.days[this.days.length - 1] ?? 0) + sc.hours * 3_600_000;
    for (const cb of this.callbacks.values()) if (cb.at + this.settings.callback.graceSeconds * 1000 <= lastEnd) this.metrics.callbacksDue++;
    return this.metrics.result(this.contender.id, this.contender.label, this.loggedInHours(), this.options.series ?? false);
  }

  private loggedHours = 0;
  private loggedInHours(): number {
    return this.loggedHours / 3600;
  }

  private handle(kind: K, ref: unknown): void {
    switch (kind) {
      case K.Login:
        return this.login(ref as number);
      case K.DayEnd:
        return this.endOfDay();
      case K.Tick:
        return this.tick();
      case K.Decide:
        if (this.decidePending === this.now) {
          this.decidePending = -1;
          if (!this.closing) this.decide(false);
        }
        return;
      case K.Leave: {
        const a = ref as SimAgent;
        a.leaving = true;
        a.gone = true;
        if (a.status === 'ready' && !a.offer && !a.reservedCall) this.setStatus(a, 'offline');
        return;
      }
      case K.RingEnd:
        return this.ringEnd(ref as SimCall);
      case K.AmdDone:
        return this.amdDone(ref as SimCall);
      case K.Deadline:
        return this.deadline(ref as SimCall);
      case K.TalkEnd:
        return this.talkEnd(ref as SimAgent);
      case K.WrapEnd:
        return this.wrapEnd(ref as SimAgent);
      case K.BreakDue: {
        const a = ref as SimAgent;
        if (a.status === 'ready' && !a.offer && !a.reservedCall && !this.closing) this.startBreak(a);
        else if (a.status !== 'offline') a.breakPending = true;
        return;
      }
      case K.BreakEnd: {
        const a = ref as SimAgent;
        if (a.status === 'paused') this.becomeReady(a);
        return;
      }
      case K.PreviewAct:
        return this.previewAct(ref as { agent: SimAgent; seq: number; skip: boolean });
    }
  }

  // ------------------------------------------------------------------------------------------ agents

  private setStatus(a: SimAgent, status: AgentStatus): void {
    if (a.status === status) return;
    this.metrics.span(a.status, a.person, a.since, this.now);
    if (a.status === 'ready' || a.status === 'talking' || a.status === 'wrapup') this.loggedHours += (this.now - a.since) / 1000;
    a.status = status;
    a.since = this.now;
  }

  private login(day: number): void {
    this.closing = false;
    this.dayEnd = this.days[day]! + this.sc.hours * 3_600_000;
    for (const a of this.agents) {
      if (a.gone) continue;
      this.setStatus(a, 'ready');
      a.readySince = this.now;
      a.breakPending = false;
      if (this.sc.agents.breakEveryMinutes > 0) {
        a.breakDue = this.now + 1000 * this.world.breakGap(a.idx, a.breaks);
        this.q.push(a.breakDue, K.BreakDue, a);
      }
    }
    this.q.push(this.now, K.Tick, null);
  }

  private endOfDay(): void {
    this.closing = true;
    this.logoutIdle();
  }

  /** After the campaign stops, agents leave as soon as nothing of theirs is in flight. */
  private logoutIdle(): void {
    if (!this.closing) return;
    const pending = this.unconnected > 0;
    for (const a of this.agents) {
      if (a.status === 'paused') this.setStatus(a, 'offline');
      if (a.status === 'ready' && !pending) {
        a.offer = null;
        this.setStatus(a, 'offline');
      }
    }
  }

  private startBreak(a: SimAgent): void {
    a.breakPending = false;
    this.setStatus(a, 'paused');
    const len = this.world.breakLength(a.idx, a.breaks++);
    this.q.push(this.now + len * 1000, K.BreakEnd, a);
    a.breakDue = this.now + len * 1000 + 1000 * this.world.breakGap(a.idx, a.breaks);
    this.q.push(a.breakDue, K.BreakDue, a);
  }

  private becomeReady(a: SimAgent): void {
    if (a.leaving || (this.closing && this.unconnected === 0)) {
      this.setStatus(a, 'offline');
      return;
    }
    if (a.breakPending && !this.closing) {
      this.startBreak(a);
      return;
    }
    this.setStatus(a, 'ready');
    a.readySince = this.now;
    this.serve(a);
    this.requestDecision();
  }

  /** A free agent takes the oldest call waiting for any agent. */
  private serve(a: SimAgent): void {
    if (a.status !== 'ready' || a.offer || a.reservedCall) return;
    for (let i = 0; i < this.waiting.length; i++) {
      const c = this.waiting[i]!;
      if (c.agent === undefined) {
        this.waiting.splice(i, 1);
        this.connect(c, a);
        return;
      }
    }
  }

  private requestDecision(): void {
    if (this.closing || this.decidePending === this.now) return;
    this.decidePending = this.now;
    this.q.push(this.now, K.Decide, null);
  }

  // ------------------------------------------------------------------------------------------ decisions

  private tick(): void {
    if (this.closing) return;
    this.decide(true);
    const next = this.now + this.sc.tickSeconds * 1000;
    if (next < this.dayEnd) this.q.push(next, K.Tick, null);
  }

  private decide(sample: boolean): void {
    const d = this.dialer.decide({ agents: this.agents, calls: this.calls }, this.now, false);
    if (sample) this.metrics.level(this.now, d.level);
    this.options.onDecision?.(this.now, d, { agents: this.agents, calls: this.calls });
    for (const o of d.offers) {
      const a = this.byId.get(o.agent)!;
      a.offer = o;
      a.offerSeq++;
      if (o.kind === 'preview') {
        const read = this.world.previewRead(a.idx, a.previews++);
        this.q.push(this.now + read.seconds * 1000, K.PreviewAct, { agent: a, seq: a.offerSeq, skip: read.skip && this.settings.preview.allowSkip });
      }
    }
    for (const dial of d.dials) this.place(dial);
  }

  private previewAct(p: { agent: SimAgent; seq: number; skip: boolean }): void {
    const a = p.agent;
    if (a.offerSeq !== p.seq || !a.offer || a.status !== 'ready') return;
    if (this.now >= a.offer.until) {
      a.offer = null; // the core takes the record back
      this.requestDecision();
      return;
    }
    if (p.skip) a.offer = null;
    this.observe({ type: 'preview', at: this.now, agent: a.id, action: p.skip ? 'skip' : 'dial' });
    this.requestDecision();
  }

  // ------------------------------------------------------------------------------------------ calls

  private observe(e: DialerEvent): void {
    this.dialer.observe(e);
  }

  private place(dial: Dial): void {
    const now = this.now;
    const c = dial.contact;
    const k = dial.numberIndex;
    const contacts = this.world.contacts;
    this.check(dial);
    this.metrics.callsPlaced++;
    const agent = dial.agent === undefined ? undefined : this.byId.get(dial.agent);
    if (agent) {
      agent.offer = null;
      agent.offerSeq++;
    }
    const callback = this.callbacks.get(c);
    if (callback) {
      const grace = this.settings.callback.graceSeconds * 1000;
      if (dial.kind !== 'callback') this.metrics.violation('callback-kept', `contact ${c} dialled as ${dial.kind} while waiting for its callback`);
      else if (now < callback.at) this.metrics.violation('callback-kept', `callback to contact ${c} placed before its time`);
      else if (this.settings.callback.sameAgent && dial.agent !== callback.agent && now < callback.at + grace) this.metrics.violation('callback-kept', `callback to contact ${c} given to ${dial.agent} within the grace period of ${callback.agent}`);
      else {
        this.metrics.callbacksDue++;
        if (now <= callback.at + grace + this.sc.tickSeconds * 1000) this.metrics.callbacksOnTime++;
      }
      this.callbacks.delete(c);
    }
    if (this.settings.maxChannels !== undefined && this.calls.length >= this.settings.maxChannels) {
      this.metrics.trunkRejected++;
      this.metrics.violation('trunk-channels', `a call placed with all ${this.settings.maxChannels} channels in use`);
      this.observe({ type: 'ended', at: now, call: `c${this.callSeq++}`, contact: c, number: k, numberType: dial.numberType, outcome: 'failed', reserved: dial.agent !== undefined });
      this.bookOutcome(c, 'failed');
      return;
    }
    const attempt = this.attempts[c]!;
    this.attempts[c] = attempt + 1;
    const truth = this.world.attempt(c, attempt, k, now, dial.ringTimeoutSeconds);
    const call: SimCall = { id: `c${this.callSeq++}`, contact: c, numberIndex: k, numberType: contacts.types[c * 4 + k]!, phase: 'ringing', since: now, placedAt: now, slot: this.calls.length, attempt, truth, person: false, liveAt: 0, kind: dial.kind };
    if (dial.agent !== undefined) {
      call.agent = dial.agent;
      if (agent) agent.reservedCall = call;
    }
    this.calls.push(call);
    this.inCall[c] = 1;
    this.unconnected++;
    this.q.push(now + truth.after * 1000, K.RingEnd, call);
  }

  /** The simulator's own compliance checks of a dial, whatever the core thinks. */
  private check(dial: Dial): void {
    const now = this.now;
    const c = dial.contact;
    const k = dial.numberIndex;
    const contacts = this.world.contacts;
    const s = this.settings;
    const when = new Date(now).toISOString();
    const local = localTime(new Date(now), contacts.zones[c]!);
    const md = `${String(local.month).padStart(2, '0')}-${String(local.day).padStart(2, '0')}`;
    if (local.minute < this.windowFrom || local.minute >= this.windowTo || !s.window.days[WEEKDAYS.indexOf(local.weekday)] || s.window.holidays.has(md) || s.window.holidays.has(`${local.year}-${md}`)) {
      this.metrics.violation('calling-window', `contact ${c} called at ${when} (${local.weekday} ${Math.floor(local.minute / 60)}:${String(local.minute % 60).padStart(2, '0')} in ${contacts.zones[c]})`);
    }
    if (contacts.doNotCall.has(contacts.numbers[c * 4 + k]!)) this.metrics.violation('do-not-call', `number ${contacts.numbers[c * 4 + k]} called at ${when}`);
    if (this.inCall[c]) this.metrics.violation('one-call-per-contact', `contact ${c} called at ${when} while in another call`);
    for (let o = 0; o < RETRY_OUTCOMES.length; o++) {
      if (this.outcomes[c * RETRY_OUTCOMES.length + o]! > s.retries[RETRY_OUTCOMES[o]!].max) {
        this.metrics.violation('attempt-limit', `contact ${c} called at ${when} after ${this.outcomes[c * RETRY_OUTCOMES.length + o]} × ${RETRY_OUTCOMES[o]}`);
      }
    }
    const last = this.lastOutcome[c]!;
    if (last >= 0 && now < this.lastEnd[c]! + s.retries[RETRY_OUTCOMES[last]!].afterSeconds * 1000 - 1) {
      this.metrics.violation('retry-delay', `contact ${c} called at ${when}, before the ${RETRY_OUTCOMES[last]} retry delay`);
    }
    const bar = s.profile.noRedialAfterAbandonSeconds * 1000;
    const ab = this.abandonedAt[c * 4 + k]!;
    if (bar > 0 && dial.agent === undefined && ab > 0 && now - ab < bar) this.metrics.violation('no-redial-after-abandon', `number of contact ${c} redialled at ${when}, ${Math.round((now - ab) / 3_600_000)} h after an abandoned call, without an agent reserved`);
    if (dial.ringTimeoutSeconds < s.profile.minRingSeconds) this.metrics.violation('min-ring', `calls ring ${dial.ringTimeoutSeconds} s, less than ${s.profile.minRingSeconds} s`);
  }

  private bookOutcome(c: number, outcome: CallOutcome): void {
    if (outcome === 'connected') {
      this.lastOutcome[c] = -1;
      return;
    }
    const o = RETRY_OUTCOMES.indexOf(outcome);
    this.outcomes[c * RETRY_OUTCOMES.length + o]!++;
    this.lastOutcome[c] = o;
    this.lastEnd[c] = this.now;
  }

  private removeCall(call: SimCall): void {
    const last = this.calls.pop()!;
    if (last !== call) {
      this.calls[call.slot] = last;
      last.slot = call.slot;
    }
    this.inCall[call.contact] = 0;
  }

  /** A call that never reached an agent ends. */
  private endUnconnected(call: SimCall, outcome: CallOutcome): void {
    this.removeCall(call);
    this.unconnected--;
    this.bookOutcome(call.contact, outcome);
    if (outcome === 'abandoned') this.abandonedAt[call.contact * 4 + call.numberIndex] = this.now;
    this.observe({ type: 'ended', at: this.now, call: call.id, contact: call.contact, number: call.numberIndex, numberType: call.numberType, outcome, reserved: call.agent !== undefined });
    if (call.agent !== undefined) {
      const a = this.byId.get(call.agent);
      if (a && a.reservedCall === call) {
        a.reservedCall = null;
        if (a.status === 'ready') {
          if (a.leaving) this.setStatus(a, 'offline');
          else if (a.breakPending && !this.closing) this.startBreak(a);
          else this.serve(a);
          this.requestDecision();
        }
      }
    }
    if (this.closing && this.unconnected === 0) this.logoutIdle();
  }

  private ringEnd(call: SimCall): void {
    const t = call.truth;
    if (t.kind !== 'answered') return this.endUnconnected(call, t.kind);
    this.metrics.answered++;
    this.observe({ type: 'answered', at: this.now, call: call.id, contact: call.contact, numberType: call.numberType, ringSeconds: (this.now - call.placedAt) / 1000 });
    if (this.settings.amd.enabled) {
      call.phase = 'amd';
      call.since = this.now;
      this.q.push(this.now + t.amdSeconds * 1000, K.AmdDone, call);
      return;
    }
    this.goLive(call);
  }

  private amdDone(call: SimCall): void {
    const t = call.truth;
    if (t.kind !== 'answered') return;
    this.observe({ type: 'amd', at: this.now, call: call.id, passed: t.amdPasses, seconds: t.amdSeconds });
    if (!t.amdPasses) {
      // A person taken for a machine: abandoned where the profile says so.
      if (!t.machine && this.settings.profile.amdFalsePositiveIsAbandon) this.metrics.live(this.now, true);
      return this.endUnconnected(call, 'machine');
    }
    this.goLive(call);
  }

  private goLive(call: SimCall): void {
    const t = call.truth as Extract<AttemptTruth, { kind: 'answered' }>;
    call.phase = 'waiting';
    call.since = this.now;
    call.liveAt = this.now;
    call.person = !t.machine;
    let agent: SimAgent | undefined;
    if (call.agent !== undefined) {
      const a = this.byId.get(call.agent);
      if (a && a.status === 'ready' && a.reservedCall === call) agent = a;
    } else {
      for (const a of this.agents) if (a.status === 'ready' && !a.offer && !a.reservedCall && (!agent || a.readySince < agent.readySince)) agent = a;
    }
    if (agent) return this.connect(call, agent);
    this.waiting.push(call);
    const within = this.settings.profile.connectWithinSeconds;
    this.q.push(this.now + (Number.isFinite(within) ? within : 2) * 1000, K.Deadline, call);
  }

  private deadline(call: SimCall): void {
    const i = this.waiting.indexOf(call);
    if (i < 0) return;
    this.waiting.splice(i, 1);
    if (call.person) this.metrics.live(this.now, true);
    this.endUnconnected(call, 'abandoned');
  }

  private connect(call: SimCall, a: SimAgent): void {
    const t = call.truth as Extract<AttemptTruth, { kind: 'answered' }>;
    this.unconnected--;
    call.phase = 'connected';
    call.since = this.now;
    if (a.reservedCall === call) a.reservedCall = null;
    a.offer = null;
    this.metrics.wait((this.now - a.readySince) / 1000);
    a.person = !t.machine;
    this.setStatus(a, 'talking');
    a.call = call;
    a.talkStart = this.now;
    if (t.machine) this.metrics.machinesToAgents++;
    else {
      this.metrics.connected++;
      this.metrics.live(this.now, false);
    }
    const talk = this.world.talk(a.idx, a.calls, t.machine);
    this.q.push(this.now + talk * 1000, K.TalkEnd, a);
    if (this.closing && this.unconnected === 0) this.logoutIdle();
  }

  private talkEnd(a: SimAgent): void {
    const call = a.call!;
    const t = call.truth as Extract<AttemptTruth, { kind: 'answered' }>;
    const talkSeconds = (this.now - a.talkStart) / 1000;
    a.talkSeconds += t.machine ? 0 : talkSeconds;
    this.removeCall(call);
    this.bookOutcome(call.contact, 'connected');
    const minutes = t.machine ? undefined : this.world.callback(call.contact, call.attempt);
    const e: DialerEvent = { type: 'ended', at: this.now, call: call.id, contact: call.contact, number: call.numberIndex, numberType: call.numberType, outcome: 'connected', reserved: call.agent !== undefined, agent: a.id };
    if (t.machine) e.machine = true;
    if (minutes !== undefined) {
      const at = this.now + minutes * 60_000;
      e.callback = { at, agent: a.id };
      this.callbacks.set(call.contact, { at, agent: a.id });
    }
    this.observe(e);
    this.setStatus(a, 'wrapup');
    const wrap = this.world.wrap(a.idx, a.calls, t.machine);
    this.q.push(this.now + wrap * 1000, K.WrapEnd, a);
  }

  private wrapEnd(a: SimAgent): void {
    const call = a.call!;
    const t = call.truth as Extract<AttemptTruth, { kind: 'answered' }>;
    this.observe({ type: 'agent-done', at: this.now, agent: a.id, talkSeconds: (a.since - a.talkStart) / 1000, wrapSeconds: (this.now - a.since) / 1000, ...(t.machine && { machine: true }) });
    a.call = null;
    a.calls++;
    a.person = false;
    this.becomeReady(a);
  }
}

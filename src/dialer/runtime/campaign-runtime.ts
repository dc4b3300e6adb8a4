import { ContactState } from '../pacing/contacts.js';
import { Dialer, type ContactHistory } from '../pacing/dialer.js';
import type { PacingPolicy } from '../pacing/policy.js';
import type { CallOutcome, Decision, DialerEvent, LiveState, PacingSettings } from '../pacing/types.js';
import { attemptRow, contactHistory, coreContactInput, plannedAttempt, type AttemptRow, type NewContact, type StoredContact } from '../state/rows.js';
import type { DialerStore } from '../state/store.js';
import type { CampaignRuntime, PlannedAttempt } from './contract.js';

export interface RuntimeOptions {
  /** Wall clock for bookkeeping (created_at, the replay horizon); tests pass a simulated one. */
  clock?: () => number;
  /** Numbers never called (shared by every campaign of the daemon); refreshed with the contacts. */
  doNotCall?: { has(number: number): boolean; refresh?(): void };
  policy?: PacingPolicy;
}

/** Learning events older than this are not replayed (the estimators forget in hours). */
const LEARNING_HORIZON_MS = 2 * 86_400_000;
/** How often plan() looks for contacts another process (`dialer load`) added. */
const REFRESH_MS = 1000;

/** A task pushed over the API: a contact with its own id (the task id), numbers and data. */
export type TaskInput = Omit<NewContact, 'campaign' | 'source'>;

export type CallbackResult = { ok: true } | { ok: false; reason: 'unknown-contact' | 'in-call' | 'removed' };

/** Contacts of a campaign by where they are, for the statistics. */
export interface ContactCounts {
  total: number;
  pending: number;
  dialing: number;
  reserved: number;
  reached: number;
  exhausted: number;
  callback: number;
  removed: number;
}

/** What the runtime tells listeners (the API's event stream, metrics) about each call, after it is on disk. */
export interface CallEvent {
  /** planned (written ahead), answered, connected (put through to an agent: the daemon reports it), ended. */
  type: 'planned' | 'answered' | 'connected' | 'ended';
  /** ms since the epoch. */
  at: number;
  campaign: string;
  attemptId: string;
  contactId: string;
  /** E.164 digits. */
  number: string;
  kind: PlannedAttempt['kind'];
  /** The agent the call was placed for, or (ended, connected) who talked. */
  agent?: string;
  outcome?: CallOutcome;
  /** The screen-pop data: contact id, case number, name, custom fields. */
  data: Readonly<Record<string, string>>;
}

/** The runtime was left unusable (a write failed half-way through a decision): reopen it from the database. */
export class RuntimeBrokenError extends Error {}

/**
 * A campaign's pacing core over its durable state. Every dial is written to the database (an
 * attempt, write-ahead) before `plan` returns it, and every event is written before the core
 * learns it, so reopening from the file after a crash at any moment rebuilds the same core:
 * contacts in their order, each one's retry state replayed from its journal, attempts still
 * unfinished holding their contact in 'dialing' until the daemon reconciles them.
 */
export class SqliteCampaignRuntime implements CampaignRuntime {
  readonly dialer: Dialer;
  private readonly clock: () => number;
  private readonly doNotCall?: { refresh?(): void };
  /** The core's contact index → the contact's seq in the database. */
  private readonly seqs: number[] = [];
  private readonly indexBySeq = new Map<number, number>();
  private readonly open = new Map<string, AttemptRow>();
  private lastSeq = 0;
  private lastRefresh = -Infinity;
  private isPaused: boolean;
  private broken?: Error;
  private readonly listeners = new Set<(e: CallEvent) => void>();
  /** The last decision plan() returned (the dial level, its reasons), for the statistics. */
  lastDecision?: Decision;

  constructor(
    private readonly store: DialerStore,
    readonly settings: PacingSettings,
    options: RuntimeOptions = {},
  ) {
    this.clock = options.clock ?? Date.now;
    if (options.doNotCall) this.doNotCall = options.doNotCall;
    const now = this.clock();
    this.dialer = new Dialer(settings, { ...(options.doNotCall && { doNotCall: options.doNotCall }), ...(options.policy && { policy: options.policy }) });
    store.ensureCampaign(settings.campaign, now);
    this.isPaused = store.isPaused(settings.campaign);
    this.hydrate(now);
  }

  get campaign(): string {
    return this.settings.campaign;
  }

  get paused(): boolean {
    return this.isPaused;
  }

  plan(live: LiveState, now: number): { decision: Decision; attempts: PlannedAttempt[] } {
    this.usable();
    if (now - this.lastRefresh >= REFRESH_MS) this.refresh(now);
    if (this.isPaused) {
      this.lastDecision = { at: now, dials: [], offers: [], level: 0, reasons: [{ code: 'paused', text: `campaign ${this.campaign} is paused` }] };
      return { decision: this.lastDecision, attempts: [] };
    }
    const decision = this.dialer.decide(live, now);
    this.lastDecision = decision;
    if (decision.dials.length === 0) return { decision, attempts: [] };
    try {
      const attempts = this.store.transaction(() =>
        decision.dials.map((dial) => {
          const seq = this.seqs[dial.contact]!;
          const row = attemptRow(this.store.nextAttemptId(), this.campaign, seq, dial, now);
          this.store.insertAttempt(row);
          return row;
        }),
      );
      const planned = attempts.map((row) => {
        this.open.set(row.id, row);
        return this.planned(row);
      });
      for (const a of planned) this.emit(a, 'planned', now);
      return { decision, attempts: planned };
    } catch (e) {
      // The core believes these contacts are in calls nobody will end: only a reopen is safe.
      this.broken = e as Error;
      throw e;
    }
  }

  record(e: DialerEvent): void {
    this.usable();
    const at = this.clock();
    switch (e.type) {
      case 'answered': {
        const a = this.open.get(e.call);
        if (!a) return;
        const ev = { ...e, contact: this.indexOf(a), numberType: a.number_type as typeof e.numberType };
        this.store.transaction(() => {
          this.store.markAnswered(a.id, e.at);
          this.store.journal(this.campaign, e.at, e.type, ev, { attempt: a.id });
        });
        this.dialer.observe(ev);
        if (this.listeners.size > 0) this.emit(this.planned(a), 'answered', e.at);
        return;
      }
      case 'amd': {
        const a = this.open.get(e.call);
        if (!a) return;
        this.store.transaction(() => {
          this.store.markAmd(a.id, e.passed);
          this.store.journal(this.campaign, e.at, e.type, e, { attempt: a.id });
        });
        this.dialer.observe(e);
        return;
      }
      case 'ended': {
        // An end reported twice (say, once live and again while reconciling) counts once.
        const a = this.open.get(e.call);
        if (!a) return;
        const ev = { ...e, contact: this.indexOf(a), number: a.number_index, numberType: a.number_type as typeof e.numberType };
        this.store.transaction(() => {
          this.store.endAttempt(a.id, e.at, e.outcome, e.agent);
          const seq = this.store.journal(this.campaign, e.at, e.type, ev, { attempt: a.id, contact: a.contact });
          if (e.callback) this.store.insertCallback(seq, this.campaign, a.contact, e.callback.at, e.callback.agent, this.settings.callback.graceSeconds, 'call', a.id, at);
        });
        const planned = this.listeners.size > 0 ? this.planned(a) : undefined;
        this.open.delete(a.id);
        this.dialer.observe(ev);
        if (planned) this.emit(planned, 'ended', e.at, e.outcome, e.agent);
        return;
      }
      case 'agent-done':
        this.store.transaction(() => {
          this.store.journal(this.campaign, e.at, e.type, e);
          if (!e.machine) this.store.addPace(this.campaign, e.agent, e.talkSeconds, e.wrapSeconds, at);
        });
        this.dialer.observe(e);
        return;
      case 'preview':
        this.store.journal(this.campaign, e.at, e.type, e);
        this.dialer.observe(e);
        return;
    }
  }

  unfinished(): PlannedAttempt[] {
    return [...this.open.values()].map((row) => this.planned(row));
  }

  /** Calls to `listener` after each call event is on disk; returns the unsubscribe. A listener that throws is ignored. */
  onCallEvent(listener: (e: CallEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Attempts ended since `from` (ms), by outcome (the statistics' answer and abandon rates). */
  outcomesSince(from: number): Record<string, number> {
    return this.store.outcomesSince(this.campaign, from);
  }

  /** Attempts planned and not ended: calls that are (or may be) up. */
  get inFlight(): number {
    return this.open.size;
  }

  // --- beyond the contract: what the API asks of a campaign --------------------------------

  setPaused(paused: boolean): void {
    this.store.setPaused(this.campaign, paused, this.clock());
    this.isPaused = paused;
  }

  /**
   * A task pushed over the API becomes a contact, once: pushing the same task id again changes
   * nothing and answers created: false.
   */
  pushTask(task: TaskInput, body: unknown = task): { created: boolean; contactId: string } {
    this.usable();
    const now = this.clock();
    const seq = this.store.transaction(() => {
      if (this.store.taskContact(this.campaign, task.id) !== undefined) return undefined;
      let s = this.store.insertContact({ ...task, campaign: this.campaign, source: 'api' }, now);
      // A contact with this id came from a list: the task then names that contact.
      s ??= this.store.contactById(this.campaign, task.id)!.seq;
      this.store.insertTask(this.campaign, task.id, s, now, body);
      return s;
    });
    if (seq === undefined) return { created: false, contactId: task.id };
    this.addNew(now);
    return { created: true, contactId: task.id };
  }

  /** A callback asked for outside a call: at `at`, with `agent` when the campaign keeps callbacks with their agent. */
  scheduleCallback(contactId: string, at: number, agent?: string): CallbackResult {
    this.usable();
    const now = this.clock();
    this.addNew(now);
    const c = this.store.contactById(this.campaign, contactId);
    const i = c && this.indexBySeq.get(c.seq);
    if (c === undefined || i === undefined) return { ok: false, reason: 'unknown-contact' };
    const st = this.dialer.store.state[i];
    if (st === ContactState.removed) return { ok: false, reason: 'removed' };
    if (st === ContactState.dialing || st === ContactState.reserved) return { ok: false, reason: 'in-call' };
    this.store.transaction(() => {
      const seq = this.store.journal(this.campaign, now, 'callback', { type: 'callback', at: now, callbackAt: at, ...(agent !== undefined && { agent }) }, { contact: c.seq });
      this.store.insertCallback(seq, this.campaign, c.seq, at, agent, this.settings.callback.graceSeconds, 'api', undefined, now);
    });
    this.dialer.scheduleCallback(i, at, agent);
    return { ok: true };
  }

  /** Takes a contact out for good (after its call, if it is in one). False for an unknown id. */
  removeContact(contactId: string, reason?: string): boolean {
    this.usable();
    const now = this.clock();
    const c = this.store.contactById(this.campaign, contactId);
    const i = c && this.indexBySeq.get(c.seq);
    if (c === undefined || i === undefined) return false;
    this.store.journal(this.campaign, now, 'removed', { type: 'removed', at: now, ...(reason !== undefined && { reason }) }, { contact: c.seq });
    this.dialer.removeContact(i);
    return true;
  }

  /** Picks up contacts and do-not-call numbers added to the database since the last look (by `dialer load`, another process). */
  refresh(now = this.clock()): number {
    this.lastRefresh = now;
    this.doNotCall?.refresh?.();
    return this.addNew(now);
  }

  contactCounts(): ContactCounts {
    const counts: ContactCounts = { total: 0, pending: 0, dialing: 0, reserved: 0, reached: 0, exhausted: 0, callback: 0, removed: 0 };
    const names = Object.entries(ContactState) as [keyof typeof ContactState, number][];
    const store = this.dialer.store;
    for (let i = 0; i < store.size; i++) {
      const st = store.state[i]!;
      const name = names.find(([, v]) => v === st)?.[0];
      if (name) counts[name]++;
      counts.total++;
    }
    return counts;
  }

  /** The stored contact behind the core's index (for reports and tests). */
  contactAt(index: number): StoredContact | undefined {
    const seq = this.seqs[index];
    return seq === undefined ? undefined : this.store.contactBySeq(seq);
  }

  // --- inside ----------------------------------------------------------------------------

  private hydrate(now: number): void {
    const byContact = new Map<number, { type: string; body: string }[]>();
    for (const r of [...this.store.historyRows(this.campaign)]) {
      let list = byContact.get(r.contact);
      if (!list) byContact.set(r.contact, (list = []));
      list.push(r);
    }
    const inCall = new Map<number, number>();
    for (const row of this.store.unfinished(this.campaign)) {
      this.open.set(row.id, row);
      inCall.set(row.contact, row.number_index);
    }
    this.addContacts(0, (seq) => contactHistory(byContact.get(seq) ?? []), inCall);
    const from = now - Math.max(LEARNING_HORIZON_MS, this.settings.profile.windowSeconds * 1000);
    for (const e of [...this.store.learningEvents(this.campaign, from)]) {
      this.dialer.beliefs.observe(e);
      this.dialer.policy.observe?.(e);
    }
    this.store.prune(this.campaign, now - Math.max(LEARNING_HORIZON_MS, this.settings.profile.windowSeconds * 1000));
    this.lastRefresh = now;
  }

  private addNew(_now: number): number {
    return this.addContacts(this.lastSeq, () => [], new Map());
  }

  /** Streams the contacts after `afterSeq` into the core (the loop runs no other statement: the iteration holds the connection). */
  private addContacts(afterSeq: number, history: (seq: number) => ContactHistory[], inCall: Map<number, number>): number {
    const zone = (tz: string | undefined) => this.dialer.zone(tz);
    let n = 0;
    for (const r of this.store.coreContactsAfter(this.campaign, afterSeq)) {
      const k = inCall.get(r.seq);
      const i = this.dialer.restoreContact(coreContactInput(r, zone), history(r.seq), k === undefined ? undefined : { numberIndex: k });
      this.seqs[i] = r.seq;
      this.indexBySeq.set(r.seq, i);
      this.lastSeq = Math.max(this.lastSeq, r.seq);
      n++;
    }
    return n;
  }

  private indexOf(a: AttemptRow): number {
    return this.indexBySeq.get(a.contact)!;
  }

  private planned(row: AttemptRow): PlannedAttempt {
    return plannedAttempt(row, this.indexOf(row), this.store.contactBySeq(row.contact)!);
  }

  private emit(a: PlannedAttempt, type: CallEvent['type'], at: number, outcome?: CallOutcome, talked?: string): void {
    if (this.listeners.size === 0) return;
    const agent = talked ?? a.agent;
    const e: CallEvent = { type, at, campaign: a.campaign, attemptId: a.attemptId, contactId: a.contactId, number: a.number, kind: a.kind, data: a.data, ...(agent !== undefined && { agent }), ...(outcome !== undefined && { outcome }) };
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // A listener's failure (a closed stream) is its own; the call's state is already on disk.
      }
    }
  }

  private usable(): void {
    if (this.broken) throw new RuntimeBrokenError(`campaign ${this.campaign}: a write failed (${this.broken.message}); reopen it from the database`);
  }
}

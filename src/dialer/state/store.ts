import type { Statement } from 'better-sqlite3';
import type { DialerEvent } from '../pacing/types.js';
import type { StateDatabase } from './database.js';
import { contactFromRow, contactToRow, type AttemptRow, type ContactRow, type CoreContactRow, type NewContact, type StoredContact } from './rows.js';

export interface AgentPaceRow {
  campaign: string;
  agent: string;
  calls: number;
  talkSeconds: number;
  wrapSeconds: number;
}

export interface DoNotCallEntry {
  number: string;
  reason?: string;
  source: string;
  addedAt: number;
}

/**
 * Every read and write of the dialer database, as prepared statements. Transactions that must
 * hold several writes together (a decision's attempts, an event and its effects) are opened by
 * the caller with `transaction`.
 */
export class DialerStore {
  readonly instance: string;
  private attemptCounter: number;
  private readonly st: Record<string, Statement>;

  constructor(readonly db: StateDatabase) {
    this.instance = (db.prepare("SELECT value FROM meta WHERE key = 'instance'").get() as { value: string }).value;
    const prefix = `${this.instance}-`;
    const last = db.prepare('SELECT max(CAST(substr(id, ?) AS INTEGER)) AS n FROM attempts WHERE substr(id, 1, ?) = ?').get(prefix.length + 1, prefix.length, prefix) as { n: number | null };
    this.attemptCounter = last.n ?? 0;
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      campaign: p('INSERT INTO campaigns (name, paused, updated_at) VALUES (?, 0, ?) ON CONFLICT (name) DO NOTHING'),
      paused: p('SELECT paused FROM campaigns WHERE name = ?'),
      setPaused: p('UPDATE campaigns SET paused = ?, updated_at = ? WHERE name = ?'),
      campaigns: p('SELECT name, paused FROM campaigns ORDER BY name'),
      insertContact: p(
        `INSERT INTO contacts (campaign, id, priority, name, case_number, timezone, numbers, fields, source, not_before, created_at)
         VALUES (@campaign, @id, @priority, @name, @case_number, @timezone, @numbers, @fields, @source, @not_before, @created_at)
         ON CONFLICT (campaign, id) DO NOTHING`,
      ),
      contactsAfter: p('SELECT * FROM contacts WHERE campaign = ? AND seq > ? ORDER BY seq'),
      coreContactsAfter: p('SELECT seq, id, priority, timezone, numbers, not_before FROM contacts WHERE campaign = ? AND seq > ? ORDER BY seq'),
      contactBySeq: p('SELECT * FROM contacts WHERE seq = ?'),
      contactById: p('SELECT * FROM contacts WHERE campaign = ? AND id = ?'),
      contactCount: p('SELECT count(*) AS n FROM contacts WHERE campaign = ?'),
      history: p("SELECT contact, type, body FROM events WHERE campaign = ? AND contact IS NOT NULL AND type IN ('ended', 'callback', 'removed') ORDER BY contact, seq"),
      insertAttempt: p(
        `INSERT INTO attempts (id, campaign, contact, number_index, number, number_type, kind, agent, ring_timeout, planned_at)
         VALUES (@id, @campaign, @contact, @number_index, @number, @number_type, @kind, @agent, @ring_timeout, @planned_at)`,
      ),
      unfinished: p('SELECT * FROM attempts WHERE campaign = ? AND ended_at IS NULL ORDER BY planned_at, id'),
      attempt: p('SELECT * FROM attempts WHERE id = ?'),
      attemptsOf: p('SELECT * FROM attempts WHERE contact = ? ORDER BY planned_at, id'),
      answered: p('UPDATE attempts SET answered_at = ? WHERE id = ? AND ended_at IS NULL'),
      amd: p('UPDATE attempts SET amd_passed = ? WHERE id = ? AND ended_at IS NULL'),
      ended: p('UPDATE attempts SET ended_at = ?, outcome = ?, talk_agent = ? WHERE id = ? AND ended_at IS NULL'),
      event: p('INSERT INTO events (campaign, at, type, attempt, contact, body) VALUES (?, ?, ?, ?, ?, ?)'),
      eventsSince: p("SELECT body FROM events WHERE campaign = ? AND at >= ? AND type IN ('answered', 'amd', 'ended', 'agent-done') ORDER BY seq"),
      prune: p("DELETE FROM events WHERE campaign = ? AND at < ? AND type IN ('answered', 'amd', 'agent-done', 'preview')"),
      callback: p('INSERT INTO callbacks (seq, campaign, contact, at, agent, grace_seconds, source, attempt, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
      pace: p(
        `INSERT INTO agent_pace (campaign, agent, calls, talk_seconds, wrap_seconds, updated_at) VALUES (?, ?, 1, ?, ?, ?)
         ON CONFLICT (campaign, agent) DO UPDATE SET calls = calls + 1, talk_seconds = talk_seconds + excluded.talk_seconds,
           wrap_seconds = wrap_seconds + excluded.wrap_seconds, updated_at = excluded.updated_at`,
      ),
      paces: p('SELECT campaign, agent, calls, talk_seconds AS talkSeconds, wrap_seconds AS wrapSeconds FROM agent_pace WHERE campaign = ? ORDER BY agent'),
      dncAdd: p('INSERT INTO do_not_call (number, reason, source, added_at) VALUES (?, ?, ?, ?) ON CONFLICT (number) DO NOTHING'),
      dncRemove: p('DELETE FROM do_not_call WHERE number = ?'),
      dncAfter: p('SELECT rowid, number FROM do_not_call WHERE rowid > ? ORDER BY rowid'),
      dncHas: p('SELECT 1 AS x FROM do_not_call WHERE number = ?'),
      dncAll: p('SELECT number, reason, source, added_at AS addedAt FROM do_not_call ORDER BY number'),
      task: p('SELECT contact FROM tasks WHERE campaign = ? AND id = ?'),
      taskInsert: p('INSERT INTO tasks (campaign, id, contact, received_at, body) VALUES (?, ?, ?, ?, ?)'),
      taskCount: p('SELECT count(*) AS n FROM tasks WHERE campaign = ?'),
      outcomes: p('SELECT outcome, count(*) AS n FROM attempts WHERE campaign = ? AND ended_at IS NOT NULL AND ended_at >= ? GROUP BY outcome'),
    };
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // --- campaigns -------------------------------------------------------------------------

  ensureCampaign(name: string, now: number): void {
    this.st['campaign']!.run(name, now);
  }

  isPaused(name: string): boolean {
    const r = this.st['paused']!.get(name) as { paused: number } | undefined;
    return r?.paused === 1;
  }

  setPaused(name: string, paused: boolean, now: number): void {
    this.st['setPaused']!.run(paused ? 1 : 0, now, name);
  }

  campaigns(): { name: string; paused: boolean }[] {
    return (this.st['campaigns']!.all() as { name: string; paused: number }[]).map((r) => ({ name: r.name, paused: r.paused === 1 }));
  }

  // --- contacts --------------------------------------------------------------------------

  /** Adds a contact unless its campaign already has one with its id; returns its seq, or undefined when it existed. */
  insertContact(c: NewContact, now: number): number | undefined {
    const r = this.st['insertContact']!.run(contactToRow(c, now));
    return r.changes === 1 ? Number(r.lastInsertRowid) : undefined;
  }

  *contactsAfter(campaign: string, seq: number): IterableIterator<StoredContact> {
    for (const r of this.st['contactsAfter']!.iterate(campaign, seq) as IterableIterator<ContactRow>) yield contactFromRow(r);
  }

  /**
   * The core's columns of the campaign's contacts after `seq`, in order, streamed: no other
   * statement may run on this connection until the iteration ends.
   */
  coreContactsAfter(campaign: string, seq: number): IterableIterator<CoreContactRow> {
    return this.st['coreContactsAfter']!.iterate(campaign, seq) as IterableIterator<CoreContactRow>;
  }

  contactBySeq(seq: number): StoredContact | undefined {
    const r = this.st['contactBySeq']!.get(seq) as ContactRow | undefined;
    return r && contactFromRow(r);
  }

  contactById(campaign: string, id: string): StoredContact | undefined {
    const r = this.st['contactById']!.get(campaign, id) as ContactRow | undefined;
    return r && contactFromRow(r);
  }

  contactCount(campaign: string): number {
    return (this.st['contactCount']!.get(campaign) as { n: number }).n;
  }

  /** Journal entries that shape contacts' retry state, by contact then in order. */
  historyRows(campaign: string): IterableIterator<{ contact: number; type: string; body: string }> {
    return this.st['history']!.iterate(campaign) as IterableIterator<{ contact: number; type: string; body: string }>;
  }

  // --- attempts --------------------------------------------------------------------------

  nextAttemptId(): string {
    return `${this.instance}-${++this.attemptCounter}`;
  }

  insertAttempt(row: AttemptRow): void {
    this.st['insertAttempt']!.run(row);
  }

  unfinished(campaign: string): AttemptRow[] {
    return this.st['unfinished']!.all(campaign) as AttemptRow[];
  }

  attempt(id: string): AttemptRow | undefined {
    return this.st['attempt']!.get(id) as AttemptRow | undefined;
  }

  attemptsOfContact(seq: number): AttemptRow[] {
    return this.st['attemptsOf']!.all(seq) as AttemptRow[];
  }

  markAnswered(id: string, at: number): void {
    this.st['answered']!.run(at, id);
  }

  markAmd(id: string, passed: boolean): void {
    this.st['amd']!.run(passed ? 1 : 0, id);
  }

  /** Ends an attempt; false when it had ended already. */
  endAttempt(id: string, at: number, outcome: string, agent: string | undefined): boolean {
    return this.st['ended']!.run(at, outcome, agent ?? null, id).changes === 1;
  }

  /** Attempts ended since `from`, by outcome. */
  outcomesSince(campaign: string, from: number): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.st['outcomes']!.all(campaign, from) as { outcome: string; n: number }[]) out[r.outcome] = r.n;
    return out;
  }

  // --- the journal -----------------------------------------------------------------------

  /** Appends to the journal; returns the entry's seq. */
  journal(campaign: string, at: number, type: string, body: unknown, refs: { attempt?: string; contact?: number } = {}): number {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return Number(this.st['event']!.run(campaign, at, type, refs.attempt ?? null, refs.contact ?? null, text).lastInsertRowid);
  }

  /** Learning events (answers, AMD verdicts, ends, agents' pace) since `from`, in order. */
  *learningEvents(campaign: string, from: number): IterableIterator<DialerEvent> {
    for (const r of this.st['eventsSince']!.iterate(campaign, from) as IterableIterator<{ body: string }>) yield JSON.parse(r.body) as DialerEvent;
  }

  /** Drops learning-only entries older than `before` (ends, callbacks and removals are kept: they are contacts' history). */
  prune(campaign: string, before: number): number {
    return this.st['prune']!.run(campaign, before).changes;
  }

  insertCallback(seq: number, campaign: string, contact: number, at: number, agent: string | undefined, graceSeconds: number, source: 'call' | 'api', attempt: string | undefined, now: number): void {
    this.st['callback']!.run(seq, campaign, contact, at, agent ?? null, graceSeconds, source, attempt ?? null, now);
  }

  // --- agents ----------------------------------------------------------------------------

  addPace(campaign: string, agent: string, talkSeconds: number, wrapSeconds: number, now: number): void {
    this.st['pace']!.run(campaign, agent, talkSeconds, wrapSeconds, now);
  }

  paces(campaign: string): AgentPaceRow[] {
    return this.st['paces']!.all(campaign) as AgentPaceRow[];
  }

  // --- do not call -----------------------------------------------------------------------

  addDoNotCall(number: string, source: string, now: number, reason?: string): boolean {
    return this.st['dncAdd']!.run(number, reason ?? null, source, now).changes === 1;
  }

  removeDoNotCall(number: string): boolean {
    return this.st['dncRemove']!.run(number).changes === 1;
  }

  doNotCallAfter(rowid: number): { rowid: number; number: string }[] {
    return this.st['dncAfter']!.all(rowid) as { rowid: number; number: string }[];
  }

  onDoNotCall(number: string): boolean {
    return this.st['dncHas']!.get(number) !== undefined;
  }

  doNotCall(): DoNotCallEntry[] {
    return (this.st['dncAll']!.all() as (Omit<DoNotCallEntry, 'reason'> & { reason: string | null })[]).map((r) => ({ number: r.number, source: r.source, addedAt: r.addedAt, ...(r.reason !== null && { reason: r.reason }) }));
  }

  // --- tasks -----------------------------------------------------------------------------

  taskContact(campaign: string, id: string): number | undefined {
    return (this.st['task']!.get(campaign, id) as { contact: number } | undefined)?.contact;
  }

  insertTask(campaign: string, id: string, contact: number, now: number, body: unknown): void {
    this.st['taskInsert']!.run(campaign, id, contact, now, JSON.stringify(body));
  }

  taskCount(campaign: string): number {
    return (this.st['taskCount']!.get(campaign) as { n: number }).n;
  }
}

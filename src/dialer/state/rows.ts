/**
 * The pure mapping between the dialer database's rows and the pacing core's vocabulary. No
 * SQL here: store.ts reads and writes rows, this module says what they mean.
 */
import type { ContactHistory } from '../pacing/dialer.js';
import { MAX_NUMBERS, type ContactInput } from '../pacing/contacts.js';
import { NUMBER_TYPES, type CallOutcome, type Dial, type DialerEvent, type NumberType } from '../pacing/types.js';
import type { PlannedAttempt } from '../runtime/contract.js';

export interface StoredNumber {
  /** E.164 digits without '+'. */
  number: string;
  type: NumberType;
  /** IANA time zone of this number, when it differs from the contact's. */
  timezone?: string;
}

/** A contact as the database keeps it. */
export interface StoredContact {
  /** Insertion order (the rowid); the core's index of the contact follows it. */
  seq: number;
  campaign: string;
  /** The contact's own id: the list's id column, the API task's id, or a content key. */
  id: string;
  priority: number;
  name?: string;
  caseNumber?: string;
  /** IANA time zone for every number that names none (else the campaign's). */
  timezone?: string;
  numbers: StoredNumber[];
  /** Custom fields from the list or the task, travelling with the call. */
  fields: Record<string, string>;
  source: 'load' | 'api';
  /** Not dialled before this instant (ms). */
  notBefore?: number;
}

export type NewContact = Omit<StoredContact, 'seq'>;

export interface ContactRow {
  seq: number;
  campaign: string;
  id: string;
  priority: number;
  name: string | null;
  case_number: string | null;
  timezone: string | null;
  numbers: string;
  fields: string;
  source: string;
  not_before: number | null;
}

export function contactFromRow(r: ContactRow): StoredContact {
  const c: StoredContact = {
    seq: r.seq,
    campaign: r.campaign,
    id: r.id,
    priority: r.priority,
    numbers: (JSON.parse(r.numbers) as StoredNumber[]).map((n) => ({ number: n.number, type: NUMBER_TYPES.includes(n.type) ? n.type : 'unknown', ...(n.timezone !== undefined && { timezone: n.timezone }) })),
    fields: JSON.parse(r.fields) as Record<string, string>,
    source: r.source === 'api' ? 'api' : 'load',
  };
  if (r.name !== null) c.name = r.name;
  if (r.case_number !== null) c.caseNumber = r.case_number;
  if (r.timezone !== null) c.timezone = r.timezone;
  if (r.not_before !== null) c.notBefore = r.not_before;
  return c;
}

export function contactToRow(c: NewContact, createdAt: number): Omit<ContactRow, 'seq'> & { created_at: number } {
  if (c.numbers.length < 1 || c.numbers.length > MAX_NUMBERS) throw new Error(`a contact has 1 to ${MAX_NUMBERS} numbers, not ${c.numbers.length}`);
  return {
    campaign: c.campaign,
    id: c.id,
    priority: c.priority,
    name: c.name ?? null,
    case_number: c.caseNumber ?? null,
    timezone: c.timezone ?? null,
    numbers: JSON.stringify(c.numbers.map((n) => ({ number: n.number, type: n.type, ...(n.timezone !== undefined && { timezone: n.timezone }) }))),
    fields: JSON.stringify(c.fields),
    source: c.source,
    not_before: c.notBefore ?? null,
    created_at: createdAt,
  };
}

/** The columns a restart reads of each contact: what the core needs, not what the screen shows. */
export interface CoreContactRow {
  seq: number;
  id: string;
  priority: number;
  timezone: string | null;
  numbers: string;
  not_before: number | null;
}

/** The core's view of a contact straight from its row (a restart reads every contact this way). */
export function coreContactInput(r: CoreContactRow, zone: (timezone: string | undefined) => number): ContactInput {
  const tz = r.timezone ?? undefined;
  const input: ContactInput = {
    id: r.id,
    priority: r.priority,
    numbers: (JSON.parse(r.numbers) as StoredNumber[]).map((n) => ({ number: Number(n.number), type: NUMBER_TYPES.includes(n.type) ? n.type : 'unknown', zone: zone(n.timezone ?? tz) })),
  };
  if (r.not_before !== null) input.notBefore = r.not_before;
  return input;
}

/** What travels with a call for the screen pop: contact id, case number, name, then the custom fields. */
export function screenData(c: Pick<StoredContact, 'id' | 'name' | 'caseNumber' | 'fields'>): Record<string, string> {
  const data: Record<string, string> = { ...c.fields, contactId: c.id };
  if (c.caseNumber !== undefined) data['caseNumber'] = c.caseNumber;
  if (c.name !== undefined) data['name'] = c.name;
  return data;
}

export interface AttemptRow {
  id: string;
  campaign: string;
  contact: number;
  number_index: number;
  number: string;
  number_type: string;
  kind: string;
  agent: string | null;
  ring_timeout: number;
  planned_at: number;
  ended_at: number | null;
  outcome: string | null;
}

/** The row written ahead of a dial. */
export function attemptRow(id: string, campaign: string, contactSeq: number, dial: Dial, plannedAt: number): AttemptRow {
  return {
    id,
    campaign,
    contact: contactSeq,
    number_index: dial.numberIndex,
    number: digits(dial.number),
    number_type: dial.numberType,
    kind: dial.kind,
    agent: dial.agent ?? null,
    ring_timeout: Math.round(dial.ringTimeoutSeconds),
    planned_at: plannedAt,
    ended_at: null,
    outcome: null,
  };
}

export function plannedAttempt(r: AttemptRow, contactIndex: number, contact: StoredContact): PlannedAttempt {
  const a: PlannedAttempt = {
    attemptId: r.id,
    campaign: r.campaign,
    contact: contactIndex,
    contactId: contact.id,
    number: r.number,
    numberIndex: r.number_index,
    numberType: r.number_type as NumberType,
    kind: r.kind as Dial['kind'],
    ringTimeoutSeconds: r.ring_timeout,
    data: screenData(contact),
    ...(r.agent !== null && { agent: r.agent }),
  };
  return a;
}

/** E.164 digits (as the core holds them, a double) to the text the database and Asterisk use. */
export function digits(n: number): string {
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`not an E.164 number: ${n}`);
  return String(n);
}

/** The journal's body of an event: the event itself, as JSON. */
export function eventBody(e: DialerEvent): string {
  return JSON.stringify(e);
}

export function eventFromBody(body: string): DialerEvent {
  return JSON.parse(body) as DialerEvent;
}

/** A callback asked for outside a call, as the journal keeps it. */
export interface CallbackEntry {
  type: 'callback';
  at: number;
  callbackAt: number;
  agent?: string;
}

/** A contact taken out (do-not-call on the API, or removed), as the journal keeps it. */
export interface RemovedEntry {
  type: 'removed';
  at: number;
  reason?: string;
}

/**
 * A contact's past from its journal entries (in order): ended attempts, callbacks asked for over
 * the API, removals. Entries of other types are not part of a contact's retry state.
 */
export function contactHistory(entries: readonly { type: string; body: string }[]): ContactHistory[] {
  const out: ContactHistory[] = [];
  for (const e of entries) {
    if (e.type === 'ended') {
      const ev = JSON.parse(e.body) as Extract<DialerEvent, { type: 'ended' }>;
      out.push({ type: 'ended', at: ev.at, numberIndex: ev.number, outcome: ev.outcome as CallOutcome, ...(ev.callback && { callback: ev.callback }) });
    } else if (e.type === 'callback') {
      const cb = JSON.parse(e.body) as CallbackEntry;
      out.push({ type: 'callback', at: cb.callbackAt, ...(cb.agent !== undefined && { agent: cb.agent }) });
    } else if (e.type === 'removed') out.push({ type: 'removed' });
  }
  return out;
}

import { IdHeap } from './heap.js';
import { NUMBER_TYPES, RETRY_OUTCOMES, type NumberType, type RetryOutcome } from './types.js';

/** Up to four numbers per contact, tried in the configured order. */
export const MAX_NUMBERS = 4;

/** Where a contact is in its life. */
export const ContactState = {
  /** Waiting in its queue until `readyAt` (and its calling window). */
  pending: 0,
  /** In a call: never dialled again until that call ends. */
  dialing: 1,
  /** Shown to an agent (preview, progressive read time). */
  reserved: 2,
  /** Put through to an agent: done. */
  reached: 3,
  /** Every retry used up, or every number dead. */
  exhausted: 4,
  /** Waiting for a callback time. */
  callback: 5,
  /** Taken out (do-not-call on every number, or removed). */
  removed: 6,
} as const;
export type ContactStateValue = (typeof ContactState)[keyof typeof ContactState];

export interface ContactInput {
  /** The record's id in the CRM, kept for the daemon (the core uses the index). */
  id?: string;
  /** Higher first; default 0. */
  priority?: number;
  /** Zone index (CallingWindow.zone) per number, or one for all. */
  numbers: readonly { number: number; type?: NumberType; zone?: number }[];
  /** Not before this instant (ms). */
  notBefore?: number;
}

const TYPE_INDEX: Record<NumberType, number> = { mobile: 0, landline: 1, unknown: 2 };
const OUTCOME_INDEX: Record<RetryOutcome, number> = Object.fromEntries(RETRY_OUTCOMES.map((o, i) => [o, i])) as Record<RetryOutcome, number>;

/**
 * Every contact of a campaign in flat typed arrays (about 120 bytes a contact with four numbers),
 * so a million-contact campaign stays well under the memory of one object per contact.
 * Numbers are E.164 digits held as doubles (15 digits fit exactly).
 */
export class ContactStore {
  size = 0;
  private cap: number;
  priority: Int16Array;
  count: Uint8Array;
  /** Index (0-3) of the number the next attempt dials. */
  next: Uint8Array;
  state: Uint8Array;
  /** Bit per number: dead (do-not-call, or given up). */
  dead: Uint8Array;
  readyAt: Float64Array;
  numbers: Float64Array;
  types: Uint8Array;
  zones: Uint16Array;
  /** Attempts ended in each retry outcome, per contact. */
  attempts: Uint8Array;
  /** When a call to each number was last abandoned (0: never). */
  abandonedAt: Float64Array;
  callbackAt: Float64Array;
  /** Agent index (see agentIndex) a callback belongs to, -1 for any agent. */
  callbackAgent: Int32Array;
  private readonly ids: (string | undefined)[] = [];
  private readonly agentNames: string[] = [];
  private readonly agentByName = new Map<string, number>();

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.priority = new Int16Array(this.cap);
    this.count = new Uint8Array(this.cap);
    this.next = new Uint8Array(this.cap);
    this.state = new Uint8Array(this.cap);
    this.dead = new Uint8Array(this.cap);
    this.readyAt = new Float64Array(this.cap);
    this.numbers = new Float64Array(this.cap * MAX_NUMBERS);
    this.types = new Uint8Array(this.cap * MAX_NUMBERS);
    this.zones = new Uint16Array(this.cap * MAX_NUMBERS);
    this.attempts = new Uint8Array(this.cap * RETRY_OUTCOMES.length);
    this.abandonedAt = new Float64Array(this.cap * MAX_NUMBERS);
    this.callbackAt = new Float64Array(this.cap);
    this.callbackAgent = new Int32Array(this.cap);
  }

  add(c: ContactInput): number {
    if (c.numbers.length === 0 || c.numbers.length > MAX_NUMBERS) throw new Error(`a contact has 1 to ${MAX_NUMBERS} numbers, not ${c.numbers.length}`);
    if (this.size === this.cap) this.grow();
    const i = this.size++;
    this.priority[i] = c.priority ?? 0;
    this.count[i] = c.numbers.length;
    this.readyAt[i] = c.notBefore ?? 0;
    c.numbers.forEach((n, k) => {
      this.numbers[i * MAX_NUMBERS + k] = n.number;
      this.types[i * MAX_NUMBERS + k] = TYPE_INDEX[n.type ?? 'unknown'];
      this.zones[i * MAX_NUMBERS + k] = n.zone ?? 0;
    });
    this.callbackAgent[i] = -1;
    if (c.id !== undefined) this.ids[i] = c.id;
    return i;
  }

  id(i: number): string | undefined {
    return this.ids[i];
  }

  number(i: number, k: number): number {
    return this.numbers[i * MAX_NUMBERS + k]!;
  }

  numberType(i: number, k: number): NumberType {
    return NUMBER_TYPES[this.types[i * MAX_NUMBERS + k]!]!;
  }

  zoneOf(i: number, k: number): number {
    return this.zones[i * MAX_NUMBERS + k]!;
  }

  isDead(i: number, k: number): boolean {
    return (this.dead[i]! & (1 << k)) !== 0;
  }

  kill(i: number, k: number): void {
    this.dead[i]! |= 1 << k;
  }

  /** The next live number at or after k (wrapping), or -1. */
  liveFrom(i: number, k: number): number {
    const n = this.count[i]!;
    for (let s = 0; s < n; s++) {
      const j = (k + s) % n;
      if (!this.isDead(i, j)) return j;
    }
    return -1;
  }

  attemptsOf(i: number, o: RetryOutcome): number {
    return this.attempts[i * RETRY_OUTCOMES.length + OUTCOME_INDEX[o]]!;
  }

  countAttempt(i: number, o: RetryOutcome): number {
    const at = i * RETRY_OUTCOMES.length + OUTCOME_INDEX[o];
    const v = Math.min(255, this.attempts[at]! + 1);
    this.attempts[at] = v;
    return v;
  }

  agentIndex(name: string): number {
    let a = this.agentByName.get(name);
    if (a === undefined) {
      a = this.agentNames.length;
      this.agentNames.push(name);
      this.agentByName.set(name, a);
    }
    return a;
  }

  agentName(a: number): string | undefined {
    return a < 0 ? undefined : this.agentNames[a];
  }

  /** Bytes held by the typed arrays (for the benchmark). */
  get bytes(): number {
    return [this.priority, this.count, this.next, this.state, this.dead, this.readyAt, this.numbers, this.types, this.zones, this.attempts, this.abandonedAt, this.callbackAt, this.callbackAgent].reduce((s, a) => s + a.byteLength, 0);
  }

  private grow(): void {
    const cap = this.cap * 2;
    const g = <T extends Int16Array | Uint8Array | Float64Array | Uint16Array | Int32Array>(a: T, per = 1): T => {
      const b = new (a.constructor as new (n: number) => T)(cap * per);
      b.set(a);
      return b;
    };
    this.priority = g(this.priority);
    this.count = g(this.count);
    this.next = g(this.next);
    this.state = g(this.state);
    this.dead = g(this.dead);
    this.readyAt = g(this.readyAt);
    this.numbers = g(this.numbers, MAX_NUMBERS);
    this.types = g(this.types, MAX_NUMBERS);
    this.zones = g(this.zones, MAX_NUMBERS);
    this.attempts = g(this.attempts, RETRY_OUTCOMES.length);
    this.abandonedAt = g(this.abandonedAt, MAX_NUMBERS);
    this.callbackAt = g(this.callbackAt);
    this.callbackAgent = g(this.callbackAgent);
    this.cap = cap;
  }
}

/**
 * Pending contacts by priority (highest first) and by the zone of the number they dial next;
 * within one queue, the longest-waiting first (`readyAt`, then the order they were added).
 */
export class ContactQueues {
  private readonly levels: { priority: number; byZone: (IdHeap | undefined)[] }[] = [];

  constructor(private readonly store: ContactStore) {}

  push(i: number): void {
    const p = this.store.priority[i]!;
    let level = this.levels.find((l) => l.priority === p);
    if (!level) {
      level = { priority: p, byZone: [] };
      this.levels.push(level);
      this.levels.sort((a, b) => b.priority - a.priority);
    }
    const z = this.store.zoneOf(i, this.store.next[i]!);
    let heap = level.byZone[z];
    if (!heap) heap = level.byZone[z] = new IdHeap(() => this.store.readyAt, 64);
    heap.push(i);
  }

  /** Pending contacts in every queue. */
  get size(): number {
    let n = 0;
    for (const l of this.levels) for (const h of l.byZone) n += h?.size ?? 0;
    return n;
  }

  /**
   * Takes the best contact whose time has come in an open zone, or -1. `open(zone)` says whether
   * a zone may be called now. The contact is returned as it was queued; the caller checks it.
   */
  take(now: number, open: (zone: number) => boolean): number {
    const readyAt = this.store.readyAt;
    for (const level of this.levels) {
      let best: IdHeap | undefined;
      let bestKey = Infinity;
      let bestId = -1;
      for (let z = 0; z < level.byZone.length; z++) {
        const h = level.byZone[z];
        if (!h || h.size === 0) continue;
        const id = h.peek();
        const k = readyAt[id]!;
        if (k > now) continue;
        if (k < bestKey || (k === bestKey && id < bestId)) {
          if (!open(z)) continue;
          best = h;
          bestKey = k;
          bestId = id;
        }
      }
      if (best) return best.pop();
    }
    return -1;
  }

  /** When the earliest queued contact becomes due, whatever its zone (Infinity if none). */
  nextDue(): number {
    let t = Infinity;
    for (const l of this.levels) for (const h of l.byZone) if (h && h.size > 0) t = Math.min(t, this.store.readyAt[h.peek()]!);
    return t;
  }
}

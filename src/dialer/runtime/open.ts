import type { PacingPolicy } from '../pacing/policy.js';
import type { PacingSettings } from '../pacing/types.js';
import { openStateDatabase } from '../state/database.js';
import { DialerStore } from '../state/store.js';
import { SqliteCampaignRuntime } from './campaign-runtime.js';

/** The do-not-call list in memory (what the cores consult before every dial) and in the database. */
export class DoNotCallList {
  private readonly numbers = new Set<number>();

  constructor(private readonly store: DialerStore) {
    for (const e of store.doNotCall()) this.numbers.add(Number(e.number));
  }

  has(number: number): boolean {
    return this.numbers.has(number);
  }

  get size(): number {
    return this.numbers.size;
  }

  /** Adds E.164 digits (no '+'); false when the number was on the list already. */
  add(number: string, source: string, now: number, reason?: string): boolean {
    const added = this.store.addDoNotCall(number, source, now, reason);
    this.numbers.add(Number(number));
    return added;
  }

  remove(number: string): boolean {
    const removed = this.store.removeDoNotCall(number);
    this.numbers.delete(Number(number));
    return removed;
  }
}

/** What the daemon holds: the database, the do-not-call list, and one runtime per campaign. */
export interface DialerState {
  readonly store: DialerStore;
  readonly doNotCall: DoNotCallList;
  readonly runtimes: ReadonlyMap<string, SqliteCampaignRuntime>;
  close(): void;
}

export interface OpenStateOptions {
  clock?: () => number;
  /** A pacing policy per campaign (tests); the core's own by default. */
  policy?: (settings: PacingSettings) => PacingPolicy | undefined;
}

/**
 * Opens the state directory (creating the database on first use, migrating an older one) and
 * rebuilds one runtime per campaign from it. `location` is a directory, or ':memory:' in tests.
 * The daemon calls this once at start; every attempt `unfinished()` lists must then be
 * reconciled from Asterisk before the campaign is planned again.
 */
export function openDialerState(location: string, campaigns: readonly PacingSettings[], options: OpenStateOptions = {}): DialerState {
  const db = openStateDatabase(location);
  try {
    const store = new DialerStore(db);
    const doNotCall = new DoNotCallList(store);
    const runtimes = new Map<string, SqliteCampaignRuntime>();
    for (const settings of campaigns) {
      const policy = options.policy?.(settings);
      runtimes.set(settings.campaign, new SqliteCampaignRuntime(store, settings, { doNotCall, ...(options.clock && { clock: options.clock }), ...(policy && { policy }) }));
    }
    return { store, doNotCall, runtimes, close: () => db.close() };
  } catch (e) {
    db.close();
    throw e;
  }
}

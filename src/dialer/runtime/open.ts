import type { PacingPolicy } from '../pacing/policy.js';
import type { PacingSettings } from '../pacing/types.js';
import { openStateDatabase } from '../state/database.js';
import { claimState } from '../state/owner.js';
import { DialerStore } from '../state/store.js';
import { SqliteCampaignRuntime } from './campaign-runtime.js';

/** The do-not-call list in memory (what the cores consult before every dial) and in the database. */
export class DoNotCallList {
  private readonly numbers = new Set<number>();
  private lastRowid = 0;

  constructor(private readonly store: DialerStore) {
    this.refresh();
  }

  /** Picks up numbers another process (`dialer load` with the campaign's lists) added. */
  refresh(): void {
    for (const r of this.store.doNotCallAfter(this.lastRowid)) {
      this.numbers.add(Number(r.number));
      this.lastRowid = Math.max(this.lastRowid, r.rowid);
    }
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
 * reconciled from Asterisk before the campaign is planned again. Throws StateInUseError while
 * another live process on this machine holds the directory.
 */
export function openDialerState(location: string, campaigns: readonly PacingSettings[], options: OpenStateOptions = {}): DialerState {
  const db = openStateDatabase(location);
  let release = () => undefined as void;
  try {
    // One daemon per state directory: a second would dial the same contacts.
    if (location !== ':memory:') release = claimState(db, (options.clock ?? Date.now)(), location);
    const store = new DialerStore(db);
    const doNotCall = new DoNotCallList(store);
    const runtimes = new Map<string, SqliteCampaignRuntime>();
    for (const settings of campaigns) {
      const policy = options.policy?.(settings);
      runtimes.set(settings.campaign, new SqliteCampaignRuntime(store, settings, { doNotCall, ...(options.clock && { clock: options.clock }), ...(policy && { policy }) }));
    }
    return {
      store,
      doNotCall,
      runtimes,
      close: () => {
        release();
        db.close();
      },
    };
  } catch (e) {
    release();
    db.close();
    throw e;
  }
}

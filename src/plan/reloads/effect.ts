import type { ReloadService } from './types.js';

/** What one changed file asks of its server: a reload, a restart, or nothing. Merged per node by planReloads. */
export type Effect =
  | { kind: 'reload'; service: ReloadService; command: string; why: string }
  | { kind: 'restart'; service: 'asterisk' | 'kamailio'; why: string }
  | { kind: 'none'; path: string; why: string };

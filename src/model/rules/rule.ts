import type { Severity } from '../../diagnostics/diagnostic.js';
import type { RawProject } from '../input.js';
import type { KnownNames, Where } from '../project.js';
import type { SecretValues } from '../../secrets/refs.js';

export interface RuleContext {
  /** The merged project, holding only entities the schema accepted. */
  readonly raw: RawProject;
  /** Every defined name, including rejected entities (a reference to those is not dangling). */
  readonly known: KnownNames;
  readonly secrets: SecretValues;
  report(where: Where, message: string, hint?: string): void;
}

/** One semantic check. Keep each in its own file named after its id. */
export interface Rule {
  /** kebab-case; shown in every diagnostic. */
  id: string;
  description: string;
  severity: Severity;
  /**
   * The rule judges what is absent (an unknown name, a menu nobody routes to), so a file that
   * could not be read would make it report false problems: it is skipped then.
   */
  needsEveryFile?: boolean;
  check(ctx: RuleContext): void;
}

/** Entries of an optional keyed collection. */
export function entries<T>(map: Record<string, T> | undefined): [string, T][] {
  return map ? Object.entries(map) : [];
}

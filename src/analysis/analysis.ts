import type { Severity } from '../diagnostics/diagnostic.js';
import type { RawProject } from '../model/input.js';
import type { Where } from '../model/project.js';
import type { Model } from '../model/types.js';

export interface AnalysisContext {
  /** The normalized model: an analysis follows calls through it with `trace`. */
  readonly model: Model;
  /** The same project as the user wrote it, to point diagnostics at (inbound[i] is model.inbound[i]). */
  readonly raw: RawProject;
  /** The start of the weeks and the year of holidays looked at. */
  readonly now: Date;
  report(where: Where, message: string, hint?: string): void;
}

/**
 * A check of the whole call flow over time, run by `validate` on a project that passed every
 * rule: unlike a rule it sees normalized data and follows calls. One per file, named after its id.
 */
export interface Analysis {
  id: string;
  description: string;
  severity: Severity;
  check(ctx: AnalysisContext): void;
}

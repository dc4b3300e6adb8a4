import type { Pace, PacingPolicy, PacingView } from '../../pacing/policy.js';

/**
 * A fixed dial ratio, as many hosted dialers offer ("2 lines per agent"): keep `ratio` calls in
 * flight per ready agent, whatever happens.
 */
export class FixedRatioPolicy implements PacingPolicy {
  readonly id: string;
  readonly label: string;

  constructor(readonly ratio: number) {
    this.id = `fixed-${ratio}`;
    this.label = `fixed ratio ${ratio} per ready agent`;
  }

  pace(view: PacingView, explain: boolean): Pace {
    const want = Math.floor(this.ratio * view.freeReady) - view.calls.length;
    const pace: Pace = { calls: Math.max(0, want), level: this.ratio };
    if (explain) pace.reasons = [{ code: 'fixed-ratio', text: `${this.ratio} × ${view.freeReady} ready − ${view.calls.length} in flight` }];
    return pace;
  }
}

import { AbandonController, DEFAULT_CONTROLLER, type ControllerOptions } from './controller.js';
import type { Beliefs, Pace, PacingPolicy, PacingView } from './policy.js';
import { Balance } from './risk.js';
import type { DialerEvent, NumberType, PacingSettings, Reason } from './types.js';

/** Quantiles of the time a new call takes to go live at which supply and demand are compared. */
const HORIZON_QUANTILES = [0.5, 0.9] as const;

export interface PredictiveOptions {
  id?: string;
  label?: string;
  /** Beliefs to use instead of the dialer's learnt ones (the simulator's oracle passes the truth). */
  beliefs?: Beliefs;
  controller?: ControllerOptions;
}

/**
 * callplan's predictive pacing. Every decision compares, at two horizons (the median and the 90th
 * percentile of the time a new call takes to reach a person and pass AMD), the live answers that
 * will need an agent — calls waiting, calls in AMD, ringing calls by how long they have rung —
 * with the agents that will be free: ready ones, and busy ones by each agent's own talk and
 * wrap-up times and how long they have been at it. Calls are added one by one while the chance
 * that the next one reaches a person and finds no free agent stays under the risk the abandon
 * controller allows; never fewer than the calls every ready agent is sure to take.
 */
export class PredictivePolicy implements PacingPolicy {
  readonly id: string;
  readonly label: string;
  readonly controller: AbandonController;
  private readonly balances = HORIZON_QUANTILES.map(() => new Balance());
  private readonly horizons = new Float64Array(HORIZON_QUANTILES.length);
  private readonly fpShare: number;

  constructor(
    private readonly settings: PacingSettings,
    private readonly options: PredictiveOptions = {},
  ) {
    this.id = options.id ?? 'ours';
    this.label = options.label ?? 'callplan predictive';
    const profile = settings.profile;
    const limit = Math.min(settings.abandonTarget, profile.abandonLimit);
    this.controller = new AbandonController(limit, profile.windowSeconds, options.controller ?? DEFAULT_CONTROLLER);
    const fp = settings.amd.enabled && profile.amdFalsePositiveIsAbandon ? settings.amd.falsePositiveRate : 0;
    // For every person AMD passed, fp / (1 − fp) persons were (unseen) taken for machines.
    this.fpShare = fp > 0 && fp < 1 ? fp / (1 - fp) : 0;
  }

  observe(e: DialerEvent): void {
    if (e.type !== 'ended' || e.reserved) {
      // Calls placed with an agent reserved for them are never abandoned, but they are live answers.
      if (e.type === 'ended' && e.outcome === 'connected' && !e.machine) this.person(e.at, false);
      return;
    }
    if (e.outcome === 'connected' && !e.machine) this.person(e.at, false);
    else if (e.outcome === 'abandoned') this.person(e.at, true);
  }

  private person(at: number, abandoned: boolean): void {
    this.controller.live(at, 1, abandoned ? 1 : 0);
    if (this.fpShare > 0) this.controller.live(at, this.fpShare, this.fpShare, true);
  }

  pace(view: PacingView, explain: boolean): Pace {
    const b = this.options.beliefs ?? view.beliefs;
    const now = view.now;
    const amd = this.settings.amd.enabled ? b.amdSeconds() : 0;
    const team = b.teamMeans();
    const liveRate = view.active / Math.max(1, team.talk + team.wrap);
    const cs = this.controller.state(now, liveRate);
    const theta = cs.theta;

    for (let j = 0; j < HORIZON_QUANTILES.length; j++) {
      const h = b.ringQuantile(HORIZON_QUANTILES[j]!) + amd;
      this.horizons[j] = h;
      const bal = this.balances[j]!;
      bal.reset();
      for (let r = 0; r < view.freeReady; r++) bal.supply(1);
      for (const a of view.agents) {
        if ((a.status === 'talking' || a.status === 'wrapup') && !view.reserved.has(a.id)) {
          bal.supply(b.freeWithin(a.id, a.status, (now - a.since) / 1000, h));
        }
      }
      for (const c of view.calls) {
        if (c.phase === 'waiting') bal.demand(1);
        else if (c.phase === 'amd') bal.demand(b.passRate(c.numberType, c.placedAt));
        else if (c.phase === 'ringing') bal.demand(this.liveWithin(b, c.numberType, c.placedAt, (now - c.since) / 1000, h, amd));
      }
    }

    // The progressive floor: calls every ready agent would take even if all of them went live.
    const floor = Math.max(0, Math.min(view.cap, view.freeReady - view.calls.length));
    let n = 0;
    let risk = 0;
    let expected = 0;
    for (;;) {
      risk = 0;
      for (const bal of this.balances) risk = Math.max(risk, bal.risk());
      if (n >= view.cap) break;
      if (n >= floor && risk > theta) break;
      const type: NumberType | undefined = view.candidateType(n);
      if (type === undefined) break;
      const pa = b.answerRate(type, now);
      const pass = b.passRate(type, now);
      for (let j = 0; j < this.balances.length; j++) this.balances[j]!.demand(this.liveWithin(b, type, now, 0, this.horizons[j]!, amd, pa, pass));
      expected += risk * pa * pass;
      n++;
    }
    if (expected > 0) this.controller.expect(now, expected);
    const pace: Pace = { calls: n };
    if (explain) pace.reasons = this.explain(view, n, risk, cs);
    return pace;
  }

  /** P(a ringing call, `elapsed` seconds in, is answered, passes AMD and needs an agent within `h` seconds). */
  private liveWithin(b: Beliefs, type: NumberType, placedAt: number, elapsed: number, h: number, amd: number, pa = b.answerRate(type, placedAt), pass = b.passRate(type, placedAt)): number {
    const f0 = b.ringCdf(elapsed);
    const f1 = b.ringCdf(elapsed + h - amd);
    const unanswered = 1 - pa * f0;
    if (unanswered <= 1e-9) return pass;
    return Math.max(0, (pa * (f1 - f0)) / unanswered) * pass;
  }

  private explain(view: PacingView, n: number, risk: number, cs: ReturnType<AbandonController['state']>): Reason[] {
    const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
    const busy = view.agents.filter((a) => (a.status === 'talking' || a.status === 'wrapup') && !view.reserved.has(a.id)).length;
    const reasons: Reason[] = [
      {
        code: 'predictive-balance',
        text: `${view.freeReady} ready, ${busy} busy, ${view.calls.length} predictive calls in flight; within ${this.horizons[0]!.toFixed(0)}-${this.horizons[this.horizons.length - 1]!.toFixed(0)} s: ${this.balances.map((x) => x.expected.toFixed(1)).join(' / ')} live answers more than free agents expected`,
      },
      {
        code: 'abandon-controller',
        text: `window: ${cs.abandons.toFixed(1)} abandoned of ${cs.lives.toFixed(0)} live answers (limit ${pct(this.controller.limit)}); planning ${pct(cs.target)} for new calls, model bias ×${cs.bias.toFixed(2)}, so a new call may carry ${pct(cs.theta)} risk`,
      },
    ];
    if (n >= view.cap) reasons.push({ code: 'cap', text: `${n} calls: the cap (channels, max ratio or contacts due)` });
    else reasons.push({ code: 'risk', text: `${n} calls: one more would be dropped with ${pct(risk)} chance, above ${pct(cs.theta)}` });
    return reasons;
  }
}

import { AbandonController, DEFAULT_CONTROLLER, type ControllerOptions } from './controller.js';
import type { Beliefs, Pace, PacingPolicy, PacingView } from './policy.js';
import { lognormalCdf } from './math.js';
import { Balance } from './risk.js';
import type { DialerEvent, NumberType, PacingSettings, Reason } from './types.js';

/**
 * A new call goes live at a time spread by how long callees take to answer (and AMD to decide):
 * supply and demand are compared at four quantiles of that time, and the call's risk is the mean.
 */
const HORIZON_QUANTILES = [0.15, 0.4, 0.65, 0.9] as const;

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
  private beliefs?: Beliefs;

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
    if (e.type !== 'ended') return;
    if (e.outcome === 'connected' && !e.machine) this.person(e.at, 1, false);
    else if (e.outcome === 'abandoned') {
      // Nobody heard who answered an abandoned call: a person with the share persons have among
      // the answers passed to agents (the rest are machines AMD let through).
      const b = this.options.beliefs ?? this.beliefs;
      this.person(e.at, b ? b.personRate(e.numberType) : 1, true);
    }
  }

  private person(at: number, weight: number, abandoned: boolean): void {
    this.controller.live(at, weight, abandoned ? weight : 0);
    if (this.fpShare > 0) this.controller.live(at, weight * this.fpShare, weight * this.fpShare, true);
  }

  pace(view: PacingView, explain: boolean): Pace {
    this.beliefs = view.beliefs;
    const b = this.options.beliefs ?? view.beliefs;
    const now = view.now;
    const patience = Math.min(this.settings.profile.connectWithinSeconds, 10);
    const amd = this.settings.amd.enabled ? b.amdSeconds() : 0;
    const team = b.teamMeans();
    const liveRate = view.active / Math.max(1, team.talk + team.wrap);
    const cs = this.controller.state(now, liveRate, view.open);
    const theta = cs.theta;

    const H = this.horizons;
    const nh = H.length;
    for (let j = 0; j < nh; j++) {
      H[j] = b.ringQuantile(HORIZON_QUANTILES[j]!) + amd;
      this.balances[j]!.reset();
      this.balances[j]!.constant(-view.freeReady);
    }
    // Busy agents: P(free within each horizon, plus the time a live answer waits for an agent).
    for (const a of view.agents) {
      if ((a.status !== 'talking' && a.status !== 'wrapup') || view.reserved.has(a.id)) continue;
      const p = b.agentPace(a.id);
      const e = (now - a.since) / 1000;
      const wrapping = a.status === 'wrapup';
      const mu = wrapping ? p.wrapMu : p.talkMu;
      const sigma = wrapping ? p.wrapSigma : p.talkSigma;
      // A talking agent still wraps up after the call: its median wrap-up is taken off the horizon.
      const shift = wrapping ? 0 : Math.exp(p.wrapMu);
      const fa = lognormalCdf(e, mu, sigma);
      const tail = 1 - fa;
      for (let j = 0; j < nh; j++) {
        const x = e + H[j]! + patience - shift;
        const f = x <= e ? 0 : tail < 1e-9 ? 1 : (lognormalCdf(x, mu, sigma) - fa) / tail;
        this.balances[j]!.supply(f);
      }
    }
    // Calls in flight: waiting ones need an agent now, ones in AMD if it passes them, ringing ones
    // if they are answered within the horizon (given how long they have rung) and pass.
    for (const c of view.calls) {
      if (c.phase === 'waiting') {
        for (let j = 0; j < nh; j++) this.balances[j]!.constant(1);
        continue;
      }
      const pass = b.passRate(c.numberType, c.placedAt);
      if (c.phase === 'amd') {
        for (let j = 0; j < nh; j++) this.balances[j]!.demand(pass);
        continue;
      }
      const pa = b.answerRate(c.numberType, c.placedAt, c.contact);
      const e = (now - c.since) / 1000;
      const f0 = b.ringCdf(e);
      const unanswered = 1 - pa * f0;
      for (let j = 0; j < nh; j++) {
        const p = unanswered <= 1e-9 ? pass : Math.max(0, (pa * (b.ringCdf(e + H[j]! - amd) - f0)) / unanswered) * pass;
        this.balances[j]!.demand(p);
      }
    }

    // The progressive floor: calls every ready agent would take even if all of them went live.
    const floor = Math.max(0, Math.min(view.cap, view.freeReady - view.calls.length));
    let n = 0;
    let risk = 0;
    let expected = 0;
    for (;;) {
      risk = 0;
      for (const bal of this.balances) risk += bal.risk();
      risk /= this.balances.length;
      if (n >= view.cap) break;
      if (n >= floor && risk > theta) break;
      const type: NumberType | undefined = view.candidateType(n);
      if (type === undefined) break;
      const pa = b.answerRate(type, now, view.candidateContact(n));
      const pass = b.passRate(type, now);
      for (let j = 0; j < nh; j++) this.balances[j]!.demand(pa * b.ringCdf(H[j]! - amd) * pass);
      expected += risk * pa * pass * b.personRate(type);
      n++;
    }
    if (expected > 0) this.controller.expect(now, expected);
    const pace: Pace = { calls: n };
    // No risk to spend: the calls go out as progressive ones, each kept for a ready agent, so not
    // even an agent pausing meanwhile can leave one without an agent.
    if (theta <= 0) pace.reserve = n;
    if (explain) pace.reasons = this.explain(view, n, risk, cs);
    return pace;
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

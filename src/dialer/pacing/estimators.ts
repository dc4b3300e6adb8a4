import { clamp, lognormalFromMean, normalCdf } from './math.js';
import { NUMBER_TYPES, type NumberType, type Prior } from './types.js';

/**
 * Online estimators of what the predictor needs, each learning from the events of the calls the
 * dialer placed. Recent evidence counts more (exponential forgetting with a time constant), so a
 * sudden change in who answers is learnt within minutes, and a prior carries the estimate until
 * there is evidence.
 */

/** Successes out of trials, both decaying by e^(-Δt/τ). */
export class DecayingRate {
  s = 0;
  n = 0;
  private last = -Infinity;

  constructor(readonly tauSeconds: number) {}

  add(at: number, success: boolean, weight = 1): void {
    this.decay(at);
    this.n += weight;
    if (success) this.s += weight;
  }

  decay(at: number): void {
    if (this.last !== -Infinity && at > this.last) {
      const f = Math.exp(-(at - this.last) / 1000 / this.tauSeconds);
      this.s *= f;
      this.n *= f;
    }
    if (at > this.last) this.last = at;
  }

  /** The rate, shrunk towards `prior` with the weight of `priorWeight` trials. */
  rate(prior: number, priorWeight: number): number {
    return (this.s + prior * priorWeight) / (this.n + priorWeight);
  }
}

/** Mean and variance of a quantity (here: logarithms of durations), decaying. */
export class DecayingMoments {
  w = 0;
  sum = 0;
  sum2 = 0;
  private last = -Infinity;

  constructor(readonly tauSeconds: number) {}

  add(at: number, x: number): void {
    if (this.last !== -Infinity && at > this.last) {
      const f = Math.exp(-(at - this.last) / 1000 / this.tauSeconds);
      this.w *= f;
      this.sum *= f;
      this.sum2 *= f;
    }
    if (at > this.last) this.last = at;
    this.w += 1;
    this.sum += x;
    this.sum2 += x * x;
  }

  mean(prior: number, priorWeight: number): number {
    return (this.sum + prior * priorWeight) / (this.w + priorWeight);
  }

  sd(prior: number, priorWeight: number): number {
    if (this.w < 2) return prior;
    const m = this.sum / this.w;
    const v = Math.max(0, this.sum2 / this.w - m * m);
    return Math.sqrt((v * this.w + prior * prior * priorWeight) / (this.w + priorWeight));
  }
}

const HOURS = 24;

/**
 * Answer probability per number type and hour of day, and the share of answers AMD passes to an
 * agent. The estimate for a type at an hour blends (a) the last minutes of that type, forgotten
 * with τ = 3 min, with (b) what that hour has looked like so far, itself shrunk to the type's
 * whole-campaign rate and that to the prior.
 */
export class AnswerModel {
  private readonly recent = NUMBER_TYPES.map(() => new DecayingRate(180));
  private readonly byHour = NUMBER_TYPES.map(() => Array.from({ length: HOURS }, () => new DecayingRate(7 * 86_400)));
  private readonly overall = NUMBER_TYPES.map(() => new DecayingRate(2 * 86_400));
  private readonly pass = NUMBER_TYPES.map(() => new DecayingRate(900));
  private readonly human = NUMBER_TYPES.map(() => new DecayingRate(1800));
  private readonly all = new DecayingRate(180);

  constructor(private readonly prior: Prior) {}

  /** A dial ended unanswered (busy, no answer, failed) or was answered. */
  attempt(at: number, type: NumberType, hour: number, answered: boolean): void {
    const t = NUMBER_TYPES.indexOf(type);
    this.recent[t]!.add(at, answered);
    this.byHour[t]![hour]!.add(at, answered);
    this.overall[t]!.add(at, answered);
    this.all.add(at, answered);
  }

  /** AMD's verdict on an answer: passed to an agent or not. */
  verdict(at: number, type: NumberType, passed: boolean): void {
    this.pass[NUMBER_TYPES.indexOf(type)]!.add(at, passed);
  }

  /** A call passed to an agent turned out a person, or a machine (AMD missed it, or there was no AMD). */
  person(at: number, type: NumberType, person: boolean): void {
    this.human[NUMBER_TYPES.indexOf(type)]!.add(at, person);
  }

  answerRate(type: NumberType, hour: number, at: number): number {
    const t = NUMBER_TYPES.indexOf(type);
    const recent = this.recent[t]!;
    recent.decay(at);
    const campaign = this.all;
    campaign.decay(at);
    // The campaign's recent rate (all types) stands in for a type with little recent evidence.
    const anyType = campaign.rate(this.prior.answerRate, 4);
    const overall = this.overall[t]!.rate(anyType, 10);
    const hourly = this.byHour[t]![hour]!.rate(overall, 20);
    // A type whose hour history disagrees with the campaign's last minutes follows the minutes.
    const blend = recent.rate(hourly, 8);
    return clamp(blend, 0.001, 0.999);
  }

  /**
   * The answer rate, raised by its uncertainty (z standard errors over the type's evidence): more
   * answers than expected is what drops calls, so while little is known the predictor assumes more.
   */
  answerRateBound(type: NumberType, hour: number, at: number, z: number): number {
    const p = this.answerRate(type, hour, at);
    const n = this.overall[NUMBER_TYPES.indexOf(type)]!.n;
    return clamp(p + z * Math.sqrt((p * (1 - p)) / (n + 4)), 0.001, 0.999);
  }

  passRate(type: NumberType): number {
    return clamp(this.pass[NUMBER_TYPES.indexOf(type)]!.rate(this.prior.passRate, 10), 0.01, 1);
  }

  /** P(person | passed to an agent). */
  personRate(type: NumberType): number {
    return clamp(this.human[NUMBER_TYPES.indexOf(type)]!.rate(this.prior.humanRate, 10), 0.01, 1);
  }

  /** Evidence behind the campaign-wide rate (decayed trials). */
  get evidence(): number {
    return this.all.n;
  }
}

/**
 * Time from dial to answer, for answered calls: a histogram of one-second bins with forgetting
 * (τ = 30 min) over a prior of 20 calls with a log-normal shape around the prior mean.
 */
export class RingTimes {
  private readonly bins: Float64Array;
  private readonly cum: Float64Array;
  private dirty = true;
  private last = -Infinity;
  private total = 0;

  constructor(
    private readonly maxSeconds: number,
    prior: Prior,
    private readonly tauSeconds = 1800,
  ) {
    this.bins = new Float64Array(maxSeconds + 2);
    this.cum = new Float64Array(maxSeconds + 2);
    const { mu, sigma } = lognormalFromMean(Math.max(1, prior.ringSeconds), 0.5);
    let prev = 0;
    for (let b = 0; b < this.bins.length; b++) {
      const c = b === this.bins.length - 1 ? 1 : normalCdf((Math.log(b + 1) - mu) / sigma);
      this.bins[b] = 20 * (c - prev);
      prev = c;
    }
    this.total = 20;
  }

  add(at: number, seconds: number): void {
    if (this.last !== -Infinity && at > this.last) {
      const f = Math.exp(-(at - this.last) / 1000 / this.tauSeconds);
      // Keep the prior's share from vanishing entirely: floor the decay at a total of 20.
      if (this.total * f >= 20) {
        for (let b = 0; b < this.bins.length; b++) this.bins[b]! *= f;
        this.total *= f;
      }
    }
    if (at > this.last) this.last = at;
    const b = Math.min(this.bins.length - 1, Math.max(0, Math.floor(seconds)));
    this.bins[b]! += 1;
    this.total += 1;
    this.dirty = true;
  }

  /** P(answered within s seconds | answered). */
  cdf(s: number): number {
    if (s <= 0) return 0;
    if (this.dirty) {
      let c = 0;
      for (let b = 0; b < this.bins.length; b++) {
        c += this.bins[b]!;
        this.cum[b] = c / this.total;
      }
      this.dirty = false;
    }
    const b = Math.floor(s);
    if (b >= this.cum.length) return 1;
    // Linear within the bin.
    const lo = b === 0 ? 0 : this.cum[b - 1]!;
    return lo + (this.cum[b]! - lo) * (s - b);
  }

  /** The q-quantile of answer times (seconds). */
  quantile(q: number): number {
    this.cdf(1);
    for (let b = 0; b < this.cum.length; b++) {
      if (this.cum[b]! >= q) {
        const lo = b === 0 ? 0 : this.cum[b - 1]!;
        const span = this.cum[b]! - lo;
        return b + (span > 0 ? (q - lo) / span : 0);
      }
    }
    return this.maxSeconds;
  }
}

interface AgentStats {
  talk: DecayingMoments;
  wrap: DecayingMoments;
  cached?: AgentPace;
  version: number;
}

/** Log-normal parameters of an agent's talk and wrap-up times. */
export interface AgentPace {
  talkMu: number;
  talkSigma: number;
  wrapMu: number;
  wrapSigma: number;
}

/**
 * Each agent's own talk and wrap-up times, log-normal: the agent's log-mean is shrunk to the
 * team's with the weight of 5 calls (a new agent starts at the team's pace, which starts at the
 * prior), the spread is the team's. Parameters are computed once per change, not per decision.
 */
export class AgentTimes {
  private readonly agents = new Map<string, AgentStats>();
  private readonly teamTalk = new DecayingMoments(4 * 3600);
  private readonly teamWrap = new DecayingMoments(4 * 3600);
  private readonly priorTalk: { mu: number; sigma: number };
  private readonly priorWrap: { mu: number; sigma: number };
  private version = 0;
  private team?: AgentPace;

  constructor(prior: Prior) {
    this.priorTalk = lognormalFromMean(Math.max(1, prior.talkSeconds), 0.8);
    this.priorWrap = lognormalFromMean(Math.max(0.5, prior.wrapSeconds), 0.6);
  }

  add(at: number, agent: string, talkSeconds: number, wrapSeconds: number): void {
    let a = this.agents.get(agent);
    if (!a) this.agents.set(agent, (a = { talk: new DecayingMoments(4 * 3600), wrap: new DecayingMoments(4 * 3600), version: -1 }));
    const lt = Math.log(Math.max(0.5, talkSeconds));
    const lw = Math.log(Math.max(0.5, wrapSeconds));
    a.talk.add(at, lt);
    a.wrap.add(at, lw);
    this.teamTalk.add(at, lt);
    this.teamWrap.add(at, lw);
    this.version++;
    this.team = undefined;
  }

  private teamPace(): AgentPace {
    if (!this.team) {
      this.team = {
        talkMu: this.teamTalk.mean(this.priorTalk.mu, 3),
        talkSigma: this.teamTalk.sd(this.priorTalk.sigma, 10),
        wrapMu: this.teamWrap.mean(this.priorWrap.mu, 3),
        wrapSigma: this.teamWrap.sd(this.priorWrap.sigma, 10),
      };
    }
    return this.team;
  }

  /** Log-normal parameters of an agent's talk and wrap-up. */
  pace(agent: string): AgentPace {
    const team = this.teamPace();
    const a = this.agents.get(agent);
    if (!a) return team;
    if (a.version !== this.version || !a.cached) {
      a.cached = { talkMu: a.talk.mean(team.talkMu, 5), talkSigma: team.talkSigma, wrapMu: a.wrap.mean(team.wrapMu, 5), wrapSigma: team.wrapSigma };
      a.version = this.version;
    }
    return a.cached;
  }

  /** Mean talk and wrap-up of the team (seconds). */
  teamMeans(): { talk: number; wrap: number } {
    const p = this.teamPace();
    return { talk: Math.exp(p.talkMu + (p.talkSigma * p.talkSigma) / 2), wrap: Math.exp(p.wrapMu + (p.wrapSigma * p.wrapSigma) / 2) };
  }
}

/** How long AMD takes to decide (seconds), smoothed. */
export class AmdTimes {
  private readonly m = new DecayingMoments(1800);
  constructor(private readonly prior: Prior) {}
  add(at: number, seconds: number): void {
    this.m.add(at, seconds);
  }
  get mean(): number {
    return this.m.mean(this.prior.amdSeconds, 5);
  }
}

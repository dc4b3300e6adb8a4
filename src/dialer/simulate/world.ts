import { localTime } from '../../callflow/site-state.js';
import { lognormalCdf, lognormalFromMean } from '../pacing/math.js';
import type { Beliefs } from '../pacing/policy.js';
import type { NumberType } from '../pacing/types.js';
import { draw, lognormal, Xoshiro128 } from './random.js';
import type { Scenario } from './scenario.js';

/** Names of the draws, so two draws about one thing never share a stream. */
const D = { outcome: 1, answer: 2, ring1: 3, ring2: 4, machine: 5, amd1: 6, amd2: 7, verdict: 8, callback: 9, callbackAt: 10 } as const;
const AGENT = 1_000_000;

export interface ContactTruth {
  count: number;
  numbers: Float64Array;
  types: NumberType[];
  /** Zone name per contact. */
  zones: string[];
  numberCount: Uint8Array;
  priority: Int16Array;
  propensity: Float64Array;
  doNotCall: Set<number>;
}

export type AttemptTruth =
  | { kind: 'failed' | 'busy' | 'noAnswer'; after: number }
  | { kind: 'answered'; after: number; machine: boolean; amdSeconds: number; amdPasses: boolean };

/**
 * The simulated world: who the callees are and how they answer, how long each agent talks and
 * wraps up. Every draw is named (contact, attempt, what), so all policies meet the same world.
 */
export class World {
  readonly agentTalk: number[];
  readonly agentWrap: number[];
  readonly contacts: ContactTruth;
  private readonly ring: { mu: number; sigma: number };

  constructor(readonly sc: Scenario) {
    const rng = new Xoshiro128(sc.seed);
    const a = sc.agents;
    this.agentTalk = [];
    this.agentWrap = [];
    for (let i = 0; i < a.count; i++) {
      // Each agent's own pace: a log multiplier with mean 1.
      const mt = Math.exp(a.spread * rng.normal() - (a.spread * a.spread) / 2);
      const mw = Math.exp(a.spread * rng.normal() - (a.spread * a.spread) / 2);
      this.agentTalk.push(a.talkMean * mt);
      this.agentWrap.push(a.wrapMean * mw);
    }
    this.ring = lognormalFromMean(sc.answer.ringMean, sc.answer.ringCv);
    this.contacts = this.makeContacts(rng);
  }

  private makeContacts(rng: Xoshiro128): ContactTruth {
    const sc = this.sc;
    const n = sc.contacts.count > 0 ? sc.contacts.count : this.enoughContacts();
    const numbers = new Float64Array(n * 4);
    const types: NumberType[] = new Array(n * 4);
    const zones: string[] = new Array(n);
    const numberCount = new Uint8Array(n);
    const priority = new Int16Array(n);
    const propensity = new Float64Array(n);
    const doNotCall = new Set<number>();
    const shares = sc.contacts.numbers;
    const zoneList = sc.contacts.zones.length > 0 ? sc.contacts.zones : [{ timezone: sc.settings.timezone, share: 1 }];
    const zoneTotal = zoneList.reduce((s, z) => s + z.share, 0);
    const spread = sc.contacts.propensitySpread;
    for (let c = 0; c < n; c++) {
      let u = rng.next() * (shares[0] + shares[1] + shares[2] + shares[3]);
      let k = 1;
      while (k < 4 && u > shares[k - 1]!) u -= shares[k++ - 1]!;
      numberCount[c] = k;
      let z = rng.next() * zoneTotal;
      let zi = 0;
      while (zi < zoneList.length - 1 && z > zoneList[zi]!.share) z -= zoneList[zi++]!.share;
      zones[c] = zoneList[zi]!.timezone;
      priority[c] = sc.contacts.priorities > 1 ? Math.floor(rng.next() * sc.contacts.priorities) : 0;
      propensity[c] = spread > 0 ? Math.exp(spread * rng.normal() - (spread * spread) / 2) : 1;
      for (let j = 0; j < k; j++) {
        const num = 48_500_000_000 + c * 4 + j;
        numbers[c * 4 + j] = num;
        types[c * 4 + j] = rng.next() < sc.contacts.mobileShare ? 'mobile' : 'landline';
        if (rng.next() < sc.contacts.doNotCallShare) doNotCall.add(num);
      }
    }
    return { count: n, numbers, types, zones, numberCount, priority, propensity, doNotCall };
  }

  /** Contacts for the whole run with room to spare: about three times the persons the agents could reach. */
  private enoughContacts(): number {
    const sc = this.sc;
    const perAgent = (sc.hours * 3600) / (sc.agents.talkMean + sc.agents.wrapMean);
    const reachable = sc.agents.count * perAgent * sc.days;
    const rate = Math.max(0.02, sc.answer.rate);
    return Math.ceil(Math.min(2_000_000, Math.max(200, (reachable * 3) / Math.min(1, rate * 2))));
  }

  /** P(answered, ignoring the ring timeout) for one attempt. */
  answerProbability(contact: number, type: NumberType, zone: string, at: number): number {
    const a = this.sc.answer;
    const hour = Math.floor(localTime(new Date(at), zone).minute / 60);
    let p = a.rate * (type === 'landline' ? a.landlineFactor : 1) * (a.hourly[hour] ?? 1) * this.shiftFactor(at);
    if (contact >= 0) p *= this.contacts.propensity[contact]!;
    return Math.min(0.97, p);
  }

  shiftFactor(at: number): number {
    let f = 1;
    const minutes = (at - this.sc.start) / 60_000;
    for (const s of this.sc.answer.shifts) if (minutes >= s.atMinutes) f = s.factor;
    return f;
  }

  machineShare(type: NumberType): number {
    return type === 'landline' ? this.sc.answer.machineLandline : this.sc.answer.machineMobile;
  }

  /** What happens on the attempt-th call to a contact's number, placed at `at`. */
  attempt(contact: number, attempt: number, k: number, at: number, ringTimeout: number): AttemptTruth {
    const sc = this.sc;
    const seed = sc.seed;
    const id = contact * 4 + k;
    const u = draw(seed, id, attempt, D.outcome);
    if (u < sc.answer.failedShare) return { kind: 'failed', after: 2 };
    if (u < sc.answer.failedShare + sc.answer.busyShare) return { kind: 'busy', after: 5 };
    const type = this.contacts.types[id]!;
    const p = this.answerProbability(contact, type, this.contacts.zones[contact]!, at);
    const ring = lognormal(sc.answer.ringMean, sc.answer.ringCv, draw(seed, id, attempt, D.ring1), draw(seed, id, attempt, D.ring2));
    if (draw(seed, id, attempt, D.answer) >= p || ring >= ringTimeout) return { kind: 'noAnswer', after: ringTimeout };
    const machine = draw(seed, id, attempt, D.machine) < this.machineShare(type);
    const amdSeconds = lognormal(sc.amd.delayMean, sc.amd.delayCv, draw(seed, id, attempt, D.amd1), draw(seed, id, attempt, D.amd2));
    const v = draw(seed, id, attempt, D.verdict);
    const amdPasses = machine ? v >= sc.amd.truePositive : v >= sc.amd.falsePositive;
    return { kind: 'answered', after: ring, machine, amdSeconds, amdPasses };
  }

  /** Minutes until the callback a person asks for on this attempt, or undefined. */
  callback(contact: number, attempt: number): number | undefined {
    const a = this.sc.answer;
    if (draw(this.sc.seed, contact, attempt, D.callback) >= a.callbackShare) return undefined;
    return a.callbackMinutes[0] + (a.callbackMinutes[1] - a.callbackMinutes[0]) * draw(this.sc.seed, contact, attempt, D.callbackAt);
  }

  /** The agent's j-th talk and wrap-up (seconds). A machine the agent finds takes a few seconds. */
  talk(agent: number, j: number, machine: boolean): number {
    const s = this.sc.seed;
    if (machine) return 3 + 5 * draw(s, AGENT + agent, j, 1);
    return Math.max(2, lognormal(this.agentTalk[agent]!, this.sc.agents.talkCv, draw(s, AGENT + agent, j, 2), draw(s, AGENT + agent, j, 3)));
  }

  wrap(agent: number, j: number, machine: boolean): number {
    const s = this.sc.seed;
    if (machine) return 2;
    return Math.max(0.5, lognormal(this.agentWrap[agent]!, this.sc.agents.wrapCv, draw(s, AGENT + agent, j, 4), draw(s, AGENT + agent, j, 5)));
  }

  breakLength(agent: number, j: number): number {
    const s = this.sc.seed;
    return 60 * lognormal(this.sc.agents.breakMinutes, 0.3, draw(s, AGENT + agent, 10_000 + j, 6), draw(s, AGENT + agent, 10_000 + j, 7));
  }

  breakGap(agent: number, j: number): number {
    return 60 * this.sc.agents.breakEveryMinutes * (0.75 + 0.5 * draw(this.sc.seed, AGENT + agent, 20_000 + j, 8));
  }

  previewRead(agent: number, j: number): { seconds: number; skip: boolean } {
    const s = this.sc.seed;
    return {
      seconds: lognormal(this.sc.preview.readMean, 0.4, draw(s, AGENT + agent, 30_000 + j, 9), draw(s, AGENT + agent, 30_000 + j, 10)),
      skip: draw(s, AGENT + agent, 30_000 + j, 11) < this.sc.preview.skipShare,
    };
  }

  /** Mean occupancy no dialer can pass: each agent's talk / (talk + wrap-up), averaged. */
  ceiling(): number {
    let s = 0;
    for (let i = 0; i < this.agentTalk.length; i++) s += this.agentTalk[i]! / (this.agentTalk[i]! + this.agentWrap[i]!);
    return s / Math.max(1, this.agentTalk.length);
  }

  /** The world's true parameters as beliefs: what the statistical oracle knows (never an outcome). */
  truth(agentIndex: (id: string) => number): Beliefs {
    const sc = this.sc;
    const T = sc.settings.predictive.ringTimeoutSeconds;
    const ringAnswered = lognormalCdf(T, this.ring.mu, this.ring.sigma);
    const talk = this.agentTalk.map((m) => lognormalFromMean(m, sc.agents.talkCv));
    const wrap = this.agentWrap.map((m) => lognormalFromMean(m, sc.agents.wrapCv));
    const amd = sc.settings.amd.enabled;
    const contacts = this.contacts;
    const paces = talk.map((t, i) => ({ talkMu: t.mu, talkSigma: t.sigma, wrapMu: wrap[i]!.mu, wrapSigma: wrap[i]!.sigma }));
    return {
      answerRate: (type, at, contact) => {
        const zone = contact !== undefined && contact >= 0 ? contacts.zones[contact]! : sc.settings.timezone;
        const answered = (1 - sc.answer.failedShare - sc.answer.busyShare) * this.answerProbability(contact ?? -1, type, zone, at);
        return answered * ringAnswered;
      },
      passRate: (type) => {
        if (!amd) return 1;
        const m = this.machineShare(type);
        return (1 - m) * (1 - sc.amd.falsePositive) + m * (1 - sc.amd.truePositive);
      },
      personRate: (type) => {
        const m = this.machineShare(type);
        const person = (1 - m) * (amd ? 1 - sc.amd.falsePositive : 1);
        const machine = m * (amd ? 1 - sc.amd.truePositive : 1);
        return person / Math.max(1e-9, person + machine);
      },
      ringCdf: (s) => Math.min(1, lognormalCdf(Math.min(s, T), this.ring.mu, this.ring.sigma) / ringAnswered),
      ringQuantile: (q) => {
        // Bisection on the truncated distribution.
        let lo = 0;
        let hi = T;
        for (let i = 0; i < 30; i++) {
          const mid = (lo + hi) / 2;
          if (lognormalCdf(mid, this.ring.mu, this.ring.sigma) / ringAnswered < q) lo = mid;
          else hi = mid;
        }
        return (lo + hi) / 2;
      },
      amdSeconds: () => (amd ? sc.amd.delayMean : 0),
      agentPace: (agent: string) => paces[agentIndex(agent)]!,
      teamMeans: () => ({
        talk: this.agentTalk.reduce((s, x) => s + x, 0) / Math.max(1, this.agentTalk.length),
        wrap: this.agentWrap.reduce((s, x) => s + x, 0) / Math.max(1, this.agentWrap.length),
      }),
    };
  }
}

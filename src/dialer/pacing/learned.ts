import { localTime } from '../../callflow/site-state.js';
import { AgentTimes, AmdTimes, AnswerModel, RingTimes, type AgentPace } from './estimators.js';
import type { Beliefs } from './policy.js';
import type { DialerEvent, NumberType, PacingSettings } from './types.js';

/** The dialer's beliefs, learnt from the events of its own calls. */
export class LearnedBeliefs implements Beliefs {
  readonly answers: AnswerModel;
  readonly rings: RingTimes;
  readonly amd: AmdTimes;
  readonly agents: AgentTimes;
  private hourMinute = NaN;
  private hour = 0;
  /** Calls answered, so the end of an unanswered one can be told apart. */
  private readonly answered = new Set<string>();

  constructor(private readonly settings: PacingSettings) {
    this.answers = new AnswerModel(settings.prior);
    this.rings = new RingTimes(Math.max(10, Math.ceil(settings.predictive.ringTimeoutSeconds)), settings.prior);
    this.amd = new AmdTimes(settings.prior);
    this.agents = new AgentTimes(settings.prior);
  }

  /** Hour of day in the campaign's time zone (computed once a minute). */
  hourOf(at: number): number {
    const minute = Math.floor(at / 60_000);
    if (minute !== this.hourMinute) {
      this.hourMinute = minute;
      this.hour = Math.floor(localTime(new Date(at), this.settings.timezone).minute / 60);
    }
    return this.hour;
  }

  observe(e: DialerEvent): void {
    switch (e.type) {
      case 'answered':
        this.answered.add(e.call);
        this.answers.attempt(e.at, e.numberType, this.hourOf(e.at), true);
        this.rings.add(e.at, e.ringSeconds);
        if (!this.settings.amd.enabled) this.answers.verdict(e.at, e.numberType, true);
        break;
      case 'amd':
        this.amd.add(e.at, e.seconds);
        break;
      case 'ended': {
        const wasAnswered = this.answered.delete(e.call);
        if (!wasAnswered && (e.outcome === 'busy' || e.outcome === 'noAnswer' || e.outcome === 'failed')) {
          this.answers.attempt(e.at, e.numberType, this.hourOf(e.at), false);
        }
        if (this.settings.amd.enabled && wasAnswered) {
          // Passed to an agent unless AMD hung up on a machine.
          this.answers.verdict(e.at, e.numberType, e.outcome !== 'machine');
        }
        if (e.outcome === 'connected') this.answers.person(e.at, e.numberType, !e.machine);
        break;
      }
      case 'agent-done':
        if (!e.machine) this.agents.add(e.at, e.agent, e.talkSeconds, e.wrapSeconds);
        break;
      default:
        break;
    }
  }

  answerRate(type: NumberType, at: number): number {
    return this.answers.answerRateBound(type, this.hourOf(at), at, 1);
  }

  passRate(type: NumberType): number {
    return this.settings.amd.enabled ? this.answers.passRate(type) : 1;
  }

  personRate(type: NumberType): number {
    return this.answers.personRate(type);
  }

  ringCdf(s: number): number {
    return this.rings.cdf(s);
  }

  ringQuantile(q: number): number {
    return this.rings.quantile(q);
  }

  amdSeconds(): number {
    return this.settings.amd.enabled ? this.amd.mean : 0;
  }

  agentPace(agent: string): AgentPace {
    return this.agents.pace(agent);
  }

  teamMeans(): { talk: number; wrap: number } {
    return this.agents.teamMeans();
  }
}

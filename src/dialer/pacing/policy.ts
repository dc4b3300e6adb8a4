import type { AgentPace } from './estimators.js';
import type { AgentView, CallView, DialerEvent, NumberType, PacingSettings, Reason } from './types.js';

/**
 * What a pacing policy believes about the campaign: learnt online by the dialer (LearnedBeliefs),
 * or, for the statistical oracle in the simulator, the simulation's true parameters.
 */
export interface Beliefs {
  /** P(a call placed at `at` to a number of this type is answered); the contact, where the caller knows it (the oracle uses it). */
  answerRate(type: NumberType, at: number, contact?: number): number;
  /** P(AMD passes an answer to an agent); 1 without AMD. */
  passRate(type: NumberType, at: number): number;
  /** P(a person | passed to an agent): the rest are machines AMD missed (or all machines, without AMD). */
  personRate(type: NumberType): number;
  /** P(answered within s seconds | answered). */
  ringCdf(s: number): number;
  ringQuantile(q: number): number;
  /** Mean time AMD takes to decide (0 without AMD). */
  amdSeconds(): number;
  /** Log-normal parameters of the agent's talk and wrap-up times. */
  agentPace(agent: string): AgentPace;
  /** Mean talk and wrap-up of the team, seconds. */
  teamMeans(): { talk: number; wrap: number };
}

/** The dialer's state as a policy sees it when deciding how many predictive calls to place. */
export interface PacingView {
  readonly now: number;
  readonly settings: PacingSettings;
  /** Every agent the dialer knows. */
  readonly agents: readonly AgentView[];
  /** Ready agents no record or call is reserved for: the ones predictive calls go to. */
  readonly freeReady: number;
  /** Agents reserved for a record or a call of their own (progressive, preview, callbacks). */
  readonly reserved: ReadonlySet<string>;
  /** Agents working the campaign: ready, talking or in wrap-up. */
  readonly active: number;
  /** Predictive calls (placed for no agent) not yet connected. */
  readonly calls: readonly CallView[];
  /** Calls connected to an agent. */
  readonly connected: number;
  /** At most this many calls may be placed now (channels, the ratio cap, contacts due). */
  readonly cap: number;
  /**
   * Contacts not finished (pending, in a call, reserved, waiting for a callback), counted at most
   * a few seconds ago: the most persons the list can still bring, whatever the agents could take.
   */
  readonly open: number;
  /** Type of the number the k-th next call would dial (k from 0), or undefined when no contact is due. */
  candidateType(k: number): NumberType | undefined;
  /** The contact the k-th next call would dial (after candidateType(k) said there is one). */
  candidateContact(k: number): number;
  readonly beliefs: Beliefs;
}

export interface Pace {
  /** Predictive calls to place now. */
  calls: number;
  /**
   * Of those, how many to place for a ready agent each (longest waiting first), who is kept for
   * that call: progressive calls, as it were, that no agent pausing meanwhile can leave unanswered.
   */
  reserve?: number;
  /** The policy's own dial level, if it keeps one (VICIdial). */
  level?: number;
  reasons?: Reason[];
}

/** How many calls to place, and why: one interface for our predictor, the references and the bounds. */
export interface PacingPolicy {
  readonly id: string;
  readonly label: string;
  /** Learn from what happened (the dialer passes every event on). */
  observe?(event: DialerEvent): void;
  pace(view: PacingView, explain: boolean): Pace;
}

import type { Pace, PacingPolicy, PacingView } from '../../pacing/policy.js';
import type { DialerEvent } from '../../pacing/types.js';

export interface IssabelOptions {
  /** dialer "overcommit": divide by the answer-seizure ratio of the last 30 minutes (default off). */
  overcommit: boolean;
  /** dialer "qos" (default 0.97). */
  qos?: number;
  /** dialer "tiempo_contestar": the answer time assumed until 20 answers were seen (default 8 s). */
  answerSeconds?: number;
}

/**
 * A reference implementation of Issabel CallCenter's predictor, written from its public source
 * (GPL; no code copied): setup/dialer_process/dialer/Predictor.class.php and CampaignProcess.class.php
 * in github.com/IssabelFoundation/callcenter at commit 861d28492600e32f6de3e2fa220598dcdd20657d.
 * What it follows:
 *
 * - Free agents are queue members not paused whose device state is NOT_INUSE or RINGING
 *   (Predictor.class.php, infoPrediccionCola). Asterisk's queue wrap-up time does not change a
 *   member's device state, so an agent in wrap-up counts as free.
 * - Agents "about to be free": members in a queue call, counted when the chance that a call of the
 *   campaign's mean duration has ended after (its elapsed time + the mean answer time) is at least
 *   qos, with an exponential (Erlang k = 1) duration (predecirNumeroLlamadas,
 *   _probabilidadErlangAcumulada); only once the campaign has 10 completed calls (MIN_MUESTRAS,
 *   CampaignProcess.class.php l. 25 and 524).
 * - Calls to place = free + about to be free − callers waiting in the queue, minus calls placed and
 *   not answered yet (CampaignProcess.class.php l. 537-571).
 * - Overcommit (off by default): divided by the share of calls answered in the last 30 minutes,
 *   at least 0.20, once 10 calls were placed in that time (l. 589-617).
 * - The mean duration is the running mean of connected calls; the answer time the mean of the
 *   last 20 answers, padded with the default (Campania.class.php, leerTiempoContestar).
 */
export class IssabelPolicy implements PacingPolicy {
  readonly id: string;
  readonly label: string;
  private completed = 0;
  private meanDuration = 0;
  private readonly answerTimes: number[] = [];
  private readonly recent: { at: number; answered: boolean }[] = [];
  private readonly o: Required<IssabelOptions>;

  constructor(options: IssabelOptions) {
    this.o = { qos: 0.97, answerSeconds: 8, ...options };
    this.id = options.overcommit ? 'issabel-overcommit' : 'issabel';
    this.label = options.overcommit ? 'Issabel predictor, overcommit' : 'Issabel predictor';
  }

  observe(e: DialerEvent): void {
    if (e.type === 'answered') {
      this.answerTimes.push(e.ringSeconds);
      if (this.answerTimes.length > 20) this.answerTimes.shift();
    } else if (e.type === 'agent-done') {
      this.completed++;
      this.meanDuration += (e.talkSeconds - this.meanDuration) / this.completed;
    } else if (e.type === 'ended' && !e.reserved) {
      this.recent.push({ at: e.at, answered: e.outcome !== 'noAnswer' && e.outcome !== 'failed' && e.outcome !== 'busy' });
    }
  }

  pace(view: PacingView, explain: boolean): Pace {
    const now = view.now;
    const answer = (this.answerTimes.reduce((s, x) => s + x, 0) + this.o.answerSeconds * Math.max(0, 20 - this.answerTimes.length)) / 20;
    let free = 0;
    let soon = 0;
    for (const a of view.agents) {
      if (view.reserved.has(a.id)) continue;
      if (a.status === 'ready' || a.status === 'wrapup') free++;
      else if (a.status === 'talking' && this.completed >= 10 && this.meanDuration > 0) {
        const t = (now - a.since) / 1000;
        if (1 - Math.exp(-(t + answer) / this.meanDuration) >= this.o.qos) soon++;
      }
    }
    let waiting = 0;
    let notAnswered = 0;
    for (const c of view.calls) {
      if (c.phase === 'waiting') waiting++;
      else notAnswered++;
    }
    let n = Math.max(0, free + soon - waiting);
    n = n > notAnswered ? n - notAnswered : 0;
    if (n > 0 && this.o.overcommit) {
      while (this.recent.length > 0 && this.recent[0]!.at < now - 1_800_000) this.recent.shift();
      const answered = this.recent.filter((r) => r.answered).length;
      if (this.recent.length >= 10 && answered > 0) n = Math.round(n / Math.max(0.2, answered / this.recent.length));
    }
    const pace: Pace = { calls: n };
    if (explain) pace.reasons = [{ code: 'issabel', text: `${free} free + ${soon} about to be free − ${waiting} waiting − ${notAnswered} not answered yet` }];
    return pace;
  }
}

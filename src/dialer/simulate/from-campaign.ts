import { campaignAgents, settingsFromCampaign } from '../campaign.js';
import { localTime } from '../../callflow/site-state.js';
import type { Campaign, Model } from '../../model/types.js';
import { scenario, type Scenario, type Shift } from './scenario.js';

export interface SimulationRequest {
  seed: number;
  /** Default: the primary members of the campaign's queue. */
  agents?: number;
  hours: number;
  days: number;
  answerRate: number;
  talkSeconds: number;
  /** Default: the queue's wrap-up time, at least 10 s. */
  wrapSeconds?: number;
  ringSeconds: number;
  /** Default: the campaign's. */
  amd?: boolean;
  shifts: Shift[];
  /** Default: the channels of the campaign's trunks, if they have a limit. */
  trunkChannels?: number;
  /** Share of agents who leave after half of the first day. */
  leaveShare: number;
}

/**
 * A simulated campaign shaped like a campaign of the model: its settings (mode, profile, window,
 * retries, AMD, callbacks, ratio cap, trunk channels), its team size, and a world described by the
 * request. The first day starts when the campaign's window opens, on the first Monday of March 2026
 * (a date with no daylight-saving change in either hemisphere's spring).
 */
export function campaignScenario(model: Model, c: Campaign, r: SimulationRequest): Scenario {
  const queue = model.queues.find((q) => q.name === c.queue);
  const wrap = r.wrapSeconds ?? Math.max(10, queue?.wrapup ?? 0);
  const settings = settingsFromCampaign(model, c);
  if (r.amd !== undefined) settings.amd = { ...settings.amd, enabled: r.amd };
  const agents = r.agents ?? Math.max(1, campaignAgents(model, c).length);
  return scenario({
    seed: r.seed,
    start: windowOpens(settings.timezone, c.window.from),
    days: r.days,
    hours: Math.min(r.hours, Math.max(1, (c.window.to - c.window.from) / 60)),
    settings,
    agents: { count: agents, talkMean: r.talkSeconds, wrapMean: wrap, leaveShare: r.leaveShare, leaveAfterHours: r.hours / 2 },
    answer: { rate: r.answerRate, ringMean: r.ringSeconds, shifts: r.shifts },
    ...(r.trunkChannels !== undefined && { trunkChannels: r.trunkChannels }),
  });
}

/** The instant the window opens on Monday 2 March 2026 in the campaign's zone. */
function windowOpens(timezone: string, minute: number): number {
  const noonUtc = Date.parse('2026-03-02T12:00:00Z');
  const local = localTime(new Date(noonUtc), timezone);
  return noonUtc + (minute - local.minute) * 60_000;
}

import { WEEKDAYS } from '../model/time.js';
import type { Campaign, Holiday, Model } from '../model/types.js';
import { complianceProfile } from './pacing/profiles.js';
import { DEFAULT_PRIOR } from './pacing/settings.js';
import type { PacingSettings, Prior, ProfileRule } from './pacing/types.js';

/** The pacing core's settings of a campaign of the normalized model. */
export function settingsFromCampaign(model: Model, c: Campaign, prior: Partial<Prior> = {}): PacingSettings {
  const off: Partial<Record<ProfileRule, string>> = { ...(c.compliance.off as Partial<Record<ProfileRule, string>>) };
  if (c.window.override !== undefined) off['calling-hours'] = c.window.override;
  const target = c.abandon.maxPercent / 100;
  // A target above the profile's limit is allowed only with abandon.override (rule abandon-rate-limit):
  // the override lifts the limit to the target.
  const limit = c.compliance.profile === 'custom' || c.abandon.override !== undefined ? Math.max(target, c.compliance.profile === 'custom' ? 0 : 0.03) : 0.03;
  const profile = complianceProfile({ id: c.compliance.profile, abandonLimit: limit, windowSeconds: c.abandon.windowSeconds, off });
  const queue = model.queues.find((q) => q.name === c.queue);
  const site = (name: string | undefined) => model.sites.find((s) => s.name === name);
  const timezone = c.contacts.timezone ?? site(c.holidaysOf)?.timezone ?? site(queue?.site)?.timezone ?? model.sites[0]?.timezone ?? 'UTC';
  const s: PacingSettings = {
    campaign: c.name,
    mode: c.mode,
    profile,
    abandonTarget: target,
    window: {
      from: c.window.from,
      to: c.window.to,
      days: WEEKDAYS.map((d) => c.window.days.includes(d)),
      holidays: new Set(site(c.holidaysOf)?.holidays.flatMap(closedDates) ?? []),
    },
    timezone,
    retries: c.retries,
    amd: { enabled: c.amd.enabled, falsePositiveRate: c.amd.falsePositivePercent / 100 },
    callback: { sameAgent: c.callback.sameAgent, graceSeconds: c.callback.fallbackAfterSeconds, then: c.callback.then },
    preview: { seconds: c.preview.time, allowSkip: c.preview.allowSkip },
    progressive: { readSeconds: c.progressive.readTime },
    predictive: { maxRatio: c.predictive.maxRatio, ringTimeoutSeconds: c.predictive.ringTimeout },
    prior: { ...DEFAULT_PRIOR, ...(queue && queue.wrapup > 0 && { wrapSeconds: queue.wrapup }), ...prior },
  };
  const channels = campaignChannels(model, c);
  if (channels !== undefined) s.maxChannels = channels;
  return s;
}

/** The agents of a campaign: the distinct primary members of its queue. */
export function campaignAgents(model: Model, c: Campaign): string[] {
  const queue = model.queues.find((q) => q.name === c.queue);
  return [...new Set((queue?.members ?? []).filter((m) => m.tier === 'primary').map((m) => m.extension))];
}

/** Channels the campaign can use: the trunks of its class's routes, when every one of them has a limit. */
function campaignChannels(model: Model, c: Campaign): number | undefined {
  if (c.outboundClass === undefined) return undefined;
  const cls = model.outbound.classes.find((k) => k.name === c.outboundClass);
  const routes = model.outbound.routes.filter((r) => cls?.routes.includes(r.name) && !r.emergency);
  const trunks = [...new Set(routes.flatMap((r) => r.trunks))].map((t) => model.trunks.find((x) => x.name === t));
  if (trunks.length === 0 || trunks.some((t) => t?.maxChannels === undefined)) return undefined;
  return trunks.reduce((sum, t) => sum + t!.maxChannels!, 0);
}

/** A holiday's whole closed days as "MM-DD" (yearly) or "YYYY-MM-DD"; a short day (open some hours) is not one. */
function closedDates(h: Holiday): string[] {
  if (h.hours.length > 0) return [];
  const pad = (n: number) => String(n).padStart(2, '0');
  const yearly = h.from.year === undefined;
  const from = Date.UTC(h.from.year ?? 2024, h.from.month - 1, h.from.day);
  let to = Date.UTC(h.to.year ?? 2024, h.to.month - 1, h.to.day);
  if (to < from) to += 366 * 86_400_000; // a yearly range over New Year
  const out: string[] = [];
  for (let t = from; t <= to && out.length < 400; t += 86_400_000) {
    const d = new Date(t);
    const md = `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    out.push(yearly ? md : `${d.getUTCFullYear()}-${md}`);
  }
  return out;
}

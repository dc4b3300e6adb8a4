import { traceFrom } from '../callflow/trace.js';
import type { Target } from '../model/types.js';
import type { Analysis } from './analysis.js';
import { deadEndReason, reachOf } from './coverage.js';
import { entryTargets, inboundDecider, placeOf, successors } from './flow.js';
import { whereOf } from './where.js';

/** Places whose outcome does not depend on the time of day, so one walk with everyone answering judges them. */
const JUDGED = new Set(['user', 'queue', 'group', 'external']);

/**
 * A place a call is sent to that leaves the caller in silence even when everyone answers: a user
 * without a device and without no-answer steps, a queue or group nobody in it can answer, a
 * forward to a number no outbound route dials.
 */
export const deadEnd: Analysis = {
  id: 'dead-end',
  description: 'Every user, queue, ring group and outside number that calls are sent to can be answered (someone with a device), or moves the caller on to a voicemail or a message.',
  severity: 'warning',
  check(ctx) {
    const { model } = ctx;
    // Each judged place with the places that send calls to it, in model order.
    const senders = new Map<string, { target: Target; from: string[] }>();
    const send = (from: string, target: Target) => {
      if (!JUDGED.has(target.kind)) return;
      const place = placeOf(target);
      const entry = senders.get(place) ?? { target, from: [] };
      if (!entry.from.includes(from)) entry.from.push(from);
      senders.set(place, entry);
    };
    model.inbound.forEach((route, i) => entryTargets(route, i).forEach((t) => send(inboundDecider(i), t)));
    const places = [
      ...model.ivr.map((m) => `ivr:${m.name}`),
      ...model.queues.map((q) => `queue:${q.name}`),
      ...model.announcements.map((a) => `announcement:${a.name}`),
      ...model.users.map((u) => `user:${u.extension}`),
      ...model.siteRouters.map((r) => `site-router:${r.name}`),
    ];
    for (const place of places) for (const t of successors(model, place)) send(place, t);

    for (const [place, { target, from }] of senders) {
      const walk = traceFrom(model, target, { at: ctx.now });
      if (reachOf(walk) !== 'silence') continue;
      const where = whereOf(ctx.raw, place) ?? whereOf(ctx.raw, from[0]!);
      if (!where) continue;
      const sentBy = from.map((f) => (f.startsWith('inbound:') ? `number ${model.inbound[Number(f.slice(8))]!.dids[0]}` : f));
      ctx.report(
        where,
        `${place} is a dead end: even when everyone answers, ${deadEndReason(walk)} (calls come from ${sentBy.join(', ')})`,
        target.kind === 'external'
          ? `Add an outbound route whose patterns match ${target.id}, or forward elsewhere.`
          : 'Give someone who should answer a device, add a no-answer step or overflow to a voicemail or a message, or send these calls elsewhere.',
      );
    }
  },
};

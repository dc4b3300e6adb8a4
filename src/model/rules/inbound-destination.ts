import type { Rule } from './rule.js';

/** An inbound route either sends every call to one place, or follows business hours across sites: exactly one. */
export const inboundDestination: Rule = {
  id: 'inbound-destination',
  description: 'An inbound route has either to (one target at any hour) or open (sites by business hours), not both, not neither; closed and holiday only go with open.',
  severity: 'error',
  check(ctx) {
    for (const route of ctx.raw.inbound ?? []) {
      const label = route.name ? `inbound route "${route.name}"` : 'inbound route';
      if (route.to !== undefined && route.open !== undefined) {
        ctx.report({ at: route, path: ['to'], anchor: 'key' }, `${label} has both to and open`, 'Use to: for a number answered the same way at any hour, open: to follow business hours; not both.');
      } else if (route.to === undefined && route.open === undefined) {
        ctx.report({ at: route, path: ['did'], anchor: 'key' }, `${label} does not say where calls go`, 'Add to: queue:NAME (any hour), or open: [{ site: NAME, to: ... }] with closed: for out of hours.');
      } else if (route.to !== undefined) {
        for (const key of ['closed', 'holiday'] as const) {
          if (route[key] !== undefined) ctx.report({ at: route, path: [key], anchor: 'key' }, `${label}: ${key} is never used with to:`, 'closed and holiday apply to open: (business hours); with to: every call goes there. For hours, point to: at a site-router or use open:.');
        }
      }
    }
  },
};

import { entries, type Rule } from './rule.js';

export const unusableOutboundRoute: Rule = {
  id: 'unusable-outbound-route',
  description: 'Every outbound route is granted to at least one permission class (or marked emergency).',
  severity: 'error',
  needsEveryFile: true,
  check(ctx) {
    const granted = new Set(entries(ctx.raw.outbound?.classes).flatMap(([, routes]) => routes));
    for (const [name, route] of entries(ctx.raw.outbound?.routes)) {
      if (route.emergency || granted.has(name)) continue;
      // At the route's own name: the merged outbound.routes map is built from several files and has no position.
      ctx.report(
        { at: route, anchor: 'key' },
        `outbound route ${name} is not granted to any permission class, so nobody can use it`,
        `Add ${name} to a class under outbound.classes, or remove the route.`,
      );
    }
  },
};

import type { Rule } from './rule.js';

/** A DID routed twice would depend on file order: refuse it. */
export const duplicateDid: Rule = {
  id: 'duplicate-did',
  description: 'Each DID appears in one inbound route only.',
  severity: 'error',
  check(ctx) {
    const seen = new Map<string, string>();
    for (const route of ctx.raw.inbound ?? []) {
      const dids = Array.isArray(route.did) ? route.did : [route.did];
      dids.forEach((did, i) => {
        // +48221234567 and 48221234567 reach the same line.
        const key = did.replace(/^\+/, '');
        const first = seen.get(key);
        if (first !== undefined) {
          ctx.report(
            { at: route, path: Array.isArray(route.did) ? ['did', i] : ['did'] },
            `DID ${did} is already routed by inbound route ${first}`,
            'Route each number once; list several numbers in one route with did: [...] instead.',
          );
        } else {
          seen.set(key, route.name ? `"${route.name}"` : `for ${dids[0]}`);
        }
      });
    }
  },
};

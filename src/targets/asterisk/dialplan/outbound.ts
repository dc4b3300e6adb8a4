import { matchesPattern } from '../../../model/dial-pattern.js';
import type { Model, OutboundRoute, Trunk } from '../../../model/types.js';
import { step, type Context } from '../conf/dialplan.js';
import { trunkEndpoint } from '../names.js';
import { answeredOption, outboundRecordingSteps } from './recording.js';

export const routeContext = (route: string): string => `route-${route}`;

/**
 * The trunks of a route in the order they are tried. Least-cost compares each trunk's price for
 * the route's fixed leading digits (what every number of the pattern starts with).
 */
export function trunkOrder(route: OutboundRoute, trunks: Map<string, Trunk>, pattern: string): Trunk[] {
  const list = route.trunks.map((t) => trunks.get(t)!);
  if (route.order === 'priority') return [...list].sort((a, b) => a.priority - b.priority);
  if (route.order === 'least-cost') {
    const prefix = route.prepend + fixedPrefix(pattern).slice(route.strip);
    const price = (t: Trunk) => t.prices.find((p) => prefix.replace(/^\+/, '').startsWith(p.prefix.replace(/^\+/, '')))?.perMinute ?? Infinity;
    return [...list].sort((a, b) => price(a) - price(b));
  }
  return list;
}

function fixedPrefix(pattern: string): string {
  if (!pattern.startsWith('_')) return pattern;
  return /^[0-9+*#]*/.exec(pattern.slice(1))![0];
}

/**
 * route-NAME: each pattern dials through the route's trunks, failing over on congestion.
 * `records`: some user's outbound calls are recorded, so the route looks the caller up.
 */
export function routeContextFor(route: OutboundRoute, model: Model, records: boolean): Context {
  const trunks = new Map(model.trunks.map((t) => [t.name, t]));
  return {
    name: routeContext(route.name),
    comment: `outbound route ${route.name}${route.emergency ? ' (emergency: every class)' : ''}${route.description ? `: ${route.description}` : ''}`,
    extensions: route.patterns.map((pattern) => ({
      pattern,
      steps: [
        step('Gosub(cp-call-start,s,1(outbound))'),
        step('Set(__CP_CALLEE=${EXTEN})'),
        ...(records ? outboundRecordingSteps() : []),
        step(`Gosub(cp-outbound,s,1(${route.prepend}\${EXTEN:${route.strip}},${trunkOrder(route, trunks, pattern).map(trunkEndpoint).join('&')}${records ? `,${answeredOption(model, '${CP_CALLER_EXT}')}` : ''}))`, 'dial'),
        step('Hangup()'),
      ],
    })),
  };
}

/**
 * users-CLASS: what a phone of that permission class may dial: internal numbers and the routes
 * the class grants. Phones of users without a class get internal numbers and emergency routes.
 */
export function classContexts(model: Model): Context[] {
  const emergency = model.outbound.routes.filter((r) => r.emergency).map((r) => routeContext(r.name));
  return [
    { name: 'users', comment: 'phones without a permission class: internal numbers and emergency calls', includes: ['internal', ...emergency], extensions: [] },
    ...model.outbound.classes.map((c) => ({
      name: `users-${c.name}`,
      comment: `permission class ${c.name}`,
      includes: ['internal', ...c.routes.map(routeContext)],
      extensions: [],
    })),
  ];
}

/**
 * cp-external holds exactly the outside numbers the model forwards calls to (external:+48...),
 * each through the first route whose pattern matches it. It is the one way a call that came in
 * can leave again, and only to numbers written in the project.
 */
export function externalContext(model: Model, numbers: string[]): Context {
  const trunks = new Map(model.trunks.map((t) => [t.name, t]));
  return {
    name: 'cp-external',
    comment: 'forwarding to the outside numbers the project names',
    extensions: numbers.map((n) => {
      const route = model.outbound.routes.find((r) => r.patterns.some((p) => matchesPattern(p, n)));
      const pattern = route?.patterns.find((p) => matchesPattern(p, n));
      const dial = route && pattern ? step(`Gosub(cp-outbound,s,1(${route.prepend}${n.slice(route.strip)},${trunkOrder(route, trunks, pattern).map(trunkEndpoint).join('&')}))`, 'dial') : step('Congestion(5)');
      return { pattern: n, steps: [dial, step('Hangup()')] };
    }),
  };
}

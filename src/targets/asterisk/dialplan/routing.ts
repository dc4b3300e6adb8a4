import type { InboundRoute, Model, OpenSites, SiteRouter } from '../../../model/types.js';
import { step, type Context, type Step } from '../conf/dialplan.js';
import { didContext, gotoTarget } from '../names.js';
import { siteContext } from './sites.js';

/**
 * from-trunk is the only context a carrier (or anyone not authenticated) can enter: it holds the
 * DIDs the model routes, in the forms carriers send them (with and without "+"), and refuses
 * every other number. Nothing here can reach a trunk.
 */
export function fromTrunk(model: Model): Context {
  const extensions = model.inbound.flatMap((route) =>
    route.dids.flatMap((did) => {
      const digits = did.replace(/^\+/, '');
      const forms = did.startsWith('+') ? [did, digits] : [digits];
      return forms.map((form) => ({
        pattern: form,
        steps: [step('Gosub(cp-call-start,s,1(inbound))'), step('Set(__CP_CALLEE=${EXTEN})'), step(`Goto(${didContext(route.dids[0]!)},s,1)`)],
      }));
    }),
  );
  return {
    name: 'from-trunk',
    comment: 'Calls from carriers and unauthenticated peers: only the routed DIDs. Anything else is an unallocated number.',
    extensions: [
      ...extensions,
      { pattern: '_X.', steps: [step('Hangup(1)')] },
      { pattern: '_+X.', steps: [step('Hangup(1)')] },
      { pattern: 'i', steps: [step('Hangup(1)')] },
    ],
  };
}

export function inboundRoute(route: InboundRoute): Context {
  const steps = route.route.kind === 'direct' ? [step(`Goto(${gotoTarget(route.route.to)})`)] : followTheSun(route.route);
  return { name: didContext(route.dids[0]!), comment: `inbound route "${route.name}": ${route.dids.join(', ')}`, extensions: [{ pattern: 's', steps }] };
}

export function siteRouter(router: SiteRouter): Context {
  return { name: `site-router-${router.name}`, comment: `site router ${router.name}: the first open site takes the call`, extensions: [{ pattern: 's', steps: followTheSun(router) }] };
}

/**
 * Ask each site in order whether it is open; the first open one takes the call. When none is,
 * the first site's state decides between the holiday and the closed target.
 */
function followTheSun(sites: OpenSites): Step[] {
  const steps: Step[] = [];
  sites.open.forEach((s, i) => {
    steps.push(step(`Gosub(${siteContext(s.site)},s,1)`));
    if (i === 0) steps.push(step('Set(CP_FIRST_STATE=${GOSUB_RETVAL})'));
    steps.push(step(`GotoIf($["\${GOSUB_RETVAL}" = "open"]?open-${i + 1})`));
  });
  steps.push(step('GotoIf($["${CP_FIRST_STATE}" = "holiday"]?holiday)'));
  steps.push(step(`Goto(${gotoTarget(sites.closed)})`, 'closed'));
  steps.push(step(`Goto(${gotoTarget(sites.holiday)})`, 'holiday'));
  sites.open.forEach((s, i) => steps.push(step(`Goto(${gotoTarget(s.to)})`, `open-${i + 1}`)));
  return steps;
}

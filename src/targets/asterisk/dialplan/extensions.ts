import type { Model, Target } from '../../../model/types.js';
import { header } from '../conf/header.js';
import { renderDialplan, type Context } from '../conf/dialplan.js';
import { indexModel } from '../model-index.js';
import { trunkEndpoint } from '../names.js';
import { campaignContexts } from './campaigns.js';
import { ivrContext } from './ivr.js';
import { announcementContext, conferenceContext } from './misc.js';
import { classContexts, externalContext, routeContextFor } from './outbound.js';
import { queueContext, queuePrelude } from './queues.js';
import { fromTrunk, inboundRoute, siteRouter } from './routing.js';
import { siteState } from './sites.js';
import { ANSWERED, CALL_START, outboundRecordingGlobals } from './recording.js';
import { SUBROUTINES } from './subroutines.js';
import { AGENT, PICKUP, pickupGlobals, pickupGroupsOf } from './features.js';
import { hasOverrideFeatures, OVERRIDE, OVERRIDE_TOGGLE, SPY, SPY_ANY, supervisorContexts } from './supervisors.js';
import { groupContext, groupGlobals, internalContext, queueMembersContext, userContext, voicemailContext } from './users.js';

/** extensions.conf: entry contexts first (where calls arrive), then destinations, then subroutines. */
export function extensionsConf(model: Model): string {
  const index = indexModel(model);
  const outboundRecording = outboundRecordingGlobals(model);
  const contexts: Context[] = [
    fromTrunk(model),
    ...classContexts(model),
    ...supervisorContexts(model),
    internalContext(model),
    ...model.inbound.map(inboundRoute),
    ...model.siteRouters.map(siteRouter),
    ...model.sites.map(siteState),
    ...model.users.flatMap((u) => userContext(u, index, model)),
    voicemailContext(model),
    ...model.groups.map(groupContext),
    queueMembersContext(model),
    ...model.queues.flatMap((q) => [queueContext(q), queuePrelude(q, model)]),
    ...model.ivr.map(ivrContext),
    ...model.announcements.map(announcementContext),
    ...model.conferences.map(conferenceContext),
    ...model.outbound.routes.map((r) => routeContextFor(r, model, outboundRecording.length > 0)),
    externalContext(model, externalNumbers(model)),
    ...campaignContexts(model),
    ...SUBROUTINES,
    CALL_START,
    ANSWERED,
    OVERRIDE,
    ...(hasOverrideFeatures(model) ? [OVERRIDE_TOGGLE] : []),
    SPY,
    ...(model.supervisors.length > 0 ? [SPY_ANY] : []),
    ...(model.queues.length > 0 ? [AGENT] : []),
    ...(pickupGroupsOf(model).length > 0 ? [PICKUP] : []),
  ];
  const globals: [string, string][] = [...model.trunks.filter((t) => t.callerId).map((t): [string, string] => [`CP_CID_${trunkEndpoint(t)}`, t.callerId!]), ...groupGlobals(model, index), ...pickupGlobals(model), ...outboundRecording];
  // writeprotect keeps the CLI from saving over this file; clearglobalvars drops globals removed from it on reload.
  return renderDialplan(header('extensions.conf', model), [['static', 'yes'], ['writeprotect', 'yes'], ['clearglobalvars', 'yes']], globals, contexts);
}

/** Every external:+NUMBER target anywhere in the model, sorted. */
function externalNumbers(model: Model): string[] {
  const targets: Target[] = [
    ...model.inbound.flatMap((r) => (r.route.kind === 'direct' ? [r.route.to] : [...r.route.open.map((o) => o.to), r.route.closed, r.route.holiday])),
    ...model.siteRouters.flatMap((r) => [...r.open.map((o) => o.to), r.closed, r.holiday]),
    ...model.users.flatMap((u) => u.noAnswer?.then ?? []),
    ...model.queues.flatMap((q) => (q.overflow ? [q.overflow] : [])),
    ...model.ivr.flatMap((m) => [...m.options.map((o) => o.to), m.onTimeout, m.onInvalid]),
    ...model.announcements.map((a) => a.then),
  ].filter((t): t is Target => t.kind !== 'repeat');
  return [...new Set(targets.flatMap((t) => (t.kind === 'external' ? [t.id] : [])))].sort();
}

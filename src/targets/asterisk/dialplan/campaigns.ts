import { settingsFromCampaign } from '../../../dialer/campaign.js';
import type { Campaign, Model } from '../../../model/types.js';
import { step, type Context } from '../conf/dialplan.js';
import { trunkEndpoint } from '../names.js';
import { QUEUE_MEMBER_CONTEXT } from '../queues.js';
import { routeContext, trunkOrder } from './outbound.js';
import { campaignRecording } from './recording.js';

/**
 * The Asterisk side of the dialer (docs/dialer.md, "On Asterisk"). The daemon originates every
 * call as `Local/<E.164 digits>@cp-dialer-<campaign>-out/n` with the variables CP_ATTEMPT,
 * CP_CONTACT_ID, CP_DATA (the contact's fields, form-encoded) and CP_AGENT (progressive, preview
 * and callback calls: the agent it is for). The Local channel's second half dials the callee
 * through the campaign's trunks; when the callee answers, the first half enters
 * `cp-dialer-<campaign>`: AMD where the campaign has it, then the campaign's queue (or the agent
 * the call is for) for at most the profile's connect limit, else the abandon message.
 *
 * The daemon learns what happens from `UserEvent(CallplanDialer, attempt, phase ...)`:
 * dialstatus (the trunk's answer when it is not one), answered, amd, waiting, connected (from the
 * agent's side), abandoned, machine, and ended (a hangup handler, with the outcome). The outcome
 * of each answered call is also kept in AstDB (family cp-dialer-YYYYMMDD, key the attempt), so a
 * daemon that was down while the call ended still learns it; families older than two days are
 * deleted by the calls themselves.
 */

export const dialerContext = (campaign: string): string => `cp-dialer-${campaign}`;
export const dialerOutContext = (campaign: string): string => `cp-dialer-${campaign}-out`;
/** Where an external vendor's dialer sends its answered calls (docs/dialer.md, "External dialers"). */
export const EXTERNAL_DIALER_CONTEXT = 'cp-external-dialer';
/** The UserEvent name every dialer event carries. */
export const DIALER_EVENT = 'CallplanDialer';

const event = (phase: string, extra = ''): string => `UserEvent(${DIALER_EVENT},Attempt: \${CP_ATTEMPT},Phase: ${phase}${extra})`;

/** The trunks a campaign dials through: those of its class's routes (not emergency), in route order, each route's own trunk order. */
export function campaignTrunks(model: Model, c: Campaign): string[] {
  const cls = model.outbound.classes.find((k) => k.name === c.outboundClass);
  const trunks = new Map(model.trunks.map((t) => [t.name, t]));
  const routes = model.outbound.routes.filter((r) => !r.emergency && cls?.routes.includes(r.name));
  const order = routes.flatMap((r) => trunkOrder(r, trunks, r.patterns[0] ?? '').map(trunkEndpoint));
  const list = [...new Set(order)];
  return list.length > 0 ? list : model.trunks.map(trunkEndpoint);
}

/** Seconds a live callee may wait for an agent: the profile's connect limit (none when switched off: the queue's own wait). */
export function connectLimit(model: Model, c: Campaign): number | undefined {
  const s = settingsFromCampaign(model, c);
  return Number.isFinite(s.profile.connectWithinSeconds) ? s.profile.connectWithinSeconds : model.queues.find((q) => q.name === c.queue)?.maxWait;
}

/** The contexts of every campaign, then the shared subroutines (none without campaigns). */
export function campaignContexts(model: Model): Context[] {
  if (model.campaigns.length === 0 && !model.secrets.externalDialer) return [];
  return [...model.campaigns.flatMap((c) => [answeredContext(c), preludeContext(model, c), outContext(model, c)]), ...externalDialerContexts(model), ...DIALER_SUBROUTINES];
}

/** cp-dialer-NAME: the answered callee. The wait for an agent is inside a generic subroutine, so a reload never moves it. */
function answeredContext(c: Campaign): Context {
  return {
    name: dialerContext(c.name),
    comment: `campaign ${c.name} (${c.mode}): an answered callee, from the dialer's Originate`,
    extensions: [{ pattern: 's', steps: [step(`Gosub(${dialerContext(c.name)}-prelude,s,1)`), step('Gosub(cp-dialer-answered,s,1)', 'answered'), step('Hangup()')] }],
  };
}

function preludeContext(model: Model, c: Campaign): Context {
  const limit = connectLimit(model, c);
  return {
    name: `${dialerContext(c.name)}-prelude`,
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Gosub(cp-call-start,s,1(outbound))'),
          // Inherited by the agent's channels: recordings and their sidecars name the campaign and queue.
          step(`Set(__CP_CAMPAIGN=${c.name})`),
          step(`Set(__CP_QUEUE=${c.queue})`),
          ...campaignRecording(model, c),
          step(`Set(CP_AMD=${c.amd.enabled ? 1 : 0})`),
          step(`Set(CP_ON_MACHINE=${c.amd.enabled && c.amd.onMachine === 'message' && c.amd.message ? c.amd.message : ''})`),
          step(`Set(CP_CONNECT=${limit ?? ''})`),
          step(`Set(CP_ABANDON_MSG=${c.abandon.message ?? ''})`),
          step('Return()'),
        ],
      },
    ],
  };
}

/** cp-dialer-NAME-out: the Local channel's dialling half (the callee), with the campaign's caller ID. */
function outContext(model: Model, c: Campaign): Context {
  const cid = c.callerId ?? model.trunks.find((t) => t.callerId)?.callerId;
  const route = model.outbound.routes.find((r) => !r.emergency && model.outbound.classes.find((k) => k.name === c.outboundClass)?.routes.includes(r.name));
  return {
    name: dialerOutContext(c.name),
    comment: `campaign ${c.name}: dial the callee (E.164 digits) through ${route ? `the trunks of ${routeContext(route.name)} and the class's other routes` : 'the trunks'}`,
    extensions: [
      {
        pattern: '_X.',
        steps: [
          ...(cid ? [step(`Set(CALLERID(num)=${cid})`)] : []),
          step(`Set(__CP_CALLEE=+\${EXTEN})`),
          step(`Gosub(cp-dialer-dial,s,1(+\${EXTEN},${campaignTrunks(model, c).join('&')}))`, 'dial'),
          step('Hangup()'),
        ],
      },
    ],
  };
}

/**
 * Generic subroutines of the dialer. Their layout never depends on the project, so a call waiting
 * in AMD, the queue or the message resumes on the same step after any `dialplan reload`.
 */
export const DIALER_SUBROUTINES: readonly Context[] = [
  {
    name: 'cp-dialer-dial',
    comment:
      'Dial ARG1 through the trunks in ARG2 (endpoints joined by &) in order, moving on when one is congested or\nunavailable. The ringing is bounded by the Originate timeout. Busy and congestion are passed back to the\nOriginate as the indication they are, and reported.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Set(CP_TRY=1)'),
          step('Set(CP_TRUNK=${CUT(ARG2,&,${CP_TRY})})', 'next'),
          step('GotoIf($["${CP_TRUNK}" = ""]?failed)'),
          step('Dial(PJSIP/${ARG1}@${CP_TRUNK})', 'dial'),
          step('GotoIf($["${DIALSTATUS}" = "CHANUNAVAIL" | "${DIALSTATUS}" = "CONGESTION"]?retry)'),
          step(event('dialstatus', ',Status: ${DIALSTATUS}')),
          step('ExecIf($["${DIALSTATUS}" = "BUSY"]?Busy(1))'),
          step('Return()'),
          step('Set(CP_TRY=$[${CP_TRY} + 1])', 'retry'),
          step('Goto(next)'),
          step(event('dialstatus', ',Status: ${DIALSTATUS}'), 'failed'),
          step('Congestion(1)'),
          step('Return()'),
        ],
      },
    ],
  },
  {
    name: 'cp-dialer-answered',
    comment:
      'The answered callee: AMD when CP_AMD is 1 (a machine is hung up on, or hears CP_ON_MACHINE), then the agent the\ncall is for (CP_AGENT) or the queue CP_QUEUE for CP_CONNECT seconds; nobody in time: CP_ABANDON_MSG, then hang up.\nThe outcome lives in SHARED(CP_OUTCOME), which the agent\'s side sets to connected.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Set(__CP_ATTEMPT=${CP_ATTEMPT})'),
          step('Set(__CP_CONTACT_ID=${CP_CONTACT_ID})'),
          step('Set(__CP_DATA=${CP_DATA})'),
          step('Set(__CP_DIALER_CHANNEL=${CHANNEL})'),
          step('Set(SHARED(CP_OUTCOME)=abandoned)'),
          step('Set(CHANNEL(hangup_handler_push)=cp-dialer-ended,s,1)'),
          step(event('answered')),
          step('GotoIf($["${CP_AMD}" != "1"]?person)'),
          step('AMD()', 'amd'),
          step(event('amd', ',Status: ${AMDSTATUS},Cause: ${AMDCAUSE}')),
          step('GotoIf($["${AMDSTATUS}" = "MACHINE"]?machine)'),
          step(event('waiting'), 'person'),
          step('GotoIf($["${CP_AGENT}" != ""]?agent)'),
          step('Queue(${CP_QUEUE},,,,${CP_CONNECT},,cp-dialer-connected)', 'queue'),
          step('Goto(abandon)'),
          step(`Dial(Local/\${FILTER(0-9,\${CP_AGENT})}@${QUEUE_MEMBER_CONTEXT}/n,\${CP_CONNECT},U(cp-dialer-connected))`, 'agent'),
          step('GotoIf($["${SHARED(CP_OUTCOME)}" = "connected"]?done)', 'abandon'),
          step(event('abandoned')),
          step('ExecIf($["${CP_ABANDON_MSG}" != ""]?Playback(${CP_ABANDON_MSG}))', 'message'),
          step('Return()', 'done'),
          step('Set(SHARED(CP_OUTCOME)=machine)', 'machine'),
          step(event('machine')),
          step('ExecIf($["${CP_ON_MACHINE}" != ""]?Playback(${CP_ON_MACHINE}))', 'leave'),
          step('Return()'),
        ],
      },
    ],
  },
  {
    name: 'cp-dialer-connected',
    comment: 'On the agent\'s side when they take a dialer call: the callee\'s call is connected, to this agent.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Set(CP_TOOK=${CUT(CUT(CHANNEL,@,1),/,2)})'),
          step('Set(SHARED(CP_OUTCOME,${CP_DIALER_CHANNEL})=connected)'),
          step('Set(SHARED(CP_TOOK,${CP_DIALER_CHANNEL})=${CP_TOOK})'),
          step(event('connected', ',Agent: ${CP_TOOK}')),
          step('Return()'),
        ],
      },
    ],
  },
  {
    name: 'cp-dialer-headers',
    comment: 'Before an agent\'s phone rings for a dialer call: the contact travels as SIP headers (the CRM pops the card).',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('GotoIf($["${CP_ATTEMPT}" = ""]?done)'),
          step('Set(PJSIP_HEADER(add,X-CP-Attempt)=${CP_ATTEMPT})'),
          step('Set(PJSIP_HEADER(add,X-CP-Campaign)=${CP_CAMPAIGN})'),
          step('Set(PJSIP_HEADER(add,X-CP-Contact-Id)=${CP_CONTACT_ID})'),
          step('ExecIf($["${CP_DATA}" != ""]?Set(PJSIP_HEADER(add,X-CP-Data)=${CP_DATA}))'),
          step('Return()', 'done'),
        ],
      },
    ],
  },
  {
    name: 'cp-dialer-ended',
    comment: 'Hangup handler of an answered dialer call: its outcome, as an event and in AstDB for a daemon that was away.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step(event('ended', ',Outcome: ${SHARED(CP_OUTCOME)},Agent: ${SHARED(CP_TOOK)}')),
          step('Set(DB(cp-dialer-${STRFTIME(${EPOCH},UTC,%Y%m%d)}/${CP_ATTEMPT})=${SHARED(CP_OUTCOME)}/${SHARED(CP_TOOK)}/${EPOCH})'),
          step('DBdeltree(cp-dialer-${STRFTIME($[${EPOCH} - 172800],UTC,%Y%m%d)})'),
          step('Return()'),
        ],
      },
    ],
  },
];

/**
 * The entry point of another vendor's dialer (secrets.external_dialer): it originates
 * `Local/<E.164 digits>@cp-external-dialer/n` (dialled through the trunks of every route that is not
 * an emergency route, in route order) into Context `cp-external-dialer-answered`, Exten `s`, with
 * the variable CP_QUEUE naming the queue whose agents take the answered call (refused unless it
 * is one of the project's queues). Its own campaign settings stay in the vendor's dialer.
 */
export function externalDialerContexts(model: Model): Context[] {
  if (!model.secrets.externalDialer) return [];
  const trunks = new Map(model.trunks.map((t) => [t.name, t]));
  const order = [...new Set(model.outbound.routes.filter((r) => !r.emergency).flatMap((r) => trunkOrder(r, trunks, r.patterns[0] ?? '').map(trunkEndpoint)))];
  return [
    {
      name: EXTERNAL_DIALER_CONTEXT,
      comment: "another vendor's dialer: the callee's half of its Local channel (E.164 digits)",
      extensions: [{ pattern: '_X.', steps: [step('Set(__CP_CALLEE=+${EXTEN})'), step(`Gosub(cp-dialer-dial,s,1(+\${EXTEN},${order.join('&')}))`, 'dial'), step('Hangup()')] }],
    },
    {
      name: `${EXTERNAL_DIALER_CONTEXT}-answered`,
      comment: "another vendor's dialer: the answered callee goes to the queue named by CP_QUEUE (one of the project's queues)",
      extensions: [
        {
          pattern: 's',
          steps: [
            step('Gosub(cp-call-start,s,1(outbound))'),
            step('Set(CP_Q=${FILTER(a-z0-9_-,${CP_QUEUE})})'),
            step('GotoIf($["${CP_Q}" = "" | "${QUEUE_EXISTS(${CP_Q})}" != "1"]?refuse)'),
            step('Set(__CP_QUEUE=${CP_Q})'),
            step('Set(__CP_CAMPAIGN=external)'),
            step('Queue(${CP_Q})', 'queue'),
            step('Hangup()'),
            step('Hangup(21)', 'refuse'),
          ],
        },
      ],
    },
  ];
}

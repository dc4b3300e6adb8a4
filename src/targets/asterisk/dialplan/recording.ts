import type { Campaign, Model, Queue, RecordingPolicy, User } from '../../../model/types.js';
import { step, type Context, type Step } from '../conf/dialplan.js';

/** File extension Asterisk gives each recording format. */
const EXTENSION: Record<Model['recording']['format'], string> = { wav: 'wav', wav49: 'WAV', gsm: 'gsm', ogg: 'ogg' };

/**
 * The Dial option run on the answered channel (an agent's or a user's device): it marks a queue
 * call for the supervisors of that queue and starts recording when CP_RECORD is 1, so the file
 * name can carry who answered.
 */
export function answeredOption(model: Model, who: string): string {
  // Dial's U() names a context and ^-separated arguments; it runs context,s,1(arguments).
  return `U(cp-answered^${model.recording.directory}^${who}^${EXTENSION[model.recording.format]})`;
}

/**
 * Whether a call is recorded, as an Asterisk expression over the call's direction (set where it
 * entered) and a random draw for percentage policies; undefined when no policy applies.
 */
function decision(policies: RecordingPolicy[]): string | undefined {
  if (policies.length === 0) return undefined;
  const terms = policies.map((p) => {
    const parts: string[] = [];
    if (p.directions.length < 3) parts.push(`(${p.directions.map((d) => `"\${CP_DIRECTION}" = "${d}"`).join(' | ')})`);
    if (p.percentage < 100) parts.push(`\${RAND(1,100)} <= ${p.percentage}`);
    return parts.length === 0 ? '1' : parts.join(' & ');
  });
  return terms.includes('1') ? '1' : `$[${terms.map((t) => `(${t})`).join(' | ')}]`;
}

const setRecord = (expr: string | undefined, inherit = true): Step[] =>
  expr === undefined ? [] : [step(`Set(${inherit ? '__' : ''}CP_RECORD=${expr === '1' ? '1' : `\${IF(${expr}?1:0)}`})`)];

/** The global holding the share (percent) of a user's outbound calls to record. */
export const outboundVariable = (extension: string): string => `CP_REC_OUT_${extension}`;

/**
 * [globals] entries for users whose outbound calls a policy records (by user or group, with
 * outbound among its directions): the highest percentage of their policies.
 */
export function outboundRecordingGlobals(model: Model): [string, string][] {
  return model.users.flatMap((u): [string, string][] => {
    const percent = Math.max(
      0,
      ...model.recording.policies
        .filter((p) => p.directions.includes('outbound') && (p.users.includes(u.extension) || (u.group !== undefined && p.groups.includes(u.group))))
        .map((p) => p.percentage),
    );
    return percent > 0 ? [[outboundVariable(u.extension), String(percent)]] : [];
  });
}

/**
 * The steps a route runs before dialling out: who is calling (from the endpoint that
 * authenticated, not the caller ID a phone sends) and whether the call is recorded.
 */
export function outboundRecordingSteps(): Step[] {
  return [
    step('Set(CP_CALLER_EXT=${CUT(CHANNEL(endpoint),-,1)})'),
    step('Set(CP_REC_SHARE=${GLOBAL(CP_REC_OUT_${CP_CALLER_EXT})})'),
    step('Set(__CP_RECORD=${IF($["${CP_REC_SHARE}" != "" & ${RAND(1,100)} <= 0${CP_REC_SHARE}]?1:0)})'),
  ];
}

/** Policies that cover a campaign's calls: those naming the campaign, and those of its queue. */
export function campaignRecording(model: Model, c: Campaign): Step[] {
  return setRecord(decision(model.recording.policies.filter((p) => p.campaigns.includes(c.name) || p.queues.includes(c.queue))));
}

/** Policies that cover a queue's calls. */
export function queueRecording(model: Model, q: Queue): Step[] {
  return setRecord(decision(model.recording.policies.filter((p) => p.queues.includes(q.name))));
}

/** Policies that cover a user's calls (by user or group); for a queue call, added to the queue's own decision. */
export function userRecording(model: Model, user: User, orQueue = false): Step[] {
  const policies = model.recording.policies.filter((p) => p.users.includes(user.extension) || (user.group !== undefined && p.groups.includes(user.group)));
  const own = decision(policies);
  if (own === undefined) return [];
  return setRecord(orQueue && own !== '1' ? `$["\${CP_RECORD}" = "1" | ${own.slice(2, -1)}]` : own);
}

/**
 * cp-call-start gives a call its identity once, where it enters: the id every recording and
 * sidecar of the call carries, its caller, and its direction (ARG1, default internal).
 */
export const CALL_START: Context = {
  name: 'cp-call-start',
  extensions: [
    {
      pattern: 's',
      steps: [
        step('ExecIf($["${CP_CALL_ID}" = ""]?Set(__CP_CALL_ID=${UNIQUEID}))'),
        // The caller as they entered: on an agent's channel CALLERID is the agent's own.
        step('ExecIf($["${CP_CALLER}" = ""]?Set(__CP_CALLER=${CALLERID(num)}))'),
        step('ExecIf($["${CP_DIRECTION}" = ""]?Set(__CP_DIRECTION=${IF($["${ARG1}" = ""]?internal:${ARG1})}))'),
        step('Return()'),
      ],
    },
  ],
};

/**
 * cp-answered(directory, who answered, extension), on the answering channel: SPYGROUP names the
 * queue the call came through (supervisors' ChanSpy g() matches it), then, when the call is to
 * be recorded, MixMonitor to DATE-TIME_QUEUE_AGENT_CALLID and a JSON sidecar of the call beside
 * it, for `recordings archive`. Values that come from outside (caller ID) are filtered to safe
 * characters before they enter the JSON.
 */
export const ANSWERED: Context = {
  name: 'cp-answered',
  extensions: [
    {
      pattern: 's',
      steps: [
        step('ExecIf($["${CP_QUEUE}" != ""]?Set(SPYGROUP=${CP_QUEUE}))'),
        step('GotoIf($["${CP_RECORD}" != "1"]?done)'),
        step('Set(CP_REC_QUEUE=${IF($["${CP_QUEUE}" = ""]?direct:${CP_QUEUE})})'),
        step('Set(CP_REC_BASE=${ARG1}/${STRFTIME(${EPOCH},UTC,%Y%m%d-%H%M%S)}_${CP_REC_QUEUE}_${ARG2}_${CP_CALL_ID})'),
        step('MixMonitor(${CP_REC_BASE}.${ARG3})'),
        step(
          'Set(FILE(${CP_REC_BASE}.json)={"file":"${CP_REC_BASE}.${ARG3}","started":"${STRFTIME(${EPOCH},UTC,%Y-%m-%dT%H:%M:%SZ)}","direction":"${CP_DIRECTION}","caller":"${FILTER(0-9+*#,${CP_CALLER})}","callee":"${FILTER(0-9+*#,${CP_CALLEE})}","queue":"${CP_QUEUE}","agent":"${ARG2}","campaign":"${CP_CAMPAIGN}","uniqueid":"${CP_CALL_ID}"})',
        ),
        step('Return()', 'done'),
      ],
    },
  ],
};

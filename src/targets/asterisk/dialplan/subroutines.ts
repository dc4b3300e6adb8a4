import { step, type Context } from '../conf/dialplan.js';

/**
 * Generic subroutines. Their layout never depends on the project, so a call waiting inside one
 * (in Dial, say) resumes on the same step after any `dialplan reload`. Project-specific contexts
 * call them and keep their own extensions short and fixed in shape.
 */
export const SUBROUTINES: readonly Context[] = [
  {
    name: 'cp-hangup',
    extensions: [{ pattern: 's', steps: [step('Hangup()')] }],
  },
  {
    name: 'cp-answer',
    comment: 'Answer once, then give the caller a moment before audio.',
    extensions: [
      {
        pattern: 's',
        steps: [step('GotoIf($["${CHANNEL(state)}" = "Up"]?done)'), step('Answer()'), step('Wait(0.5)'), step('Return()', 'done')],
      },
    ],
  },
  {
    name: 'cp-ring',
    comment: 'Ring a Dial string for ARG2 seconds (empty: until someone answers) with Dial options ARG3.\nAn answered call ends here; otherwise return.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('GotoIf($["${ARG1}" = ""]?done)'),
          step('Dial(${ARG1},${ARG2},${ARG3})', 'dial'),
          step('GotoIf($["${DIALSTATUS}" = "ANSWER"]?answered)'),
          step('Return()', 'done'),
          step('Hangup()', 'answered'),
        ],
      },
    ],
  },
  {
    name: 'cp-ring-group',
    comment: 'Ring group ARG1 (its dial string is the global CP_GROUP_<group>) leaving out the devices in ARG2\n(the user who did not answer), for ARG3 seconds with Dial options ARG4.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Set(CP_DEVS=${GLOBAL(CP_GROUP_${ARG1})})'),
          step('Set(CP_I=1)'),
          step('Set(CP_SKIP=${CUT(ARG2,&,${CP_I})})', 'next'),
          step('GotoIf($["${CP_SKIP}" = ""]?ring)'),
          step('Set(CP_DEVS=${LISTFILTER(CP_DEVS,&,${CP_SKIP})})'),
          step('Set(CP_I=$[${CP_I} + 1])'),
          step('Goto(next)'),
          step('Gosub(cp-ring,s,1(${CP_DEVS},${ARG3},${ARG4}))', 'ring'),
          step('Return()'),
        ],
      },
    ],
  },
  {
    name: 'cp-outbound',
    comment:
      'Dial ARG1 through the trunks in ARG2 (endpoints joined by &) in order, with Dial options ARG3; move on to\nthe next trunk only when one is congested or unavailable (a 503, no registration, no route). Busy and no answer are final.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Set(CP_TRY=1)'),
          step('Set(CP_TRUNK=${CUT(ARG2,&,${CP_TRY})})', 'next'),
          step('GotoIf($["${CP_TRUNK}" = ""]?failed)'),
          step('Set(CP_CID=${GLOBAL(CP_CID_${CP_TRUNK})})'),
          step('ExecIf($["${CP_CID}" != ""]?Set(CALLERID(num)=${CP_CID}))'),
          step('Dial(PJSIP/${ARG1}@${CP_TRUNK},,T${ARG3})', 'dial'),
          step('GotoIf($["${DIALSTATUS}" = "CHANUNAVAIL" | "${DIALSTATUS}" = "CONGESTION"]?retry)'),
          step('Return()'),
          step('Set(CP_TRY=$[${CP_TRY} + 1])', 'retry'),
          step('Goto(next)'),
          step('Congestion(5)', 'failed'),
          step('Return()'),
        ],
      },
    ],
  },
  {
    name: 'cp-ivr-start',
    comment: 'Entering a menu: answer, use the menu language (ARG1), start counting retries.',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Gosub(cp-answer,s,1)'),
          step('ExecIf($["${ARG1}" != ""]?Set(CHANNEL(language)=${ARG1}))'),
          step('Set(CP_IVR_TRIES=0)'),
          step('Return()'),
        ],
      },
    ],
  },
  {
    name: 'cp-ivr-retry',
    comment: 'After no or a wrong digit: "again" while fewer than ARG1 retries were used, else "give-up".',
    extensions: [
      {
        pattern: 's',
        steps: [
          step('Set(CP_IVR_TRIES=$[${CP_IVR_TRIES} + 1])'),
          step('GotoIf($[${CP_IVR_TRIES} > ${ARG1}]?give-up)'),
          step('Return(again)'),
          step('Return(give-up)', 'give-up'),
        ],
      },
    ],
  },
];

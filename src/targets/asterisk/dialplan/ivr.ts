import type { IvrMenu, MenuTarget } from '../../../model/types.js';
import { step, type Context, type Extension } from '../conf/dialplan.js';
import { gotoTarget } from '../names.js';

/**
 * ivr-NAME: a fixed three-step shape (start, prompt, wait) whatever the menu holds, so a caller
 * listening or deciding stays on the same step across a reload. Options are extensions of their
 * own context, so a digit that is also the start of a longer number never waits for more.
 */
export function ivrContext(menu: IvrMenu): Context {
  const name = `ivr-${menu.name}`;
  const go = (to: MenuTarget) => (to.kind === 'repeat' ? step(`Goto(${name},s,prompt)`) : step(`Goto(${gotoTarget(to)})`));
  const retry = (pattern: 'i' | 't', giveUp: MenuTarget): Extension => ({
    pattern,
    comment: pattern === 'i' ? 'invalid digit' : 'no digit',
    steps: [step(`Gosub(cp-ivr-retry,s,1(${menu.retries}))`), step(`GotoIf($["\${GOSUB_RETVAL}" = "again"]?${name},s,prompt)`), go(giveUp)],
  });
  return {
    name,
    comment: `IVR menu ${menu.name}${menu.description ? `: ${menu.description}` : ''}`,
    extensions: [
      {
        pattern: 's',
        steps: [step(`Gosub(cp-ivr-start,s,1(${menu.language ?? ''}))`), step(`Background(${menu.prompt})`, 'prompt'), step(`WaitExten(${menu.timeout})`, 'wait')],
      },
      ...menu.options.map((o) => ({ pattern: o.digit, steps: [go(o.to)] })),
      retry('i', menu.onInvalid),
      retry('t', menu.onTimeout),
    ],
  };
}

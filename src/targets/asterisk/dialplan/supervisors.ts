import type { Model, Site } from '../../../model/types.js';
import { step, type Context, type Extension } from '../conf/dialplan.js';
import { classContext, isSupervisor } from '../names.js';
import { OVERRIDE_FAMILY } from './sites.js';

/** Feature codes, documented in docs/asterisk.md. */
export const SPY_CODES = { listen: '*222', whisper: '*223', barge: '*224' } as const;
export const OVERRIDE_CODES = { schedule: '*280', open: '*281', closed: '*282' } as const;

/** ChanSpy options per mode: q quiet, s no name announcement, E end with the spied call; w whisper, B barge. */
const SPY_OPTIONS = { listen: 'qsE', whisper: 'qsEw', barge: 'qsEB' } as const;
/** Without E: when a spied call ends, ChanSpy moves on to the next one. */
const SPY_ANY_OPTIONS = { listen: 'qs', whisper: 'qsw', barge: 'qsB' } as const;

/** Sites a supervisor can force open or closed, numbered 01, 02 ... in name order. */
export function overrideSites(model: Model): { site: Site; number: string }[] {
  return model.sites.filter((s) => s.override).map((site, i) => ({ site, number: String(i + 1).padStart(2, '0') }));
}

export const overrideState = (site: string): string => `Custom:callplan-override-${site}`;

/** The extension a supervisor's BLF key watches (its hint) and dials (the toggle) for a site's override. */
export const overrideKey = (site: string): string => `override-${site}`;

/** Whether supervisor contexts get the site override codes (and so the toggle subroutine). */
export function hasOverrideFeatures(model: Model): boolean {
  return overrideSites(model).length > 0 && model.users.some((u) => isSupervisor(u, model));
}

/**
 * supervisor-EXT: the supervisor's phones dial everything their permission class allows, plus
 * listen/whisper/barge codes limited by ChanSpy's g() to calls of the queues they may watch, in
 * the modes granted, plus the site override codes. Generated per supervisor, so nobody else's
 * phone has them.
 */
export function supervisorContexts(model: Model): Context[] {
  const overrides = overrideSites(model);
  const supervisors = model.users
    .filter((u) => isSupervisor(u, model))
    .map((user): Context => {
      const grants = model.supervisors.filter((s) => s.user === user.extension);
      // One pattern per granted mode, not a code per agent: ChanSpy's g() already finds only calls
      // of the watched queues (SPYGROUP, set on the answering agent), whoever is dialled.
      // X. admits digits only, so ${EXTEN:4} cannot inject into the channel name.
      const spy: Extension[] = [];
      for (const mode of ['listen', 'whisper', 'barge'] as const) {
        const queues = [...new Set(grants.filter((g) => g.modes.includes(mode)).flatMap((g) => g.queues))].sort();
        if (queues.length === 0) continue;
        spy.push({ pattern: `_${SPY_CODES[mode]}X.`, comment: `${mode} (${SPY_CODES[mode]} + agent) on ${queues.join(', ')}`, steps: [step(`Gosub(cp-spy,s,1(\${EXTEN:4},${queues.join(':')},${SPY_OPTIONS[mode]}))`, 'spy'), step('Hangup()')] });
        // The code alone (a phone key): one watched call after another.
        spy.push({ pattern: SPY_CODES[mode], comment: `${mode} on the calls of ${queues.join(', ')}, one after another`, steps: [step(`Gosub(cp-spy-any,s,1(${queues.join(':')},${SPY_ANY_OPTIONS[mode]}))`, 'spy'), step('Hangup()')] });
      }
      // Site overrides are the same for every supervisor: one shared context, included.
      const includes = [classContext(user), ...(overrides.length > 0 ? [SUPERVISOR_FEATURES] : [])];
      return { name: `supervisor-${user.extension}`, comment: `supervisor ${user.extension} (${user.name})`, includes, extensions: spy };
    });
  return overrides.length > 0 && supervisors.length > 0 ? [...supervisors, supervisorFeatures(overrides)] : supervisors;
}

/** Included by every supervisor context (and only by them). */
const SUPERVISOR_FEATURES = 'cp-supervisor-features';

/** The site override codes and their BLF hints, once for all supervisors. */
function supervisorFeatures(overrides: { site: Site; number: string }[]): Context {
  return {
    name: SUPERVISOR_FEATURES,
    comment: 'site overrides, for supervisors only (included by each supervisor-EXT)',
    extensions: [
      ...overrides.flatMap(({ site, number }) =>
        (['schedule', 'open', 'closed'] as const).map(
          (state): Extension => ({
            pattern: `${OVERRIDE_CODES[state]}${number}`,
            comment: state === 'schedule' ? `site ${site.name}: back to its hours` : `site ${site.name}: force ${state}`,
            steps: [step(`Gosub(cp-override,s,1(${site.name},${state}))`), step('Hangup()')],
          }),
        ),
      ),
      ...overrides.map(
        ({ site }): Extension => ({
          pattern: overrideKey(site.name),
          comment: `BLF: lit while site ${site.name} is forced open or closed; pressed: forced closed, or back to its hours`,
          hint: overrideState(site.name),
          steps: [step(`Gosub(cp-override-toggle,s,1(${site.name}))`), step('Hangup()')],
        }),
      ),
    ],
  };
}

/** cp-spy(agent, queues joined by :, ChanSpy options): spy on that agent's calls from those queues only. */
export const SPY: Context = {
  name: 'cp-spy',
  extensions: [{ pattern: 's', steps: [step('Gosub(cp-answer,s,1)'), step('ChanSpy(PJSIP/${ARG1}-,g(${ARG2})${ARG3})', 'spy'), step('Return()')] }],
};

/** cp-override(site, schedule|open|closed): keep the override in AstDB and show it on BLF keys. */
export const OVERRIDE: Context = {
  name: 'cp-override',
  extensions: [
    {
      pattern: 's',
      // The state is stored before answering, so a supervisor who hangs up at once still changed it.
      // Branches, not ExecIf: ExecIf expands DB_DELETE() in its argument before testing the condition.
      steps: [
        step('GotoIf($["${ARG2}" = "schedule"]?clear)'),
        step(`Set(DB(${OVERRIDE_FAMILY}/\${ARG1})=\${ARG2})`),
        step('Set(DEVICE_STATE(Custom:callplan-override-${ARG1})=INUSE)'),
        step('Goto(done)'),
        step(`NoOp(\${DB_DELETE(${OVERRIDE_FAMILY}/\${ARG1})})`, 'clear'),
        step('Set(DEVICE_STATE(Custom:callplan-override-${ARG1})=NOT_INUSE)'),
        step('Gosub(cp-answer,s,1)', 'done'),
        step('Playback(beep)'),
        step('Return()'),
      ],
    },
  ],
};

/** cp-spy-any(queues joined by :, ChanSpy options): * moves to the next call, an agent's extension and # picks theirs. */
export const SPY_ANY: Context = {
  name: 'cp-spy-any',
  extensions: [{ pattern: 's', steps: [step('Gosub(cp-answer,s,1)'), step('ChanSpy(PJSIP,g(${ARG1})${ARG2})', 'spy'), step('Return()')] }],
};

/** cp-override-toggle(site): a forced site goes back to its hours; a site on its hours is forced closed. */
export const OVERRIDE_TOGGLE: Context = {
  name: 'cp-override-toggle',
  extensions: [
    {
      pattern: 's',
      steps: [
        step(`GotoIf(\${DB_EXISTS(${OVERRIDE_FAMILY}/\${ARG1})}?schedule)`),
        step('Gosub(cp-override,s,1(${ARG1},closed))'),
        step('Return()'),
        step('Gosub(cp-override,s,1(${ARG1},schedule))', 'schedule'),
        step('Return()'),
      ],
    },
  ],
};

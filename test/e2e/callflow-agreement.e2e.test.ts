import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CallflowTest } from '../../src/callflow/tests.js';
import { trace, type Trace } from '../../src/callflow/trace.js';
import type { Model } from '../../src/model/types.js';
import { startExampleOnAsterisk, type RealEnd, type Replayed } from './harness/example-replay.js';
import { loadExample } from './harness/example-project.js';
import { perFile } from './harness/lifecycle.js';

/**
 * Agreement with the real Asterisk: every call-flow test of every example (tests/*.yaml) is
 * replayed as a SIP call against Asterisk running that example's compiled configs, and the real
 * call must go where `trace` says: through the same menus, queues, messages, groups, site routers
 * and voicemail boxes, and end the same way (answered by the same user, or by one of the people
 * rung together with them; in the same voicemail box; dialling the same number through the same
 * trunks in the same order; refused; hung up). Nothing here says what a test expects: trace does.
 *
 * Time of day is steered through the model, never the clock: each site is made open, closed or
 * on holiday now as it is at the test's time, and trace of that steered model now must agree
 * with trace of the model as written at the test's time (so the steering is faithful). Overrides
 * are set in AstDB as a supervisor's feature code does. Timers are shortened, order kept (see
 * harness/example-project.ts). The examples run at once, each on one Asterisk or more (lanes of
 * about CALLS_PER_LANE calls); the calls of a lane one after the other.
 */
const EXAMPLES_DIR = fileURLToPath(new URL('../../examples/', import.meta.url));
/** Every example with call-flow tests. */
const EXAMPLES = readdirSync(EXAMPLES_DIR).filter((d) => existsSync(path.join(EXAMPLES_DIR, d, 'tests'))).sort();
/** Calls per Asterisk, about: an example with more tests gets more Asterisks (lanes), run at once. */
const CALLS_PER_LANE = 9;

describe('call-flow tests of the examples replayed on a real Asterisk', () => {
  EXAMPLES.forEach((name, index) => {
    describe(name, { concurrent: true }, () => {
      const example = loadExample(path.join(EXAMPLES_DIR, name));
      const lanes = intoLanes(example.tests.map((t) => t.test), Math.ceil(example.tests.length / CALLS_PER_LANE), example.model);
      lanes.forEach((tests, lane) => {
        describe(`Asterisk ${lane + 1} of ${lanes.length}`, { concurrent: true }, () => {
          const env = perFile(() => startExampleOnAsterisk(example, { name: `agree-${index}-${lane}`, network: 20 + 4 * index + lane }), 120_000);
          for (const test of tests) {
            it(test.name, { concurrent: false, timeout: 90_000 }, async () => {
              const { model, replay } = env();
              const r = await replay(test);
              const why = account(r);
              // The steered model says now what the written model says at the test's time.
              expect(summary(r.steeredTrace), `steering ${JSON.stringify(r.states)}\n${why}`).toEqual(summary(r.trace));
              // The real call passes the same places ...
              expect(r.observed.places, why).toEqual(places(r.trace));
              // ... rings the people trace says do not answer ...
              const silent = (test.call.no_answer ?? []).map((u) => u.replace(/^user:/, ''));
              for (const u of r.trace.reached.filter((p) => p.startsWith('user:')).map((p) => p.slice(5))) {
                if (silent.includes(u)) expect(r.observed.rung, `${u} does not answer and must have been rung\n${why}`).toContain(u);
              }
              // ... and ends where trace says.
              const expected = expectedEnd(r.trace, model, silent);
              if (!agrees(expected, r.observed.end)) expect({ end: r.observed.end }, why).toEqual({ end: expected });
              if (r.observed.end.kind === 'outbound') {
                // Each carrier, in trace's order, received the number as the route rewrites it.
                for (const trunk of r.observed.end.trunks) expect(r.observed.carriers[trunk], why).toEqual([r.observed.end.number]);
              }
            });
          }
        });
      });
    });
  });
});

/**
 * The tests split into lanes of about equal length (each lane is one Asterisk, its calls one
 * after the other), by a rough estimate from trace of how long each call lasts: menus waiting for
 * a key, phones ringing unanswered. Within a lane, the tests keep their order.
 */
function intoLanes(tests: CallflowTest[], n: number, model: Model): CallflowTest[][] {
  const estimate = (test: CallflowTest) => {
    const t = trace(model, { to: test.call.to, from: test.call.from, at: new Date(test.call.at), digits: test.call.digits, noAnswer: (test.call.no_answer ?? []).map((u) => u.replace(/^user:/, '')), overrides: test.call.override });
    const waits = t.steps.filter((s) => /^(no digit|no answer:)/.test(s)).length;
    return 1 + 2 * waits + (test.call.digits ? 1 + test.call.digits.length : 0);
  };
  const lanes = Array.from({ length: n }, () => ({ load: 0, tests: [] as number[] }));
  const order = tests.map((t, i) => ({ i, cost: estimate(t) })).sort((a, b) => b.cost - a.cost || a.i - b.i);
  for (const { i, cost } of order) {
    const lane = lanes.reduce((min, l) => (l.load < min.load ? l : min));
    lane.load += cost;
    lane.tests.push(i);
  }
  return lanes.map((l) => l.tests.sort((a, b) => a - b).map((i) => tests[i]!));
}

/** What must agree between two traces: where the call goes and how it ends (steps name local times). */
const summary = (t: Trace) => ({ reached: t.reached, outcome: t.outcome });

/** The places of a trace that have a context of their own in the dialplan, repeats collapsed. */
function places(t: Trace): string[] {
  const kinds = /^(ivr|queue|announcement|group|site-router|voicemail|conference):/;
  return t.reached.filter((p) => kinds.test(p)).filter((p, i, all) => i === 0 || all[i - 1] !== p);
}

type Expected =
  | { kind: 'answered'; by: string[] }
  | { kind: 'voicemail'; box: string }
  | { kind: 'conference'; room: string }
  | { kind: 'waiting'; queue: string }
  | { kind: 'ringing' }
  | { kind: 'outbound'; number: string; trunks: string[] }
  | { kind: 'hangup' }
  | { kind: 'refused' };

/**
 * The real end trace's outcome stands for. An answer names the user trace picked; when phones
 * ring together (a group, a no-answer group step) or a queue chooses by its strategy, which of
 * them picks up first is the phones' race, so any of them who answers agrees: the members of the
 * same group, or of the same tier of the queue, who are not listed as not answering.
 */
function expectedEnd(t: Trace, model: Model, silent: string[]): Expected {
  const o = t.outcome;
  switch (o.kind) {
    case 'answered':
      return { kind: 'answered', by: rungWith(t, model, silent) };
    case 'voicemail':
      return { kind: 'voicemail', box: o.box };
    case 'conference':
      return { kind: 'conference', room: o.room };
    case 'waiting':
      return { kind: 'waiting', queue: o.queue };
    case 'outbound':
      return { kind: 'outbound', number: o.number, trunks: o.trunks };
    case 'refused':
      return { kind: 'refused' };
    case 'hangup':
      // A user without no-answer steps rings until the caller gives up.
      return /until the caller hangs up/.test(o.reason) ? { kind: 'ringing' } : { kind: 'hangup' };
  }
}

/** The users ringing together with the one trace says answers, who answer. */
function rungWith(t: Trace, model: Model, silent: string[]): string[] {
  const by = (t.outcome as { by: string }).by;
  const answers = (ext: string) => !silent.includes(ext);
  const before = t.reached.at(-2) ?? '';
  const [kind, id] = before.split(':') as [string, string];
  if (before === `user:${by}`) return [by];
  if (kind === 'queue') {
    const q = model.queues.find((x) => x.name === id)!;
    const tier = q.members.find((m) => m.extension === by)!.tier;
    return q.members.filter((m) => m.tier === tier && answers(m.extension)).map((m) => m.extension);
  }
  if (kind === 'group') return model.groups.find((g) => g.name === id)!.members.filter(answers);
  if (kind === 'user') {
    // A no-answer step of that user: a user step rings one person, a group step the colleagues.
    for (const step of model.users.find((u) => u.extension === id)!.noAnswer?.then ?? []) {
      if (step.kind === 'user' && step.id === by) return [by];
      if (step.kind === 'group') {
        const colleagues = model.groups.find((g) => g.name === step.id)!.members.filter((m) => m !== id);
        if (colleagues.includes(by)) return colleagues.filter(answers);
      }
    }
  }
  return [by];
}

function agrees(e: Expected, real: RealEnd): boolean {
  switch (e.kind) {
    case 'answered':
      return real.kind === 'answered' && e.by.includes(real.by);
    case 'voicemail':
      return real.kind === 'voicemail' && real.box === e.box;
    case 'conference':
      return real.kind === 'conference' && real.room === e.room;
    case 'waiting':
      return real.kind === 'waiting' && real.queue === e.queue;
    case 'outbound':
      return real.kind === 'outbound' && real.number === e.number && real.trunks.join() === e.trunks.join();
    case 'ringing':
    case 'hangup':
    case 'refused':
      return real.kind === e.kind;
  }
}

/** What trace said and what Asterisk did, for failure messages. */
function account(r: Replayed): string {
  const sip = r.observed.caller.messages.map((m) => `${m.direction === 'sent' ? '->' : '<-'} ${m.firstLine}`).join('\n');
  return [
    `trace:\n${r.trace.steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}`,
    `Asterisk (sites ${JSON.stringify(r.states)}):\n${r.observed.steps.slice(-60).join('\n')}`,
    `caller:\n${sip}`,
  ].join('\n\n');
}

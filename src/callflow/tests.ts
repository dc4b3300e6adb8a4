import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Model } from '../model/types.js';
import { overrideProblems, trace, type Outcome, type Trace } from './trace.js';

/** One call-flow test as written in tests/*.yaml (after its schema check). */
export interface CallflowTest {
  name: string;
  call: { to: string; from?: string; at: string; digits?: string; no_answer?: string[]; override?: Record<string, 'open' | 'closed'> };
  expect: { reaches?: string | string[]; avoids?: string | string[]; ends?: string; trunks?: string[] };
}

export interface TestResult {
  name: string;
  file: string;
  line: number;
  column: number;
  failures: string[];
  trace: Trace;
}

/** Runs one test through trace and says what differs from its expectations (nothing: it passes). */
export function runTest(model: Model, test: CallflowTest): { failures: string[]; trace: Trace } {
  const result = trace(model, {
    to: test.call.to,
    from: test.call.from,
    at: new Date(test.call.at),
    digits: test.call.digits,
    noAnswer: (test.call.no_answer ?? []).map((u) => u.replace(/^user:/, '')),
    overrides: test.call.override,
  });
  const failures: string[] = overrideProblems(model, test.call.override);
  const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
  for (const place of list(test.expect.reaches)) {
    if (!result.reached.includes(place)) failures.push(`expected to reach ${place}; it passed ${result.reached.join(' → ') || 'nowhere'}`);
  }
  for (const place of list(test.expect.avoids)) {
    if (result.reached.includes(place)) failures.push(`expected to avoid ${place}; it passed ${result.reached.join(' → ')}`);
  }
  if (test.expect.ends !== undefined && !endsAs(result.outcome, test.expect.ends)) {
    failures.push(`expected to end ${test.expect.ends}; it ends ${describeOutcome(result.outcome)}`);
  }
  if (test.expect.trunks !== undefined) {
    const trunks = result.outcome.kind === 'outbound' ? result.outcome.trunks : [];
    if (trunks.join() !== test.expect.trunks.join()) failures.push(`expected trunks ${test.expect.trunks.join(', ')}; ${trunks.length ? `got ${trunks.join(', ')}` : `it ends ${describeOutcome(result.outcome)}`}`);
  }
  return { failures, trace: result };
}

function endsAs(o: Outcome, expected: string): boolean {
  const [kind, id] = expected.split(':');
  switch (kind) {
    case 'answered':
      return o.kind === 'answered';
    case 'user':
      return o.kind === 'answered' && o.by === id;
    case 'voicemail':
      return o.kind === 'voicemail' && o.box === id;
    case 'queue':
      return o.kind === 'waiting' && o.queue === id;
    case 'conference':
      return o.kind === 'conference' && o.room === id;
    default:
      return o.kind === kind;
  }
}

export function describeOutcome(o: Outcome): string {
  switch (o.kind) {
    case 'answered':
      return `answered by user:${o.by}`;
    case 'voicemail':
      return `in voicemail:${o.box}`;
    case 'conference':
      return `in conference:${o.room}`;
    case 'waiting':
      return `waiting in queue:${o.queue}`;
    case 'outbound':
      return `dialling ${o.number} through ${o.trunks.join(' → ')} (route ${o.route})`;
    case 'hangup':
      return `with a hang-up (${o.reason})`;
    case 'refused':
      return `refused (${o.reason})`;
  }
}

/** Failures as diagnostics at the test, so editors and GitHub annotate the right line. */
export function failureDiagnostics(results: readonly TestResult[]): Diagnostic[] {
  return results
    .filter((r) => r.failures.length > 0)
    .map((r) => ({
      severity: 'error',
      rule: 'callflow-test',
      message: `${r.name}: ${r.failures.join('; ')}`,
      hint: `The call's path: ${r.trace.steps.join(' / ')}`,
      file: r.file,
      line: r.line,
      column: r.column,
    }));
}

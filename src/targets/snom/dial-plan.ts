import type { Model, User } from '../../model/types.js';

/**
 * The phone's dial plan (`user_dp_str`): numbers the phone sends the moment they are complete,
 * instead of waiting for the dial timeout or the OK key. Rules are written as SNOM writes them,
 * `|(^REGEX$)|sip:\1@\d|d` (the match, dialled at the identity's own domain, `d` = at once),
 * separated by spaces.
 *
 * A number is dialled at once only when nothing else the user may dial is longer and starts the
 * same way: with extension 1120 in the project, "112" must wait, or the phone would call the
 * emergency services the moment someone dials 1120. So every rule is checked against every other
 * pattern the phone's class allows (outbound routes, emergency routes, internal numbers, feature
 * codes); a pattern some longer number could extend gets no rule and waits for the timeout as before.
 */

/** A dial pattern as the characters allowed at each position, plus what may follow. */
interface Shape {
  positions: Set<string>[];
  /** `.` (one or more of anything) or `!` (zero or more). */
  tail: 'none' | 'more';
}

const ANY = '0123456789*#+';

/** An Asterisk pattern (`_0[1-9]XXXXXXXX`, `112`) as a shape. */
export function shapeOf(pattern: string): Shape {
  if (!pattern.startsWith('_')) return { positions: [...pattern].map((c) => new Set([c])), tail: 'none' };
  const body = pattern.slice(1);
  const positions: Set<string>[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!.toUpperCase();
    if (c === '.' || c === '!') {
      // `!` also matches nothing: for prefix checks it behaves like an open end.
      return { positions, tail: 'more' };
    }
    if (c === 'X') positions.push(digits('0', '9'));
    else if (c === 'Z') positions.push(digits('1', '9'));
    else if (c === 'N') positions.push(digits('2', '9'));
    else if (c === '[') {
      const end = body.indexOf(']', i);
      const spec = body.slice(i + 1, end < 0 ? body.length : end);
      const set = new Set<string>();
      for (let j = 0; j < spec.length; j++) {
        if (spec[j + 1] === '-' && j + 2 < spec.length) {
          for (const d of digits(spec[j]!, spec[j + 2]!)) set.add(d);
          j += 2;
        } else set.add(spec[j]!);
      }
      positions.push(set);
      i = end < 0 ? body.length : end;
    } else positions.push(new Set([c]));
  }
  return { positions, tail: 'none' };
}

function digits(from: string, to: string): Set<string> {
  const out = new Set<string>();
  for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) out.add(String.fromCharCode(c));
  return out;
}

/** Whether some number matching `other` is longer than every number of `rule` and starts like one of them. */
function canExtend(other: Shape, rule: Shape): boolean {
  const n = rule.positions.length;
  const m = other.positions.length;
  if (other.tail === 'none' && m <= n) return false;
  for (let i = 0; i < Math.min(n, m); i++) {
    if (!intersects(rule.positions[i]!, other.positions[i]!)) return false;
  }
  return true;
}

function intersects(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) if (b.has(x)) return true;
  return false;
}

/**
 * The internal numbers as shapes, one per length: extensions 1001 … 3215 become [123][0-9][0-9][0-9].
 * The union is wider than the real numbers, which only makes the check stricter; a number it
 * lets through that does not exist is refused by Asterisk as before.
 */
function internalShapes(model: Model): Shape[] {
  const numbers = [...model.users.map((u) => u.extension), ...model.queues.flatMap((q) => (q.extension ? [q.extension] : [])), ...model.conferences.map((c) => c.extension)];
  const byLength = new Map<number, Set<string>[]>();
  for (const n of numbers) {
    let positions = byLength.get(n.length);
    if (!positions) byLength.set(n.length, (positions = [...n].map(() => new Set<string>())));
    [...n].forEach((c, i) => positions![i]!.add(c));
  }
  return [...byLength.entries()].sort(([a], [b]) => a - b).map(([, positions]) => ({ positions, tail: 'none' }));
}

/** Feature codes (*97, *8 + extension, *91, *222 ...) all start with *: one open shape stands for them. */
const FEATURE_CODES: Shape = { positions: [new Set(['*'])], tail: 'more' };

const cache = new WeakMap<Model, Map<string, string>>();

/** user_dp_str for a user's phones: their class's routes (emergency routes included) and the internal numbers. */
export function dialPlan(model: Model, user: User): string {
  let perClass = cache.get(model);
  if (!perClass) cache.set(model, (perClass = new Map()));
  const key = user.outboundClass ?? '';
  let plan = perClass.get(key);
  if (plan === undefined) {
    plan = buildDialPlan(model, user.outboundClass);
    perClass.set(key, plan);
  }
  return plan;
}

function buildDialPlan(model: Model, outboundClass: string | undefined): string {
  const allowed = new Set(model.outbound.classes.find((c) => c.name === outboundClass)?.routes ?? model.outbound.routes.filter((r) => r.emergency).map((r) => r.name));
  const routePatterns = model.outbound.routes.filter((r) => allowed.has(r.name)).flatMap((r) => r.patterns);
  const candidates: Shape[] = [...internalShapes(model), ...routePatterns.map(shapeOf)];
  const everything = [...candidates, FEATURE_CODES];
  const rules: string[] = [];
  const seen = new Set<string>();
  for (const shape of candidates) {
    if (shape.tail !== 'none' || shape.positions.length === 0) continue;
    if (everything.some((other) => other !== shape && canExtend(other, shape))) continue;
    const rule = `|(^${regexOf(shape)}$)|sip:\\1@\\d|d`;
    if (!seen.has(rule)) {
      seen.add(rule);
      rules.push(rule);
    }
  }
  return rules.join(' ');
}

/** A fixed-length shape as a regular expression, runs of the same class folded: [0-9]{8} (digits stay as written: 112). */
function regexOf(shape: Shape): string {
  const tokens = shape.positions.map(classOf);
  let out = '';
  for (let i = 0; i < tokens.length; ) {
    let j = i;
    while (j < tokens.length && tokens[j] === tokens[i]) j++;
    if (!tokens[i]!.startsWith('[')) j = i + 1;
    out += j - i > 1 ? `${tokens[i]}{${j - i}}` : tokens[i];
    i = j;
  }
  return out;
}

function classOf(set: Set<string>): string {
  const chars = [...set].sort((a, b) => ANY.indexOf(a) - ANY.indexOf(b));
  if (chars.length === 1) return /[0-9]/.test(chars[0]!) ? chars[0]! : `\\${chars[0]}`;
  const parts: string[] = [];
  const ds = chars.filter((c) => /[0-9]/.test(c)).map(Number);
  for (let i = 0; i < ds.length; ) {
    let j = i;
    while (j + 1 < ds.length && ds[j + 1] === ds[j]! + 1) j++;
    parts.push(j - i >= 2 ? `${ds[i]}-${ds[j]}` : ds.slice(i, j + 1).join(''));
    i = j + 1;
  }
  for (const c of chars.filter((x) => !/[0-9]/.test(x))) parts.push(`\\${c}`);
  return `[${parts.join('')}]`;
}

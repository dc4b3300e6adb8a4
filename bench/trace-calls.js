// Deterministic random calls for the trace benchmark (bench/measure.js trace <project>).
//
//   generateCalls(model, { count, seed }) → { calls, kinds, kindOf }
//     calls: the objects `trace(model, call)` takes; kinds: how many of each kind; kindOf[i]: call i's kind
//
// Everything is drawn from the checked model with a seeded PRNG, so every run traces the same calls:
//   - 50 % inbound: `to` one of the project's DIDs (model.inbound[].dids), `from` an outside
//     number or nothing, `at` a random instant in the week starting Monday 2026-04-06 00:00 UTC
//     (Easter Monday, a holiday at the sites that keep it; the rest of the week is ordinary, so
//     open, closed, weekend and holiday branches are all taken), 0-3 random digits, and random
//     no-answer users from the sites the DID's route can reach: none or a few in half of the calls,
//     half of those sites' users in a quarter, all of them (nobody picks up) in a quarter;
//   - 25 % internal: `from` a random user's extension, `to` another user's; in 40 % of them the
//     callee does not answer (so their no-answer steps run), sometimes their group neither;
//   - 25 % outbound: `from` a random user, `to` a number generated from one of the project's
//     non-emergency outbound patterns (model.outbound.routes[].patterns), 1 in 50 an emergency
//     number; users whose class does not grant the route are refused, as they would be.

/** mulberry32, as bench/generate-project.js uses. */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

export const WEEK_START = Date.UTC(2026, 3, 6); // Monday 2026-04-06 00:00 UTC
const WEEK_MS = 7 * 24 * 3600 * 1000;

/** A random number an Asterisk pattern matches: X, Z, N, [sets with ranges], "." and "!" expanded. */
function numberFor(r, pattern) {
  if (!pattern.startsWith('_')) return pattern;
  const body = pattern.slice(1);
  let out = '';
  const digits = (lo, hi) => String(lo + r.int(hi - lo + 1));
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === 'X' || c === 'x') out += digits(0, 9);
    else if (c === 'Z' || c === 'z') out += digits(1, 9);
    else if (c === 'N' || c === 'n') out += digits(2, 9);
    else if (c === '.' || c === '!') {
      // one or more (zero or more) of anything: an international subscriber number, 6-12 digits
      const n = (c === '.' ? 6 : 5) + r.int(7);
      for (let k = 0; k < n; k++) out += digits(0, 9);
    } else if (c === '[') {
      const end = body.indexOf(']', i);
      const set = body.slice(i + 1, end < 0 ? body.length : end);
      const chars = [];
      for (let k = 0; k < set.length; k++) {
        if (set[k + 1] === '-' && k + 2 < set.length) {
          for (let x = set.charCodeAt(k); x <= set.charCodeAt(k + 2); x++) chars.push(String.fromCharCode(x));
          k += 2;
        } else chars.push(set[k]);
      }
      out += r.pick(chars);
      i = end < 0 ? body.length : end;
    } else out += c;
  }
  return out;
}

/** A random subset of arr of size n (partial Fisher-Yates on a copy). */
function sample(r, arr, n) {
  const a = arr.slice();
  const k = Math.min(n, a.length);
  for (let i = 0; i < k; i++) {
    const j = i + r.int(a.length - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}

export function generateCalls(model, { count = 100_000, seed = 20260406 } = {}) {
  const r = prng(seed);
  const users = model.users.map((u) => u.extension);
  const usersBySite = new Map();
  for (const u of model.users) {
    if (!usersBySite.has(u.site)) usersBySite.set(u.site, []);
    usersBySite.get(u.site).push(u.extension);
  }
  const groupOf = new Map(model.users.map((u) => [u.extension, u.group]));
  const groupMembers = new Map(model.groups.map((g) => [g.name, g.members]));

  // per inbound route: its DIDs, and the users it can ring (the users of the sites it names; all
  // users for a direct route, whose target may be anywhere)
  const routes = model.inbound.map((route) => {
    const sites = route.route.kind === 'sites' ? [...new Set(route.route.open.map((o) => o.site))] : [];
    const pool = sites.length ? sites.flatMap((s) => usersBySite.get(s) ?? []) : users;
    return { dids: route.dids, pool };
  });
  const dids = routes.flatMap((route) => route.dids.map((did) => ({ did, route })));
  // shared no-answer lists (trace never changes them), so 100,000 calls do not hold 100,000 copies
  const halves = new Map();
  const halfOf = (route) => {
    if (!halves.has(route)) halves.set(route, Array.from({ length: 8 }, () => sample(r, route.pool, route.pool.length >> 1)));
    return r.pick(halves.get(route));
  };

  const outPatterns = model.outbound.routes.filter((x) => !x.emergency).flatMap((x) => x.patterns);
  const emergencyPatterns = model.outbound.routes.filter((x) => x.emergency).flatMap((x) => x.patterns);
  const outsideCaller = () => `0${1 + r.int(9)}${String(r.int(1e8)).padStart(8, '0')}`;
  const randomDigits = () => {
    let d = '';
    const n = r.int(4);
    for (let k = 0; k < n; k++) d += String(r.int(10));
    return d;
  };

  const calls = new Array(count);
  const kinds = { inbound: 0, internal: 0, outbound: 0 };
  const kindOf = new Array(count);
  for (let i = 0; i < count; i++) {
    const x = r.next();
    if (x < 0.5 && dids.length) {
      kinds.inbound++;
      kindOf[i] = 'inbound';
      const { did, route } = r.pick(dids);
      const call = { to: did, at: new Date(WEEK_START + Math.floor(r.next() * WEEK_MS)), digits: randomDigits() };
      if (r.chance(0.7)) call.from = outsideCaller();
      const m = r.next();
      if (m < 0.25) call.noAnswer = route.pool; // nobody at those sites picks up
      else if (m < 0.5) call.noAnswer = halfOf(route);
      else if (m < 0.75) call.noAnswer = sample(r, route.pool, 1 + r.int(3));
      else call.noAnswer = [];
      calls[i] = call;
    } else if (x < 0.75) {
      kinds.internal++;
      kindOf[i] = 'internal';
      const from = r.pick(users);
      let to = r.pick(users);
      while (to === from && users.length > 1) to = r.pick(users);
      const call = { to, from, at: new Date(WEEK_START + Math.floor(r.next() * WEEK_MS)) };
      const m = r.next();
      if (m < 0.25) call.noAnswer = [to];
      else if (m < 0.4) call.noAnswer = groupOf.get(to) ? (groupMembers.get(groupOf.get(to)) ?? [to]) : [to];
      else call.noAnswer = [];
      calls[i] = call;
    } else {
      kinds.outbound++;
      kindOf[i] = 'outbound';
      const from = r.pick(users);
      const to = r.chance(0.02) && emergencyPatterns.length ? numberFor(r, r.pick(emergencyPatterns)) : numberFor(r, r.pick(outPatterns));
      calls[i] = { to, from, at: new Date(WEEK_START + Math.floor(r.next() * WEEK_MS)) };
    }
  }
  return { calls, kinds, kindOf };
}

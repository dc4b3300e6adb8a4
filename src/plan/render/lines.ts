import type { Plan } from '../plan.js';
import type { EntityChange } from '../semantic/diff.js';

/** What the plan was made of, for its heading. */
export interface PlanSource {
  /** The project as the user named it. */
  project: string;
  /** What the build was compared with: `origin/main (3f2a9c1)`, `the release on pbx-a`. */
  against: string;
}

/** A removed or added thing shown per kind up to this many; the rest are counted. */
export const LIST_LIMIT = 15;

export const SIGN = { added: '+', removed: '-', changed: '~' } as const;

/** The semantic summary as one line per change, long runs of added or removed things of one kind cut short. */
export function semanticLines(changes: readonly EntityChange[], limit = LIST_LIMIT): { sign: string; text: string }[] {
  const out: { sign: string; text: string }[] = [];
  const shown = new Map<string, number>();
  const total = new Map<string, number>();
  for (const c of changes) if (c.change !== 'changed') total.set(`${c.kind}|${c.change}`, (total.get(`${c.kind}|${c.change}`) ?? 0) + 1);
  for (const c of changes) {
    if (c.change === 'changed') {
      for (const f of c.fields) out.push({ sign: SIGN.changed, text: f.text });
      continue;
    }
    const key = `${c.kind}|${c.change}`;
    const n = (shown.get(key) ?? 0) + 1;
    shown.set(key, n);
    if (n <= limit) out.push({ sign: SIGN[c.change], text: `${c.title} ${c.change}${c.summary ? `: ${c.summary}` : ''}` });
    else if (n === limit + 1) out.push({ sign: SIGN[c.change], text: `… and ${total.get(key)! - limit} more ${c.kind} ${c.change} (--format json lists every one)` });
  }
  return out;
}

/** `3 files changed, 1 added (+40 −2)`. */
export function filesLine(plan: Plan): string {
  const count = (change: string) => plan.files.filter((f) => f.change === change).length;
  const parts = (['changed', 'added', 'removed'] as const).map((c) => [count(c), c] as const).filter(([n]) => n > 0);
  const add = plan.files.reduce((n, f) => n + f.additions, 0);
  const del = plan.files.reduce((n, f) => n + f.deletions, 0);
  const first = parts.map(([n, c], i) => (i === 0 ? `${n} file${n === 1 ? '' : 's'} ${c}` : `${n} ${c}`)).join(', ');
  return `${first} (+${add} −${del})`;
}

/** Nodes that need a restart, for a warning at the top. */
export function restarts(plan: Plan): { node: string; service: string; why: string[] }[] {
  return Object.entries(plan.reloads.nodes).flatMap(([node, r]) => (r.restart ? [{ node, service: r.restart.service, why: r.restart.why }] : []));
}

/** MACs of the phones to resync, the first ones named and the rest counted. */
export function phonesLine(plan: Plan, quote: (mac: string) => string = (m) => m, limit = 20): string {
  const macs = plan.reloads.phones.map((p) => p.mac);
  const shown = macs.slice(0, limit).map(quote).join(', ');
  return macs.length > limit ? `${shown} and ${macs.length - limit} more` : shown;
}

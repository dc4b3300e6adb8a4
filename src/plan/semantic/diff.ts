import type { Model } from '../../model/types.js';
import { ENTITY_KINDS, type EntityKind, type FieldChange } from './entities.js';
import { flatten } from './flatten.js';
import { sameValue } from './same.js';

export type { FieldChange } from './entities.js';

export interface EntityChange {
  /** `user`, `queue`, `IVR menu` ... */
  kind: string;
  id: string;
  /** `queue payments`, `user 1002`. */
  title: string;
  change: 'added' | 'removed' | 'changed';
  /** Added or removed: its short facts. */
  summary?: string;
  /** Changed: each field that differs. */
  fields: FieldChange[];
}

export interface SemanticDiff {
  changes: EntityChange[];
}

/**
 * Two normalized models → what was added, removed and changed, field by field, in the model's
 * own words. `before` absent: everything is new (a first deploy). Pure; never shows a secret (the
 * model holds references only, shown as "(secret)").
 */
export function semanticDiff(before: Model | undefined, after: Model): SemanticDiff {
  const changes: EntityChange[] = [];
  for (const kind of ENTITY_KINDS) changes.push(...diffKind(kind, before ? kind.items(before) : [], kind.items(after)));
  return { changes };
}

function diffKind(kind: EntityKind, before: object[], after: object[]): EntityChange[] {
  const old = new Map(before.map((x) => [kind.id(x), x]));
  const now = new Map(after.map((x) => [kind.id(x), x]));
  const title = (id: string) => (id === 'settings' ? `${kind.kind} settings` : `${kind.kind} ${id}`);
  const out: EntityChange[] = [];
  for (const [id, item] of now) {
    const was = old.get(id);
    if (!was) {
      // A new project has no "project settings" change worth a line of its own.
      if (before.length === 0 && kind.kind === 'project') continue;
      out.push({ kind: kind.kind, id, title: title(id), change: 'added', summary: kind.describe(item), fields: [] });
      continue;
    }
    // The same data has no field that differs: most of a big model, in a pull request.
    if (sameValue(was, item)) continue;
    const fields = [...compareFields(title(id), flatten(was, kind.rules), flatten(item, kind.rules)), ...(kind.extra?.(was, item, title(id)) ?? [])];
    if (fields.length > 0) out.push({ kind: kind.kind, id, title: title(id), change: 'changed', fields });
  }
  for (const [id, item] of old) {
    if (!now.has(id)) out.push({ kind: kind.kind, id, title: title(id), change: 'removed', summary: kind.describe(item), fields: [] });
  }
  return out;
}

function compareFields(title: string, before: Map<string, string>, after: Map<string, string>): FieldChange[] {
  const out: FieldChange[] = [];
  for (const [field, value] of after) {
    const was = before.get(field);
    if (was === undefined) out.push({ field, after: value, text: `${title}: ${field} added: ${value}` });
    else if (was !== value) out.push({ field, before: was, after: value, text: `${title}: ${field} ${arrow(was, value)}` });
  }
  for (const [field, was] of before) if (!after.has(field)) out.push({ field, before: was, text: `${title}: ${field} removed (was ${was})` });
  return out;
}

/** `20 → 30 s`: a unit both sides share is said once. */
function arrow(before: string, after: string): string {
  const unit = / (s|min|h|d)$/.exec(before)?.[0];
  const shared = unit !== undefined && /^\d+(\.\d+)? (s|min|h|d)$/.test(before) && after.endsWith(unit) && /^\d+(\.\d+)? (s|min|h|d)$/.test(after);
  return `${shared ? before.slice(0, -unit.length) : before} → ${after}`;
}

/** `2 users added, 1 queue changed`. */
export function countChanges(diff: SemanticDiff): string {
  const counts = new Map<string, number>();
  for (const c of diff.changes) counts.set(`${c.kind}|${c.change}`, (counts.get(`${c.kind}|${c.change}`) ?? 0) + 1);
  const order = ENTITY_KINDS.map((k) => k.kind);
  return [...counts]
    .sort(([a], [b]) => order.indexOf(a.split('|')[0]!) - order.indexOf(b.split('|')[0]!) || (a < b ? -1 : 1))
    .map(([key, n]) => {
      const [kind, change] = key.split('|') as [string, string];
      const noun = kind.endsWith('settings') || kind === 'project' || kind === 'recording' || kind === 'provisioning' ? `${kind} settings` : n === 1 ? kind : plural(kind);
      return `${n} ${noun} ${change}`;
    })
    .join(', ');
}

function plural(noun: string): string {
  return noun.endsWith('s') ? `${noun}es` : noun.endsWith('y') && !/[aeiou]y$/.test(noun) ? `${noun.slice(0, -1)}ies` : `${noun}s`;
}

import { fieldText, isSecretRef, isTarget, scalarText, words } from './values.js';

/**
 * One model object as `field → text`, the field in the YAML's words (`announce.hold_time`), so
 * two versions compare field by field. Nested objects are walked; lists of plain values, targets
 * and ordered lists compare as one field; lists whose items have an identity (IVR digits, price
 * prefixes, holidays) compare item by item, so one new digit is one change.
 */
export interface FlattenRules {
  /** Model keys left out (compared elsewhere, or derived from other entities). */
  skip?: readonly string[];
  /** Model key of a list → the item key that identifies an item, and how to name it. */
  keyed?: Readonly<Record<string, { by: string; label: (id: string) => string }>>;
  /** Model keys whose nested object is shown without its own name (inbound `route.to` → `to`). */
  inline?: readonly string[];
}

const DEFAULT_KEYED: NonNullable<FlattenRules['keyed']> = {
  options: { by: 'digit', label: (d) => `digit ${d}` },
  prices: { by: 'prefix', label: (p) => `price for ${p}` },
  speedDials: { by: 'label', label: (l) => `speed dial ${l}` },
  policies: { by: 'name', label: (n) => `policy ${n}` },
};

export function flatten(value: object, rules: FlattenRules = {}): Map<string, string> {
  const out = new Map<string, string>();
  const keyed = { ...DEFAULT_KEYED, ...rules.keyed };
  const skip = new Set(rules.skip ?? []);
  const inline = new Set(rules.inline ?? []);
  const walk = (v: unknown, key: string, path: string) => {
    if (v === undefined) return;
    const spec = keyed[key];
    if (spec && Array.isArray(v) && v.every((x) => x && typeof x === 'object' && typeof (x as Record<string, unknown>)[spec.by] === 'string')) {
      for (const item of v as Record<string, unknown>[]) {
        const label = spec.label(item[spec.by] as string);
        const rest = Object.fromEntries(Object.entries(item).filter(([k]) => k !== spec.by));
        // A list of the entity itself is named by its items alone ("digit 1"); a nested one keeps its parent ("retries.busy").
        const base = path.includes('.') ? `${path.slice(0, path.lastIndexOf('.'))}.${label}` : label;
        // An item with one remaining field reads as that field's value ("digit 1: queue:payments").
        if (Object.keys(rest).length === 1) out.set(base, fieldText(Object.keys(rest)[0]!, Object.values(rest)[0]));
        else for (const [k, x] of Object.entries(rest)) walk(x, k, `${base} ${words(k)}`);
      }
      return;
    }
    if (v && typeof v === 'object' && !Array.isArray(v) && !isSecretRef(v) && !isTarget(v) && !isLeafObject(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (skip.has(k) && path === '') continue;
        if (k === 'kind' && path !== '' && typeof x === 'string') continue;
        const child = inline.has(key) || path === '' ? words(k) : `${path}.${words(k)}`;
        walk(x, k, child);
      }
      return;
    }
    out.set(path, fieldText(key, v));
  };
  for (const [k, x] of Object.entries(value)) {
    if (skip.has(k)) continue;
    walk(x, k, inline.has(k) ? '' : words(k));
  }
  return out;
}

/** Objects shown whole: a time range, a date, an open site with its target. */
function isLeafObject(v: object): boolean {
  const keys = Object.keys(v);
  return (keys.length === 2 && keys.includes('start') && keys.includes('end')) || (keys.includes('month') && keys.includes('day')) || (keys.length === 2 && keys.includes('site') && keys.includes('to'));
}

export { scalarText };

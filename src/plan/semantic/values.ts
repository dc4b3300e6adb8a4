import { formatClock, WEEKDAYS } from '../../model/time.js';

/**
 * One model value as the user wrote it in the YAML: references as `queue:payments`, times as
 * `09:00-18:00`, dates as `12-25`, secrets as their references (`${env:NAME}`: the model never holds
 * a value, an inline secret being an error), URLs without a password.
 */

/** A secret reference in the model: `{ source: 'env' | 'secret', name }`. */
export function isSecretRef(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v);
  const source = (v as { source?: unknown }).source;
  return keys.length === 2 && keys.includes('name') && (source === 'env' || source === 'secret');
}

/** A call target or menu target: `{ kind, id? }`. */
export function isTarget(v: unknown): v is { kind: string; id?: string } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const keys = Object.keys(v).filter((k) => k !== 'via');
  return typeof (v as { kind?: unknown }).kind === 'string' && keys.every((k) => k === 'kind' || k === 'id') && (keys.length === 2 || ['hangup', 'repeat'].includes((v as { kind: string }).kind));
}

const isOpenSite = (v: unknown): v is { site: string; to: { kind: string; id?: string } } =>
  !!v && typeof v === 'object' && Object.keys(v).length === 2 && typeof (v as { site?: unknown }).site === 'string' && isTarget((v as { to?: unknown }).to);

const isRange = (v: unknown): v is { start: number; end: number } =>
  !!v && typeof v === 'object' && Object.keys(v).length === 2 && typeof (v as { start?: unknown }).start === 'number' && typeof (v as { end?: unknown }).end === 'number';

const isDate = (v: unknown): v is { year?: number; month: number; day: number } =>
  !!v && typeof v === 'object' && typeof (v as { month?: unknown }).month === 'number' && typeof (v as { day?: unknown }).day === 'number' && Object.keys(v).every((k) => ['year', 'month', 'day'].includes(k));

export function targetText(t: { kind: string; id?: string; via?: string }): string {
  const ref = t.id === undefined ? t.kind : `${t.kind}:${t.id}`;
  return t.via ? `${t.via} (${ref})` : ref;
}

/** A password in a URL's user part is replaced; the user name stays. */
export function maskUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):[^@\s/]*@/gi, '$1:********@');
}

/** A value that is not an object or a keyed list: as text. */
export function scalarText(v: unknown): string {
  if (v === undefined || v === null) return 'none';
  if (isSecretRef(v)) return `\${${(v as { source: string }).source}:${(v as { name: string }).name}}`;
  if (typeof v === 'object' && Object.keys(v).length === 1 && (v as { derived?: unknown }).derived === true) return 'derived from secrets.device_master';
  if (isTarget(v)) return targetText(v);
  if (isRange(v)) return `${formatClock(v.start)}-${formatClock(v.end)}`;
  if (isDate(v)) return `${v.year === undefined ? '' : `${v.year}-`}${String(v.month).padStart(2, '0')}-${String(v.day).padStart(2, '0')}`;
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'string') return v === '' ? '""' : maskUrl(v);
  if (typeof v === 'number') return String(v);
  if (Array.isArray(v) && v.length > 0 && v.every((d) => (WEEKDAYS as readonly unknown[]).includes(d))) return dayRanges(v as string[]);
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(scalarText).join(v.some((x) => x && typeof x === 'object' && !isTarget(x) && !isRange(x)) ? '; ' : ', ');
  if (isOpenSite(v)) return `${v.site} → ${targetText(v.to)}`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
  return entries.map(([k, x]) => `${words(k)} ${scalarText(x)}`).join(', ');
}

/** A model key in the YAML's words: ringTimeout → ring_timeout. */
export function words(key: string): string {
  return RENAMED[key] ?? key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** Model keys whose YAML name is not just the snake-case of the model's. */
const RENAMED: Readonly<Record<string, string>> = {
  outboundClass: 'outbound',
  dids: 'did',
  fallbackAfterSeconds: 'fallback_after',
  afterSeconds: 'after',
  windowSeconds: 'window',
  falsePositivePercent: 'false_positive_percent',
};

/** Model keys counted in seconds: shown with their unit. */
export const SECONDS: ReadonlySet<string> = new Set([
  'ringTimeout',
  'backupAfter',
  'wrapup',
  'maxWait',
  'timeout',
  'after',
  'every',
  'fallbackAfterSeconds',
  'afterSeconds',
  'windowSeconds',
  'olderThan',
  'readTime',
  'time',
]);

/** Model keys holding minutes since midnight. */
export const CLOCK: ReadonlySet<string> = new Set(['from', 'to']);

/** A field's value with its unit, given the model key it is under. */
/** mon, tue, wed, thu, fri, sun → mon-fri, sun: runs of three or more days as a range, as the YAML writes them. */
function dayRanges(days: string[]): string {
  const index = days.map((d) => (WEEKDAYS as readonly string[]).indexOf(d)).sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < index.length; ) {
    let j = i;
    while (j + 1 < index.length && index[j + 1] === index[j]! + 1) j++;
    if (j - i >= 2) parts.push(`${WEEKDAYS[index[i]!]}-${WEEKDAYS[index[j]!]}`);
    else for (let k = i; k <= j; k++) parts.push(WEEKDAYS[index[k]!]!);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Seconds in the largest unit that divides them: 45 s, 30 min, 3 h, 1 d (under two minutes always in seconds). */
export function secondsText(n: number): string {
  if (n >= 120 && n % 86400 === 0) return `${n / 86400} d`;
  if (n >= 120 && n % 3600 === 0) return `${n / 3600} h`;
  if (n >= 120 && n % 60 === 0) return `${n / 60} min`;
  return `${n} s`;
}

export function fieldText(key: string, v: unknown): string {
  if (Array.isArray(v) && v.length === 0 && (WEEKDAYS as readonly string[]).includes(key)) return 'closed';
  if (typeof v === 'number' && SECONDS.has(key)) return secondsText(v);
  if (typeof v === 'number' && CLOCK.has(key)) return formatClock(v);
  return scalarText(v);
}

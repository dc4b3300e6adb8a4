import type { RecordingName } from './names.js';
import type { Sidecar } from './sidecar.js';

/**
 * Remote paths from a template such as `{yyyy}/{mm}/{dd}/{queue}/{file}` (recording.archive.layout).
 * Date fields are the call's start in UTC, as in the file name; the queue, agent and call id come
 * from the file name, the rest from the sidecar.
 */
export const LAYOUT_FIELDS: Readonly<Record<string, string>> = {
  yyyy: 'year the call started (UTC), 4 digits',
  mm: 'month, 2 digits',
  dd: 'day of the month, 2 digits',
  hh: 'hour, 2 digits',
  queue: 'queue the call came through, or "direct"',
  agent: 'extension of who answered',
  callid: 'the call id (Asterisk uniqueid)',
  direction: 'inbound, outbound or internal (sidecar)',
  caller: 'caller number (sidecar)',
  callee: 'called number (sidecar)',
  campaign: 'dialer campaign (sidecar)',
  file: 'the file name itself',
};

export type LayoutValues = Record<keyof typeof LAYOUT_FIELDS, string>;

export class LayoutError extends Error {}

type Part = { text: string } | { field: string };

export interface Layout {
  template: string;
  /** The fields the template uses. */
  fields: string[];
  /** The path below the remote root, '/'-separated, never absolute and never climbing out. */
  render(values: Partial<LayoutValues>): string;
}

/** Parses and checks a template; throws LayoutError with what is wrong and how to fix it. */
export function compileLayout(template: string): Layout {
  const where = `layout "${template}"`;
  if (template.trim() === '') throw new LayoutError(`${where} is empty; e.g. {yyyy}/{mm}/{dd}/{queue}/{file}`);
  const segments = template.replace(/^\/+/, '').split('/');
  const parsed: Part[][] = segments.map((segment) => {
    if (segment === '' || segment === '.' || segment === '..') throw new LayoutError(`${where} has an empty, "." or ".." folder; write folders as {yyyy}/{mm}`);
    const parts: Part[] = [];
    const re = /\{([^{}]*)\}|([^{}]+)|([{}])/g;
    for (const m of segment.matchAll(re)) {
      if (m[3] !== undefined) throw new LayoutError(`${where}: unbalanced "${m[3]}"`);
      if (m[2] !== undefined) {
        if (/[\0\r\n\\]/.test(m[2])) throw new LayoutError(`${where}: control characters and "\\" are not allowed`);
        parts.push({ text: m[2] });
        continue;
      }
      const field = m[1]!;
      if (!(field in LAYOUT_FIELDS)) throw new LayoutError(`${where}: unknown field {${field}}; the fields are ${Object.keys(LAYOUT_FIELDS).map((f) => `{${f}}`).join(', ')}`);
      parts.push({ field });
    }
    return parts;
  });
  const fileAt = parsed.findIndex((parts) => parts.some((p) => 'field' in p && p.field === 'file'));
  if (fileAt !== parsed.length - 1) {
    throw new LayoutError(`${where} must end with a file name holding {file} (e.g. .../{file}), so that every recording keeps a path of its own`);
  }
  const fields = [...new Set(parsed.flat().flatMap((p) => ('field' in p ? [p.field] : [])))];
  return {
    template,
    fields,
    render(values) {
      return parsed
        .map((parts, i) => {
          const text = parts.map((p) => ('text' in p ? p.text : p.field === 'file' ? fileValue(values.file) : safeValue(values[p.field]))).join('');
          // A folder named "." or ".." (e.g. from literal text around an empty value) must not climb out of the root.
          return i < parsed.length - 1 && (text === '.' || text === '..') ? text.replace(/\./g, '_') : text;
        })
        .join('/');
    },
  };
}

/** A value from a name or a sidecar, made safe as one path segment: no "/", no control characters, never empty. */
function safeValue(value: string | undefined): string {
  if (value === undefined || value === '') return 'none';
  const safe = value.replace(/[^A-Za-z0-9._+-]/g, '_');
  return safe === '.' || safe === '..' ? safe.replace(/\./g, '_') : safe;
}

function fileValue(value: string | undefined): string {
  if (value === undefined || value === '' || value.includes('/') || value === '.' || value === '..') throw new LayoutError(`not a file name: ${JSON.stringify(value)}`);
  return value;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The values a recording (or its sidecar, whose own name goes in {file}) gives the template. */
export function layoutValues(name: RecordingName, file: string, sidecar: Sidecar | undefined): LayoutValues {
  const t = name.started;
  return {
    yyyy: String(t.getUTCFullYear()),
    mm: pad(t.getUTCMonth() + 1),
    dd: pad(t.getUTCDate()),
    hh: pad(t.getUTCHours()),
    queue: name.queue,
    agent: name.agent,
    callid: name.callId,
    direction: sidecar?.direction ?? '',
    caller: sidecar?.caller ?? '',
    callee: sidecar?.callee ?? '',
    campaign: sidecar?.campaign ?? '',
    file,
  };
}

/**
 * Asterisk's configuration syntax: `[section](template)` then `key = value` lines. One writer
 * for every file, so quoting and layout are decided once.
 */
export type ConfValue = string | number | boolean;

export interface ConfSection {
  name: string;
  comment?: string;
  /** Pairs, not a record: keys such as `member` or `allow` repeat. */
  entries: [string, ConfValue | undefined][];
}

export function renderConf(head: string, sections: readonly ConfSection[]): string {
  const out = [head];
  for (const s of sections) {
    if (s.comment) out.push(...s.comment.split('\n').map((line) => `; ${line}`));
    out.push(`[${s.name}]`);
    for (const [key, value] of s.entries) {
      if (value === undefined) continue;
      out.push(`${key} = ${format(value)}`);
    }
    out.push('');
  }
  return out.join('\n');
}

function format(value: ConfValue): string {
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  const text = String(value);
  // A bare ";" starts a comment in every Asterisk file: a value that needs one writes it escaped (literalSemicolons).
  if (/(^|[^\\]);/.test(text) || text.includes('\n')) throw new Error(`configuration value must not contain a bare ';' or a newline: ${JSON.stringify(text)}`);
  return text;
}

/** A value with literal semicolons (a SIP header's parameters), escaped as Asterisk's config parser wants them: `\;`. */
export function literalSemicolons(text: string): string {
  return text.replace(/;/g, '\\;');
}

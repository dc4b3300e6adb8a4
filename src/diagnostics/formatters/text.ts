import type { Diagnostic } from '../diagnostic.js';

/** `file:line:col: error: message [rule]` then an indented hint: the shape compilers and editors understand. */
export function formatText(list: readonly Diagnostic[]): string {
  const lines: string[] = [];
  for (const d of list) {
    lines.push(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`);
    if (d.hint) lines.push(`    hint: ${d.hint}`);
  }
  const errors = list.filter((d) => d.severity === 'error').length;
  const warnings = list.length - errors;
  lines.push(list.length === 0 ? 'no problems found' : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return lines.join('\n') + '\n';
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

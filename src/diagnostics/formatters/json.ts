import type { Diagnostic } from '../diagnostic.js';

export function formatJson(list: readonly Diagnostic[]): string {
  const errors = list.filter((d) => d.severity === 'error').length;
  return JSON.stringify({ valid: errors === 0, errors, warnings: list.length - errors, diagnostics: list }, null, 2) + '\n';
}

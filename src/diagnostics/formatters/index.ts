import type { Diagnostic } from '../diagnostic.js';
import { formatGithub } from './github.js';
import { formatJson } from './json.js';
import { formatText } from './text.js';

export const FORMATS = ['text', 'json', 'github'] as const;
export type Format = (typeof FORMATS)[number];

const formatters: Record<Format, (list: readonly Diagnostic[]) => string> = {
  text: formatText,
  json: formatJson,
  github: formatGithub,
};

export function formatDiagnostics(list: readonly Diagnostic[], format: Format): string {
  return formatters[format](list);
}

import type { Diagnostic } from '../diagnostic.js';

/** GitHub Actions workflow commands: each becomes an annotation on the pull request's diff. */
export function formatGithub(list: readonly Diagnostic[]): string {
  return list
    .map((d) => {
      const props = `file=${escapeProperty(d.file)},line=${d.line},col=${d.column},title=${escapeProperty(`callplan ${d.rule}`)}`;
      const text = d.hint ? `${d.message}\n${d.hint}` : d.message;
      return `::${d.severity} ${props}::${escapeData(text)}\n`;
    })
    .join('');
}

// Escaping as the Actions toolkit does (core/src/command.ts): data escapes %, CR, LF; properties also : and ,.
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** A problem found in a project, pointing at the exact place in the user's files. */
export type Severity = 'error' | 'warning';

export interface Diagnostic {
  severity: Severity;
  /** kebab-case id of the rule that found it (`duplicate-extension`, `yaml-syntax`, `schema` ...). */
  rule: string;
  message: string;
  /** How to fix it. */
  hint?: string;
  /** Path as the user gave it (relative to the working directory when possible). */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Stable order: by file, then position, then rule, so output never depends on rule order. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.line - b.line ||
      a.column - b.column ||
      a.rule.localeCompare(b.rule) ||
      a.message.localeCompare(b.message),
  );
}

export function hasErrors(list: readonly Diagnostic[]): boolean {
  return list.some((d) => d.severity === 'error');
}

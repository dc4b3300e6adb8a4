import { sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Analysis } from '../analysis/analysis.js';
import { ANALYSES } from '../analysis/index.js';
import { asteriskSecurityDiagnostics } from '../targets/asterisk/security/check.js';
import type { CheckResult } from './check.js';

/**
 * The call-flow analyses over a project that passed every rule (coverage over the week, dead
 * ends, branches never taken) and the toll-fraud check of the generated dialplan: what
 * `validate` adds to the rules. `now` starts the weeks and the year of holidays looked at.
 */
export function analyseProject(checked: CheckResult, now: Date, analyses: readonly Analysis[] = ANALYSES): Diagnostic[] {
  const { model, project } = checked;
  if (!model || !project) return [];
  const out: Diagnostic[] = [];
  for (const analysis of analyses) {
    analysis.check({
      model,
      raw: project.raw,
      now,
      report: (where, message, hint) => out.push({ severity: analysis.severity, rule: analysis.id, message, ...(hint !== undefined && { hint }), ...project.locate(where) }),
    });
  }
  out.push(...asteriskSecurityDiagnostics(model, checked.rootFile!));
  return sortDiagnostics(out);
}

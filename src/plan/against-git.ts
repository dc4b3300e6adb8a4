import path from 'node:path';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { buildSide } from './build-side.js';
import { exportRevision } from './git-base.js';
import { makePlan, type Plan } from './plan.js';
import type { PlanSource } from './render/lines.js';

export type RevisionPlan =
  | { ok: true; plan: Plan; source: PlanSource; diagnostics: Diagnostic[] }
  /** One side has errors: `side` says which (the working tree, or the revision compared with). */
  | { ok: false; side: 'project' | 'base'; diagnostics: Diagnostic[]; against: string };

/**
 * The project as it is now against the same project at a git revision: both built with stand-in
 * secrets, compared as models and as files. A project that did not exist at the revision is
 * compared with nothing (everything is added).
 */
export async function planAgainstRevision(projectPath: string, rev: string): Promise<RevisionPlan> {
  const head = buildSide(projectPath);
  if (hasErrors(head.diagnostics) || !head.files) return { ok: false, side: 'project', diagnostics: head.diagnostics, against: rev };
  const base = await exportRevision(projectPath, rev);
  const against = `${rev} (${base.commit.slice(0, 7)})`;
  try {
    const old = base.projectPath ? buildSide(base.projectPath, { cwd: path.dirname(base.projectPath) }) : undefined;
    if (old && (hasErrors(old.diagnostics) || !old.files)) return { ok: false, side: 'base', diagnostics: old.diagnostics, against };
    const plan = makePlan({ before: old?.files ?? new Map(), after: head.files, beforeModel: old?.model, afterModel: head.model });
    return { ok: true, plan, source: { project: projectPath, against: base.projectPath ? against : `${against}, where the project did not exist` }, diagnostics: head.diagnostics };
  } finally {
    base.cleanup();
  }
}

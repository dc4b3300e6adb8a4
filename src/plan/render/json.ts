import type { Plan } from '../plan.js';
import type { PlanSource } from './lines.js';

/** Everything, for tools: the semantic changes with each field, the reloads, every file's masked diff. */
export function renderJson(plan: Plan, source: PlanSource): string {
  return `${JSON.stringify({ project: source.project, against: source.against, ...plan }, null, 2)}\n`;
}

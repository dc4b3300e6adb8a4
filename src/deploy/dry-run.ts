import type { Model } from '../model/types.js';
import { makePlan, type Plan } from '../plan/plan.js';
import type { PlanSource } from '../plan/render/lines.js';
import type { FileTree } from '../targets/target.js';
import { inspect, type Inspection } from './deploy.js';
import type { NodeHost } from './node-host.js';

/** What deploying `files` would change on one node: plan's answer, against the release the node runs. */
export interface NodePlan {
  node: string;
  inspection: Inspection;
  plan: Plan;
  /** For plan's renderers: what the plan compares with. */
  source: PlanSource;
}

/**
 * `deploy --dry-run` and `plan` without --against: the files that differ are read from the host
 * (the others are the same by their checksums), and its model.json gives the summary in the
 * model's words. Diffs are masked by plan. Reads only; takes no lock.
 */
export async function planAgainstNode(host: NodeHost, o: { node: string; files: FileTree; model: Model; project: string; revision?: string }): Promise<NodePlan> {
  const inspection = await inspect(host, o.files, { node: o.node, ...(o.revision !== undefined && { revision: o.revision }), createdAt: new Date() });
  const { applied, changes } = inspection;
  const before = new Map(applied ? o.files : []);
  let beforeModel: Model | undefined;
  if (applied) {
    for (const c of changes) if (c.kind === 'added') before.delete(c.path);
    const old = await host.readFiles(applied, changes.filter((c) => c.kind !== 'added').map((c) => c.path));
    for (const [p, text] of old) before.set(p, text);
    try {
      beforeModel = JSON.parse(before.get('model.json') ?? '') as Model;
    } catch {
      beforeModel = undefined;
    }
  }
  const plan = makePlan({ before, after: o.files, ...(beforeModel && { beforeModel }), afterModel: o.model, reloads: { singleNode: o.node } });
  const against = applied ? `release ${applied} on node ${o.node}` : `nothing (node ${o.node} has no release yet)`;
  return { node: o.node, inspection, plan, source: { project: o.project, against } };
}

import type { Model } from '../model/types.js';
import { asteriskNodes, hasEdge } from '../targets/topology.js';
import { fileDiffs, type FileDiff, type Files } from './files/diff.js';
import { planReloads, type PlanReloadsOptions, type ReloadPlan } from './reloads/index.js';
import { semanticDiff, type SemanticDiff } from './semantic/diff.js';

/**
 * What applying one build over another would change. The core of `callplan plan`, and of
 * `deploy --dry-run`: the "before" side is whatever is at hand — a build of another git revision,
 * or the files of the release on a host (then without a model, or with the one in its model.json).
 */
export interface PlanInput {
  /** The build now in place (an empty map when nothing is). */
  before: Files;
  after: Files;
  /** The normalized models, for the summary in the model's words. Without `after`, no summary. */
  beforeModel?: Model;
  afterModel?: Model;
  /** How the build's top-level trees map to nodes (planReloads). `after` defaults to the new build. */
  reloads?: PlanReloadsOptions;
}

export interface Plan {
  /** Added, removed and changed things in the model's words; absent without `afterModel`. */
  semantic?: SemanticDiff;
  reloads: ReloadPlan;
  files: FileDiff[];
  /** True when any file differs. */
  changed: boolean;
}

export function makePlan(input: PlanInput): Plan {
  const files = fileDiffs(input.before, input.after);
  const changes = files.map((f) => ({ path: f.path, before: input.before.get(f.path), after: input.after.get(f.path) }));
  const reloads = planReloads(changes, { after: input.after, singleNode: singleNode(input.afterModel ?? input.beforeModel), ...input.reloads });
  const semantic = input.afterModel ? semanticDiff(input.beforeModel, input.afterModel) : undefined;
  return { ...(semantic ? { semantic } : {}), reloads, files, changed: files.length > 0 };
}

/** The node a build without an edge is for: its one Asterisk node when the model names it. */
function singleNode(model: Model | undefined): string | undefined {
  if (!model || hasEdge(model)) return undefined;
  return asteriskNodes(model)[0]?.name;
}

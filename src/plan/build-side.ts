import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { ProjectFs } from '../model/load/project-fs.js';
import type { Model } from '../model/types.js';
import { buildFiles } from '../project/build.js';
import { checkProject } from '../project/check.js';
import type { SecretValues } from '../secrets/refs.js';
import type { Files } from './files/diff.js';

/**
 * Secret values for a plan: a stand-in per reference, the same in both builds. A plan then needs
 * no secret (a pull request has none), no real secret ever enters its output, and the derived
 * passwords agree on both sides, so only a changed reference shows as a changed (masked) line.
 */
export const PLACEHOLDER_SECRETS: SecretValues = {
  get: (ref) => `callplan-plan-placeholder-${ref.source}-${ref.name}`,
};

export interface Side {
  diagnostics: Diagnostic[];
  model?: Model;
  files?: Files;
}

/** load → validate → normalize → build one side of a plan, with stand-in secrets. */
export function buildSide(projectPath: string, options: { fs?: ProjectFs; cwd?: string } = {}): Side {
  const { diagnostics, model } = checkProject(projectPath, { fs: options.fs, cwd: options.cwd, env: {} });
  if (!model) return { diagnostics };
  return { diagnostics, model, files: buildFiles(model, PLACEHOLDER_SECRETS) };
}

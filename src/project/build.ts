import type { Model } from '../model/types.js';
import type { SecretValues } from '../secrets/refs.js';
import { MissingSecretsError, secretResolver } from '../secrets/resolve.js';
import { compileAll, TARGETS } from '../targets/index.js';
import type { FileTree, Target } from '../targets/target.js';

/**
 * model + secret values → every generated file. Pure. Throws MissingSecretsError naming every
 * secret the targets needed and did not get, so nothing half-built is ever written.
 */
export function buildFiles(model: Model, values: SecretValues, targets: readonly Target[] = TARGETS): FileTree {
  const { resolver, missing } = secretResolver(model, values);
  const files = compileAll(model, { secrets: resolver }, targets);
  const absent = missing();
  if (absent.length > 0) throw new MissingSecretsError(absent);
  return files;
}

import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadFiles } from '../model/load/load-project.js';
import { realFs, type ProjectFs } from '../model/load/project-fs.js';
import { normalize } from '../model/normalize/normalize.js';
import type { Project } from '../model/project.js';
import type { Model } from '../model/types.js';
import { validateFiles } from '../model/validate.js';
import type { SecretValues } from '../secrets/refs.js';

export interface CheckOptions {
  fs?: ProjectFs;
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
}

export interface CheckResult {
  diagnostics: Diagnostic[];
  /** Present when the project has no errors. */
  model?: Model;
  /** Secret values at hand (environment, secrets file), for targets that write them. */
  secrets: SecretValues;
  /** callplan.yaml as shown to the user, for diagnostics about the project as a whole. */
  rootFile?: string;
  /** The project's directory, absolute. */
  rootDir?: string;
  /** The merged files, to point diagnostics about the model at the user's lines. Present with the model. */
  project?: Project;
}

/** load → validate → normalize: the pure core every command starts with. */
export function checkProject(target: string, options: CheckOptions = {}): CheckResult {
  const fs = options.fs ?? realFs;
  const loaded = loadFiles(fs, target, options.cwd ?? process.cwd());
  const { project, diagnostics, secrets } = validateFiles(loaded, { fs, env: options.env ?? {} });
  if (hasErrors(diagnostics)) return { diagnostics, secrets };
  return { diagnostics, model: normalize(project.raw), secrets, rootFile: loaded.files[0]!.displayPath, rootDir: loaded.rootDir, project };
}

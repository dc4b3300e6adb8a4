import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { BUILD_MARKER } from '../build/write-tree.js';
import { hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Model, PbxNode } from '../model/types.js';
import { buildFiles } from '../project/build.js';
import { checkProject } from '../project/check.js';
import { MissingSecretsError } from '../secrets/resolve.js';
import type { SecretValues } from '../secrets/refs.js';
import { asteriskSecurityDiagnostics } from '../targets/asterisk/security/check.js';
import type { FileTree } from '../targets/target.js';
import { selectNodes } from './session.js';

/**
 * What deploy and plan-against-the-nodes start from: the checked project, the nodes named on the
 * command line, and the build with its real secrets (the hosts' files hold them, so only the real
 * build compares equal by checksum).
 */
export interface Prepared {
  model: Model;
  secrets: SecretValues;
  rootDir: string | undefined;
  /** The nodes named on the command line; the Kamailio edge, when named (deploy), last. */
  nodes: PbxNode[];
  files: FileTree;
}

/** The project cannot be deployed as it is: the diagnostics, or one line saying why. Exit 1. */
export class ProjectNotReady extends Error {
  constructor(
    message: string,
    readonly diagnostics: Diagnostic[] = [],
  ) {
    super(message);
  }
}

/** Throws ProjectNotReady, NodeSelectionError (a usage error), or BuildDirError (a usage error). */
export function prepareDeploy(path: string, sel: { node?: string[]; all?: boolean; build?: string }, env: NodeJS.ProcessEnv, o: { edge?: boolean } = {}): Prepared {
  const { diagnostics, model, secrets, rootFile, rootDir } = checkProject(path, { env });
  if (hasErrors(diagnostics) || !model) throw new ProjectNotReady('the project has errors', diagnostics);
  const nodes = selectNodes(model, sel, o);
  if (sel.build !== undefined) return { model, secrets, rootDir, nodes, files: readBuild(sel.build) };
  let files: FileTree;
  try {
    files = buildFiles(model, secrets);
  } catch (e) {
    if (!(e instanceof MissingSecretsError)) throw e;
    throw new ProjectNotReady(`cannot build: not set: ${e.missing.join(', ')}`);
  }
  const security = asteriskSecurityDiagnostics(model, rootFile!, files);
  if (security.length > 0) throw new ProjectNotReady('the build is not safe to run', security);
  return { model, secrets, rootDir, nodes, files };
}

export class BuildDirError extends Error {}

/** Every file of a build directory (callplan build --out), by path relative to it. */
export function readBuild(dir: string): FileTree {
  try {
    if (!statSync(dir).isDirectory()) throw new BuildDirError(`--build ${dir}: not a directory`);
  } catch (e) {
    if (e instanceof BuildDirError) throw e;
    throw new BuildDirError(`--build ${dir}: no such directory (run callplan build --out ${dir} first)`);
  }
  const out: FileTree = new Map();
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.isFile() && !(d === dir && entry.name === BUILD_MARKER)) out.set(relative(dir, p).split('\\').join('/'), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : 1)));
}

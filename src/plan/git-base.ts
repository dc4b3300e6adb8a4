import { mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';

/** The project as it was at another revision, exported into a temporary directory. */
export interface BaseRevision {
  /** The project's path inside the export (what `checkProject` reads); absent when the project did not exist then. */
  projectPath?: string;
  /** The full commit id the revision named. */
  commit: string;
  /** Removes the export. */
  cleanup(): void;
}

/** A revision or repository problem the user can fix: shown as one line, exit code 2. */
export class GitBaseError extends Error {}

/**
 * Exports the project's directory at `rev` with `git archive` (no checkout: the working tree, the
 * index and the repository's worktree list are untouched). PATH is taken relative to the root of
 * the repository it is in, so `callplan plan examples/x --against main` works from any directory.
 */
export async function exportRevision(projectPath: string, rev: string): Promise<BaseRevision> {
  const absolute = realpathSync(path.resolve(projectPath));
  const isDir = statSync(absolute).isDirectory();
  const dir = isDir ? absolute : path.dirname(absolute);
  const top = await git(dir, ['rev-parse', '--show-toplevel']).catch(() => {
    throw new GitBaseError(`${projectPath} is not inside a git repository, so --against has nothing to compare with`);
  });
  const root = realpathSync(top);
  const commit = await git(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).catch(() => {
    throw new GitBaseError(`--against ${rev}: no such revision in ${root} (in CI, fetch it first, e.g. actions/checkout with fetch-depth: 0)`);
  });
  const relDir = path.relative(root, dir).split(path.sep).join('/') || '.';
  const relProject = isDir ? relDir : `${relDir}/${path.basename(absolute)}`;
  const out = mkdtempSync(path.join(tmpdir(), 'callplan-plan-'));
  const cleanup = () => rmSync(out, { recursive: true, force: true });
  try {
    const exists = await git(root, ['cat-file', '-e', `${commit}:${relProject === '.' ? '' : relProject}`]).then(
      () => true,
      () => false,
    );
    if (!exists) return { commit, cleanup };
    const tar = await execa('git', ['archive', '--format=tar', commit, '--', relDir], { cwd: root, encoding: 'buffer', stripFinalNewline: false });
    await execa('tar', ['-x', '-C', out], { input: tar.stdout });
    return { projectPath: path.join(out, relProject), commit, cleanup };
  } catch (e) {
    cleanup();
    throw e;
  }
}

async function git(cwd: string, args: string[]): Promise<string> {
  const r = await execa('git', args, { cwd });
  return r.stdout.trim();
}

import path from 'node:path';
import picomatch from 'picomatch';
import { parseFile, type SyntaxProblem } from './parse-file.js';
import type { ProjectFs } from './project-fs.js';
import { SourcePositions } from './positions.js';

/** Call-flow tests (`callplan test`) live in this folder beside callplan.yaml. */
export const TESTS_DIR = 'tests';

export const ROOT_FILE = 'callplan.yaml';

/** One YAML file of a project, parsed, with the means to locate any path in it. */
export interface SourceFile {
  /** As shown to the user: relative to the working directory when below it. */
  displayPath: string;
  absPath: string;
  isRoot: boolean;
  text: string;
  /** undefined when the file could not be parsed. */
  data: unknown;
  positions: SourcePositions;
}

export interface LoadProblem extends SyntaxProblem {
  rule: string;
  file: string;
}

export interface LoadedFiles {
  rootDir: string;
  files: SourceFile[];
  problems: LoadProblem[];
}

export class ProjectNotFoundError extends Error {}

/**
 * Reads a project: a directory holding callplan.yaml, or one YAML file, plus every file its
 * `include` globs match (sorted, so the order never depends on the file system).
 */
export function loadFiles(fs: ProjectFs, target: string, cwd: string): LoadedFiles {
  const abs = path.resolve(cwd, target);
  if (!fs.existsSync(abs)) throw new ProjectNotFoundError(`${target}: no such file or directory`);
  const rootPath = fs.statSync(abs).isDirectory() ? path.join(abs, ROOT_FILE) : abs;
  if (!fs.existsSync(rootPath)) {
    throw new ProjectNotFoundError(`${target}: no ${ROOT_FILE} here (run \`callplan init ${target}\` to start a project)`);
  }
  const rootDir = path.dirname(rootPath);
  const display = (p: string) => displayPath(p, cwd);
  const problems: LoadProblem[] = [];

  const root = readSource(fs, rootPath, display(rootPath), true, problems);
  const files = [root];
  const includes = includePatterns(root.data);
  if (includes.length > 0) {
    // tests/ holds call-flow tests, never project sections, whatever a glob like **/*.yaml matches.
    const all = listFiles(fs, rootDir).filter((rel) => !rel.startsWith(`${TESTS_DIR}/`));
    // The secrets file is never a part of the project, whatever a glob like *.yaml matches.
    const secretsFile = (root.data as { secrets?: { file?: unknown } } | undefined)?.secrets?.file;
    const seen = new Set([rootPath, ...(typeof secretsFile === 'string' ? [path.resolve(rootDir, secretsFile)] : [])]);
    for (const { pattern, index } of includes) {
      const isMatch = picomatch(pattern, { dot: false });
      const matched = all.filter((rel) => isMatch(rel)).sort();
      if (matched.length === 0) {
        const pos = root.positions.locate(['include', index]);
        problems.push({
          rule: 'include-no-match',
          file: root.displayPath,
          ...pos,
          message: `include pattern "${pattern}" matches no file`,
          hint: `Patterns are relative to ${ROOT_FILE}, e.g. users/*.yaml; remove the entry or add the files.`,
        });
      }
      for (const rel of matched) {
        const abs = path.join(rootDir, rel);
        if (seen.has(abs)) continue;
        seen.add(abs);
        files.push(readSource(fs, abs, display(abs), false, problems));
      }
    }
  }
  return { rootDir, files, problems };
}

function readSource(fs: ProjectFs, absPath: string, shown: string, isRoot: boolean, problems: LoadProblem[]): SourceFile {
  const text = fs.readFileSync(absPath, 'utf8');
  const parsed = parseFile(text, shown);
  if (!parsed.ok) {
    for (const p of parsed.problems) problems.push({ rule: 'yaml-syntax', file: shown, ...p });
  }
  return {
    displayPath: shown,
    absPath,
    isRoot,
    text,
    data: parsed.ok ? (parsed.data ?? {}) : undefined,
    positions: new SourcePositions(text),
  };
}

function includePatterns(data: unknown): { pattern: string; index: number }[] {
  const include = (data as { include?: unknown } | undefined)?.include;
  if (!Array.isArray(include)) return [];
  return include.flatMap((pattern, index) => (typeof pattern === 'string' && pattern !== '' ? [{ pattern, index }] : []));
}

/** Every YAML file below dir, as forward-slash paths relative to it; hidden folders and node_modules are skipped. */
function listFiles(fs: ProjectFs, dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const name of fs.readdirSync(dir).map(String).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const abs = path.join(dir, name);
    const rel = prefix ? `${prefix}/${name}` : name;
    const stat = fs.statSync(abs);
    if (stat.isDirectory()) out.push(...listFiles(fs, abs, rel));
    else if (stat.isFile() && /\.ya?ml$/.test(name)) out.push(rel);
  }
  return out;
}

function displayPath(abs: string, cwd: string): string {
  const rel = path.relative(cwd, abs);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : abs;
}

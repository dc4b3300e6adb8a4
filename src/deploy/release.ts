import { createHash } from 'node:crypto';
import type { FileTree } from '../targets/target.js';

/**
 * A release is what one node runs: the files of the build meant for it, named by the hash of
 * their content, with a manifest of every file's SHA-256. The same build gives the same release
 * name, so deploying twice uploads nothing, and a host's files can always be checked against
 * what was deployed (drift).
 */
export interface Manifest {
  format: 1;
  /** The content hash (16 hex digits): the release's folder name. */
  release: string;
  node: string;
  /** Git revision of the project the build came from, when known (with `+dirty` when it had local changes). */
  revision?: string;
  createdAt: string;
  /** Path (relative to the release folder) → SHA-256 hex, sorted by path. */
  files: Record<string, string>;
}

export const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');

/** Top-level parts of a build every Asterisk node gets (besides its own asterisk/ tree). */
const SHARED = ['snom/', 'provisioning/', 'archive/', 'model.json'];

/**
 * The files of a build for one Asterisk node. Without an edge the build is one tree (asterisk/
 * and the rest); with one, the node's own nodes/<name>/ tree (its prefix dropped) and the shared
 * parts (SNOM files, provisioning snippets, archive units, model.json).
 */
export function nodeFiles(build: FileTree, node: string): FileTree {
  const out: FileTree = new Map();
  const perNode = [...build.keys()].some((p) => p.startsWith('nodes/'));
  const own = `nodes/${node}/`;
  for (const [path, content] of build) {
    if (perNode && path.startsWith(own)) out.set(path.slice(own.length), content);
    else if (perNode ? SHARED.some((s) => path === s || path.startsWith(s)) : !path.startsWith('nodes/')) out.set(path, content);
  }
  return new Map([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The files of a build for the Kamailio edge: its nodes/<edge>/kamailio/ tree (kamailio/…), nothing else (no phone's secrets). */
export function edgeFiles(build: FileTree, edge: string): FileTree {
  const own = `nodes/${edge}/`;
  return new Map([...build].filter(([p]) => p.startsWith(`${own}kamailio/`)).map(([p, c]) => [p.slice(own.length), c] as [string, string]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function releaseName(files: Record<string, string>): string {
  const h = createHash('sha256');
  for (const [path, sum] of Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))) h.update(`${path}\0${sum}\n`);
  return h.digest('hex').slice(0, 16);
}

export function makeManifest(files: FileTree, meta: { node: string; revision?: string; createdAt: Date }): Manifest {
  const sums = Object.fromEntries([...files].sort(([a], [b]) => (a < b ? -1 : 1)).map(([p, c]) => [p, sha256(c)]));
  return { format: 1, release: releaseName(sums), node: meta.node, ...(meta.revision !== undefined && { revision: meta.revision }), createdAt: meta.createdAt.toISOString(), files: sums };
}

/** manifest.json as it is written on the host. */
export const manifestText = (m: Manifest): string => `${JSON.stringify(m, null, 2)}\n`;

/** `sha256sum -c` input: the host checks a staged release (and drift) with it. */
export function sha256sums(m: Manifest): string {
  return Object.entries(m.files).map(([p, s]) => `${s}  ${p}\n`).join('');
}

/** Reads a manifest the host returned; undefined when it is not one. */
export function parseManifest(text: string): Manifest | undefined {
  try {
    const m = JSON.parse(text) as Manifest;
    if (m.format !== 1 || typeof m.release !== 'string' || typeof m.files !== 'object' || m.files === null) return undefined;
    return m;
  } catch {
    return undefined;
  }
}

export interface FileChange {
  path: string;
  kind: 'added' | 'removed' | 'changed';
}

/** What differs between two manifests (the first may be absent: a first deploy). */
export function changedFiles(from: Manifest | undefined, to: Manifest): FileChange[] {
  const out: FileChange[] = [];
  const before = from?.files ?? {};
  for (const [p, s] of Object.entries(to.files)) {
    if (!(p in before)) out.push({ path: p, kind: 'added' });
    else if (before[p] !== s) out.push({ path: p, kind: 'changed' });
  }
  for (const p of Object.keys(before)) if (!(p in to.files)) out.push({ path: p, kind: 'removed' });
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

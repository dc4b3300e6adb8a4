import { structuredPatch } from 'diff';
import { maskLine } from './mask.js';

/** A build: path → content. */
export type Files = ReadonlyMap<string, string>;

export interface FileDiff {
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** Lines added and removed. */
  additions: number;
  deletions: number;
  /** A unified diff (`--- a/…`, `+++ b/…`, hunks), every line masked (mask.ts). */
  patch: string;
}

/**
 * Two builds → the files that differ, each with a unified diff whose lines are masked: the diff is
 * computed on the real contents (so a changed secret still shows as a changed line), then every
 * line shown passes through maskLine. Sorted by path.
 */
export function fileDiffs(before: Files, after: Files, context = 3): FileDiff[] {
  const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: FileDiff[] = [];
  for (const path of paths) {
    const old = before.get(path);
    const now = after.get(path);
    if (old === now) continue;
    const patch = structuredPatch(`a/${path}`, `b/${path}`, old ?? '', now ?? '', undefined, undefined, { context });
    const head = [`--- ${old === undefined ? '/dev/null' : `a/${path}`}`, `+++ ${now === undefined ? '/dev/null' : `b/${path}`}`];
    let additions = 0;
    let deletions = 0;
    const body: string[] = [];
    for (const h of patch.hunks) {
      body.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
      for (const line of h.lines) {
        if (line.startsWith('+')) additions++;
        else if (line.startsWith('-')) deletions++;
        body.push(line.startsWith('\\') ? line : `${line[0]}${maskLine(path, line.slice(1))}`);
      }
    }
    out.push({ path, change: old === undefined ? 'added' : now === undefined ? 'removed' : 'changed', additions, deletions, patch: [...head, ...body].join('\n') });
  }
  return out;
}

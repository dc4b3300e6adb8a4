import { structuredPatch, type StructuredPatchHunk } from 'diff';
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
    const hunks = diffHunks(old ?? '', now ?? '', context);
    const head = [`--- ${old === undefined ? '/dev/null' : `a/${path}`}`, `+++ ${now === undefined ? '/dev/null' : `b/${path}`}`];
    let additions = 0;
    let deletions = 0;
    const body: string[] = [];
    for (const h of hunks) {
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

/**
 * The hunks of a unified diff. The lines both texts share at their start and end (beyond the
 * context) are set aside first: a one-line change in a 30 MB model.json then costs a comparison,
 * not a diff of the whole file. Hunk positions are those of the whole files.
 */
export function diffHunks(old: string, now: string, context = 3, margin = MARGIN): StructuredPatchHunk[] {
  const keep = context + margin;
  // The shared start, in whole lines, less `keep` lines.
  const shortest = Math.min(old.length, now.length);
  const same = sharedPrefix(old, now);
  let head = same === old.length && same === now.length ? same : old.lastIndexOf('\n', same - 1) + 1;
  for (let k = 0; k < keep && head > 0; k++) head = old.lastIndexOf('\n', head - 2) + 1;
  // The shared end, in whole lines not already in the start, less `keep` lines.
  let tail = old.length - sharedSuffix(old, now, shortest - head);
  // Only whole lines of both texts: the character before the shared end is a line end in each.
  const shift = now.length - old.length;
  const lineStart = (text: string, at: number) => at === 0 || text.charCodeAt(at - 1) === 10;
  while (tail < old.length && !(lineStart(old, tail) && lineStart(now, tail + shift))) {
    const next = old.indexOf('\n', tail);
    tail = next < 0 ? old.length : next + 1;
  }
  for (let k = 0; k < keep && tail < old.length; k++) {
    const next = old.indexOf('\n', tail);
    tail = next < 0 ? old.length : next + 1;
  }
  const cut = old.length - tail;
  const offset = countLines(old, head);
  const { hunks } = structuredPatch('a', 'b', old.slice(head, old.length - cut), now.slice(head, now.length - cut), undefined, undefined, { context });
  return hunks.map((h) => ({ ...h, oldStart: h.oldStart + offset, newStart: h.newStart + offset }));
}

/**
 * How many characters two texts share at their start. Compared a block at a time (a slice is a view
 * and two of them compare as memory), then character by character in the block that differs:
 * a character loop over a 10 MB file is ten times slower.
 */
export function sharedPrefix(a: string, b: string): number {
  const shortest = Math.min(a.length, b.length);
  let at = 0;
  while (at + BLOCK <= shortest && a.slice(at, at + BLOCK) === b.slice(at, at + BLOCK)) at += BLOCK;
  while (at < shortest && a.charCodeAt(at) === b.charCodeAt(at)) at++;
  return at;
}

/** How many characters two texts share at their end, at most `limit`, as sharedPrefix. */
export function sharedSuffix(a: string, b: string, limit = Math.min(a.length, b.length)): number {
  let n = 0;
  while (n + BLOCK <= limit && a.slice(a.length - n - BLOCK, a.length - n) === b.slice(b.length - n - BLOCK, b.length - n)) n += BLOCK;
  while (n < limit && a.charCodeAt(a.length - 1 - n) === b.charCodeAt(b.length - 1 - n)) n++;
  return n;
}

const BLOCK = 4096;

function countLines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

export const MARGIN = 200;

import { diffArrays } from 'diff';

/**
 * A changed file sent as the edits that turn the host's copy (the base release's) into it, when
 * that is much smaller than the file: a one-user change touches a few lines of a 10 MB dialplan.
 * Lines are the pieces of `text.split('\n')`, so a file with or without its last newline, or
 * empty, comes out byte for byte. The script, one operation per line:
 *
 *   c N   copy the next N lines of the base
 *   d N   skip the next N lines of the base
 *   a N   add the N lines that follow, as they are
 *
 * The host applies it with awk (DELTA_AWK); the result is checked against the manifest's SHA-256
 * before the release is committed, so a base that is not what deploy thought cannot slip through.
 */

/** Edits larger than this, or a diff this slow, are not worth it: the file goes whole. */
const MAX_EDITS = 5_000;
const TIMEOUT_MS = 5_000;

/** The delta script from `before` to `after`, or undefined when sending `after` whole is about as small. */
export function lineDelta(before: string, after: string): string | undefined {
  const changes = diffArrays(before.split('\n'), after.split('\n'), { maxEditLength: MAX_EDITS, timeout: TIMEOUT_MS });
  if (!changes) return undefined;
  const out: string[] = [];
  for (const c of changes) {
    if (c.added) out.push(`a ${c.count}`, ...c.value);
    else out.push(`${c.removed ? 'd' : 'c'} ${c.count}`);
  }
  const script = `${out.join('\n')}\n`;
  return script.length * 2 < after.length ? script : undefined;
}

/** What the host's awk does with a script (for tests, and the reference for DELTA_AWK). */
export function applyDelta(before: string, script: string): string {
  const base = before.split('\n');
  const lines = script.split('\n');
  const out: string[] = [];
  let at = 0;
  for (let i = 0; i < lines.length; i++) {
    const m = /^([cda]) (\d+)$/.exec(lines[i]!);
    if (!m) continue;
    const n = Number(m[2]);
    if (m[1] === 'a') {
      out.push(...lines.slice(i + 1, i + 1 + n));
      i += n;
    } else {
      if (m[1] === 'c') out.push(...base.slice(at, at + n).map((l) => l ?? ''));
      at += n;
    }
  }
  return out.join('\n');
}

/**
 * The host's side: `awk -v base=FILE -f- SCRIPT > OUT`. Base lines come from getline; the last
 * piece of a base that ends with a newline is the empty one getline never returns (EOF → "").
 * Output pieces are joined with "\n", exactly as applyDelta does.
 */
export const DELTA_AWK = [
  'function next_base(  l) { if ((getline l < base) > 0) return l; return "" }',
  'function out(s) { printf "%s%s", (started ? "\\n" : ""), s; started = 1 }',
  'adding > 0 { out($0); adding--; next }',
  '$1 == "c" { for (i = 0; i < $2; i++) out(next_base()); next }',
  '$1 == "d" { for (i = 0; i < $2; i++) next_base(); next }',
  '$1 == "a" { adding = $2 + 0; next }',
].join('\n');

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyDelta, DELTA_AWK, lineDelta } from '../../../src/deploy/delta.js';

const dir = mkdtempSync(join(tmpdir(), 'callplan-delta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The host's side, run by the local awk as deploy runs it on the host. */
function awkApply(before: string, script: string): string {
  writeFileSync(join(dir, 'base'), before);
  writeFileSync(join(dir, 'script'), script);
  const r = spawnSync('awk', ['-v', `base=${join(dir, 'base')}`, DELTA_AWK, join(dir, 'script')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

/** A deterministic pseudo-random generator, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
}

const big = (n: number) => Array.from({ length: n }, (_, i) => `exten => ${1000 + i},1,Dial(PJSIP/${1000 + i}-desk,20)`).join('\n');

describe('line deltas (deploy uploads the edits of a changed file)', () => {
  it('a few edits to a large file: the script is small, and the host’s awk and the reference rebuild it byte for byte', () => {
    const before = `${big(5000)}\n`;
    const after = before.replace('exten => 1100,1', 'exten => 1100,1,NoOp(renamed)\nexten => 1100,2').replace('exten => 4999,1,Dial(PJSIP/4999-desk,20)\n', '');
    const script = lineDelta(before, after)!;
    expect(script.length).toBeLessThan(300);
    expect(applyDelta(before, script)).toBe(after);
    expect(awkApply(before, script)).toBe(after);
  });

  it('edge cases: trailing newline added or removed, empty files, lines that look like operations, special characters', () => {
    const cases: Array<[string, string]> = [
      [`${big(300)}`, `${big(300)}\n`],
      [`${big(300)}\n`, `${big(300)}`],
      [`${big(300)}\n`, ''],
      ['', `${big(300)}\n`],
      [`${big(300)}\n`, `${big(150)}\nc 5\na 2\nd 1\n\n%s %d \\n \t "quoted"\n${big(300).split('\n').slice(150).join('\n')}\n`],
    ];
    for (const [before, after] of cases) {
      const script = lineDelta(before, after) ?? `a ${after.split('\n').length}\n${after}\n`;
      expect(applyDelta(before, script)).toBe(after);
      expect(awkApply(before, script)).toBe(after);
    }
  });

  it('random edits: awk agrees with the reference and both give the new file', () => {
    const random = rng(42);
    const base = big(400).split('\n');
    for (let round = 0; round < 25; round++) {
      const lines = [...base];
      for (let k = 0; k < 1 + Math.floor(random() * 8); k++) {
        const at = Math.floor(random() * lines.length);
        const op = random();
        if (op < 0.33) lines.splice(at, 1);
        else if (op < 0.66) lines.splice(at, 0, `added ${round}-${k}`, '');
        else lines[at] = `changed ${round}-${k}`;
      }
      const before = `${base.join('\n')}\n`;
      const after = random() < 0.5 ? `${lines.join('\n')}\n` : lines.join('\n');
      const script = lineDelta(before, after)!;
      expect(script, `round ${round}`).toBeDefined();
      expect(awkApply(before, script), `round ${round}`).toBe(after);
    }
  });

  it('a file rewritten throughout goes whole (no delta)', () => {
    const before = big(200);
    const after = before.replace(/Dial/g, 'Queue');
    expect(lineDelta(before, after)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { changedSections, readSections, sharedSections, type ConfSection, type SectionChange } from '../../../src/plan/conf-sections.js';

describe('readSections', () => {
  it('headers, typed sections, key = value lines normalized, comments and blanks left out, escaped semicolons kept', () => {
    const text = 'preamble = ignored\n[general]\n; a comment\n  x=1 ; trailing\n\n[2001](tpl)\ntype=endpoint\ncallerid = "A\\;B" <2001>\n[2001]\ntype => aor\n  [not closed\n;[commented]\nlast';
    expect(readSections(text)).toEqual([
      { key: 'general', name: 'general', lines: ['x = 1'] },
      { key: '2001/endpoint', name: '2001', type: 'endpoint', lines: ['type = endpoint', 'callerid = "A\\;B" <2001>'] },
      { key: '2001/aor', name: '2001', type: 'aor', lines: ['type = aor', '[not closed', 'last'] },
    ]);
  });

  it('an empty text, or one of comments only, has no sections', () => {
    expect(readSections('')).toEqual([]);
    expect(readSections('; only\n\n;comments\n')).toEqual([]);
  });
});

describe('changedSections', () => {
  it('a repeated header is one section (Asterisk merges them): a change in its second part changes it', () => {
    const before = '[a]\nx = 1\n[b]\ny = 1\n[a]\nz = 1\n';
    const after = '[a]\nx = 1\n[b]\ny = 1\n[a]\nz = 2\n';
    const changes = changedSections(before, after);
    expect(changes.map((c) => [c.key, c.kind])).toEqual([['a', 'changed']]);
    expect(changes[0]!.before!.lines).toEqual(['x = 1', 'z = 1']);
    expect(changes[0]!.after!.lines).toEqual(['x = 1', 'z = 2']);
  });

  it('lines moved between two parts of one section are no change; layout and comments are none either', () => {
    expect(changedSections('[a]\nx = 1\n[a]\ny = 2\n', '[a]\nx = 1\ny = 2\n')).toEqual([]);
    expect(changedSections('[a]\nx=1 ; old note\n', '[a]\n\n  x = 1 ; new note\n')).toEqual([]);
  });

  it('added, changed and removed, in the order of the new text and then of the old', () => {
    const changes = changedSections('[gone]\na = 1\n[kept]\nb = 1\n[c]\nc = 1\n', '[new]\nn = 1\n[c]\nc = 2\n[kept]\nb = 1\n');
    expect(changes.map((c) => [c.key, c.kind])).toEqual([
      ['new', 'added'],
      ['c', 'changed'],
      ['gone', 'removed'],
    ]);
  });
});

/** The plain way, as changedSections was first written: both texts read whole, merged, compared joined. */
function reference(before: string, after: string): SectionChange[] {
  const byKey = (sections: ConfSection[]) => {
    const map = new Map<string, ConfSection>();
    for (const s of sections) {
      const seen = map.get(s.key);
      if (seen) seen.lines.push(...s.lines);
      else map.set(s.key, { ...s, lines: [...s.lines] });
    }
    return map;
  };
  const old = byKey(readSections(before));
  const now = byKey(readSections(after));
  const out: SectionChange[] = [];
  for (const [key, a] of now) {
    const b = old.get(key);
    if (!b) out.push({ key, name: a.name, type: a.type, kind: 'added', after: a });
    else if (b.lines.join('\n') !== a.lines.join('\n')) out.push({ key, name: a.name, type: a.type ?? b.type, kind: 'changed', before: b, after: a });
  }
  for (const [key, b] of old) if (!now.has(key)) out.push({ key, name: b.name, type: b.type, kind: 'removed', before: b });
  return out;
}

describe('changedSections reads the sections both texts share once, with the same result as reading both whole', () => {
  // A small seeded generator: repeatable, and names from a short list so headers repeat.
  let seed = 20260101;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const LINES = ['[a]', '[b]', '[c](tpl)', '  [a] ; again', ';[commented]', 'type = endpoint', 'type=aor', 'x = 1', 'x=2', 'member => Local/1@q', 'callerid = "A\\;B"', '', '   ', '; note', 'exten => 1,1,NoOp()', '[d', 'last'];
  const text = (n: number) => Array.from({ length: n }, () => LINES[random(LINES.length)]).join('\n') + (random(2) ? '\n' : '');
  const edit = (t: string) => {
    const lines = t.split('\n');
    for (let k = 1 + random(3); k > 0; k--) {
      const at = random(lines.length + 1);
      const what = random(3);
      if (what === 0) lines.splice(at, 0, LINES[random(LINES.length)]!);
      else if (what === 1) lines.splice(at, 1);
      else lines[Math.min(at, lines.length - 1)] = LINES[random(LINES.length)]!;
    }
    return lines.join('\n');
  };

  it('on 3,000 random texts and edits of them', () => {
    let setAside = 0;
    for (let i = 0; i < 3000; i++) {
      const before = text(random(60));
      const after = random(10) === 0 ? text(random(60)) : edit(before);
      expect(changedSections(before, after), `${JSON.stringify(before)} → ${JSON.stringify(after)}`).toEqual(reference(before, after));
      const { head, oldTail } = sharedSections(before, after);
      if (head > 0 && oldTail < before.length) setAside++;
    }
    // About a third of the cases had whole sections to set aside at both ends: the fast path was checked, not only the fallback.
    expect(setAside).toBeGreaterThan(800);
  });

  it('added and removed files are every section added or removed', () => {
    const t = '[a]\nx = 1\n[b]\ntype = aor\n';
    expect(changedSections(undefined, t)).toEqual(reference('', t));
    expect(changedSections(t, undefined)).toEqual(reference(t, ''));
  });

  it('sharedSections sets aside whole sections at both ends, up to the headers next to the change', () => {
    const before = '[a]\nx = 1\n[b]\ny = 1\n[c]\nz = 1\n[d]\nw = 1\n';
    const after = before.replace('y = 1', 'y = 2');
    const { head, oldTail, nowTail } = sharedSections(before, after);
    expect(before.slice(0, head)).toBe('[a]\nx = 1\n');
    expect(before.slice(oldTail)).toBe('[c]\nz = 1\n[d]\nw = 1\n');
    expect(after.slice(nowTail)).toBe(before.slice(oldTail));
    expect(sharedSections('x\n[a]\n', 'y\n[a]\n')).toEqual({ head: 0, oldTail: 2, nowTail: 2 });
  });
});

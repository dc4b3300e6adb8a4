import { describe, expect, it } from 'vitest';
import { changedSections, readSections } from '../../../src/plan/conf-sections.js';

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

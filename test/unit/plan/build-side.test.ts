import { describe, expect, it } from 'vitest';
import { flatTexts } from '../../../src/plan/build-side.js';

describe('flatTexts', () => {
  it('gives back the same map with the same texts, however they were put together', () => {
    let rope = '';
    for (let i = 0; i < 2000; i++) rope += `line ${i}\n`;
    const files = new Map([
      ['a.conf', rope],
      ['empty', ''],
      ['b.xml', `<a>${'ü'.repeat(40)}</a>`],
    ]);
    const copy = new Map(files);
    expect(flatTexts(files)).toBe(files);
    expect([...files]).toEqual([...copy]);
  });
});

import { describe, expect, it } from 'vitest';
import { matchesPattern } from '../../../src/model/dial-pattern.js';

describe('Asterisk dial patterns', () => {
  it.each([
    ['112', '112', true],
    ['112', '1120', false],
    ['_0[1-9]XXXXXXXX', '0221234567', true],
    ['_0[1-9]XXXXXXXX', '0021234567', false],
    ['_00X.', '0048221234567', true],
    ['_00X.', '00', false],
    ['_00X.', '004', false],
    ['_NXX', '212', true],
    ['_NXX', '112', false],
    ['_ZX', '10', true],
    ['_ZX', '01', false],
    ['_9!', '9', true],
    ['_[15-7]X', '65', true],
    ['_[15-7]X', '25', false],
    ['_+48X.', '+48221234567', true],
    ['_070X.', '0701234', true],
  ])('%s matches %s: %s', (pattern, number, expected) => {
    expect(matchesPattern(pattern, number)).toBe(expected);
  });
});

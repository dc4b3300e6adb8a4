import { describe, expect, it } from 'vitest';
import { findSnomModel, SNOM_MODELS, snomModel } from '../../../src/targets/snom/models.js';

describe('the SNOM model table', () => {
  it('supports the D7xx, D3xx and 7xx models the issue names', () => {
    expect(SNOM_MODELS.map((m) => m.model)).toEqual(['D710', 'D715', 'D717', 'D735', 'D785', 'D315', 'D345', 'D375', 'D385', '710', '715', '720', '760']);
  });

  it('names each model’s requests as the phone does: snom + model, but the D710 and D715 ask as the 710 and 715', () => {
    expect(Object.fromEntries(SNOM_MODELS.map((m) => [m.model, m.phoneType]))).toEqual({
      D710: 'snom710',
      D715: 'snom715',
      D717: 'snomD717',
      D735: 'snomD735',
      D785: 'snomD785',
      D315: 'snomD315',
      D345: 'snomD345',
      D375: 'snomD375',
      D385: 'snomD385',
      '710': 'snom710',
      '715': 'snom715',
      '720': 'snom720',
      '760': 'snom760',
    });
  });

  it('counts the keys of every page: 48 on a D345 or D385, 3 on a D717', () => {
    expect([findSnomModel('D345')!.functionKeys, findSnomModel('snom D385')!.functionKeys, findSnomModel('d717')!.functionKeys]).toEqual([48, 48, 3]);
    expect(SNOM_MODELS.every((m) => m.identities >= 2)).toBe(true);
  });

  it('refuses a model validation should have refused', () => {
    expect(() => snomModel('D120')).toThrow(/unknown model "D120"/);
  });
});

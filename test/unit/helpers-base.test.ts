import { describe, expect, it } from 'vitest';
import { BASE, check } from '../helpers/project.js';

describe('the BASE test project', () => {
  it('is valid, so each rule test can add exactly one mistake to it', () => {
    const result = check({ 'callplan.yaml': BASE });
    expect(result.diagnostics).toEqual([]);
    expect(result.model?.users.map((u) => u.extension)).toEqual(['1001', '1002', '1003']);
  });
});

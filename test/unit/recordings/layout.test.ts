import { describe, expect, it } from 'vitest';
import { compileLayout, LayoutError, layoutValues } from '../../../src/recordings/archive/layout.js';
import { parseRecordingName } from '../../../src/recordings/archive/names.js';

const rec = parseRecordingName('20251231-235959_payments_3001_1767225599.7.wav')!;

describe('remote layout', () => {
  it('renders the default layout from the name, in UTC', () => {
    const layout = compileLayout('{yyyy}/{mm}/{dd}/{queue}/{file}');
    expect(layout.render(layoutValues(rec, rec.name, undefined))).toBe('2025/12/31/payments/20251231-235959_payments_3001_1767225599.7.wav');
    expect(layout.fields).toEqual(['yyyy', 'mm', 'dd', 'queue', 'file']);
  });

  it('puts a sidecar beside its recording', () => {
    const layout = compileLayout('{yyyy}/{mm}/{dd}/{queue}/{file}');
    expect(layout.render(layoutValues(rec, `${rec.base}.json`, {}))).toBe('2025/12/31/payments/20251231-235959_payments_3001_1767225599.7.json');
  });

  it('takes caller, callee, campaign and direction from the sidecar, and literal text', () => {
    const layout = compileLayout('/calls-{yyyy}/{campaign}/{direction}/h{hh}/{agent}-{callid}/{caller}_{callee}_{file}');
    const values = layoutValues(rec, rec.name, { campaign: 'early-arrears', direction: 'outbound', caller: '+48221234567', callee: '600100200' });
    expect(layout.render(values)).toBe('calls-2025/early-arrears/outbound/h23/3001-1767225599.7/+48221234567_600100200_20251231-235959_payments_3001_1767225599.7.wav');
  });

  it('writes "none" for a missing value and never lets a value add or climb folders', () => {
    const layout = compileLayout('{campaign}/{caller}/{callee}/{file}');
    expect(layout.render(layoutValues(rec, rec.name, { caller: '../../etc', callee: '..' }))).toBe('none/.._.._etc/__/20251231-235959_payments_3001_1767225599.7.wav');
    expect(layout.render(layoutValues(rec, rec.name, { caller: 'a/b\\c\0d e' }))).toMatch(/^none\/a_b_c_d_e\/none\//);
  });

  it.each([
    ['', /empty/],
    ['{yyyy}/{mm}', /must end with a file name holding \{file\}/],
    ['{file}/{yyyy}', /must end with a file name/],
    ['{yyyy}//{file}', /empty, "\." or "\.\." folder/],
    ['../{file}', /empty, "\." or "\.\." folder/],
    ['{yyy}/{file}', /unknown field \{yyy\}; the fields are \{yyyy\}, \{mm\}/],
    ['{yyyy/{file}', /unbalanced|unknown field/],
    ['{yyyy}}/{file}', /unbalanced "\}"/],
  ])('refuses %j', (template, message) => {
    expect(() => compileLayout(template)).toThrow(LayoutError);
    expect(() => compileLayout(template)).toThrow(message);
  });
});

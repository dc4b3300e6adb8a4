import { describe, expect, it } from 'vitest';
import { countChanges, semanticDiff } from '../../../src/plan/semantic/diff.js';
import { sameValue } from '../../../src/plan/semantic/same.js';
import { edit, exampleFiles, modelOf } from '../../helpers/example-project.js';
import { BASE } from '../../helpers/project.js';

const PAY = exampleFiles('payment-center-by');
const base = modelOf(PAY);
/** Every line the diff says, for compact assertions. */
const lines = (after: ReturnType<typeof modelOf>, before = base) =>
  semanticDiff(before, after).changes.flatMap((c) => (c.change === 'changed' ? c.fields.map((f) => f.text) : [`${c.title} ${c.change}: ${c.summary}`]));

describe('semanticDiff on the payment center', () => {
  it('the same model: no changes', () => {
    expect(semanticDiff(base, modelOf(PAY)).changes).toEqual([]);
  });

  it('a queue timeout: in the YAML words with its unit', () => {
    const after = modelOf(edit(PAY, { 'routing.yaml': [['    ring_timeout: 15\n    wrapup: 10', '    ring_timeout: 30\n    wrapup: 10']] }));
    expect(lines(after)).toEqual(['queue payments: ring_timeout 15 → 30 s']);
    const [change] = semanticDiff(base, after).changes;
    expect(change).toMatchObject({ kind: 'queue', id: 'payments', change: 'changed', fields: [{ field: 'ring_timeout', before: '15 s', after: '30 s' }] });
  });

  it('a backup member made primary reads as the user moving in the queue', () => {
    const after = modelOf(
      edit(PAY, {
        'routing.yaml': [
          ['      primary: [group:payments-team]\n', '      primary: [group:payments-team, user:2003]\n'],
          ['      backup: [user:2002, user:2003, group:identification-team]', '      backup: [user:2002, group:identification-team]'],
        ],
      }),
    );
    expect(lines(after)).toEqual(['user 2003: backup → primary in queue payments']);
  });

  it('members added and removed, naming the group that brought them', () => {
    const after = modelOf(edit(PAY, { 'routing.yaml': [['      backup: [user:2002, user:2003, group:identification-team]', '      backup: [user:2002, group:identification-team, user:2004]']] }));
    expect(lines(after)).toEqual(['user 2004 added to queue payments as backup', 'user 2003 removed from queue payments (was backup)']);
  });

  it('an IVR digit changed, one added, one removed', () => {
    const after = modelOf(edit(PAY, { 'routing.yaml': [['      "3": ivr:greeting-be\n      "0": queue:payments\n      "9": repeat', '      "3": queue:identification\n      "0": queue:payments\n      "7": ivr:greeting-be']] }));
    expect(lines(after)).toEqual(['IVR menu greeting: digit 3 ivr:greeting-be → queue:identification', 'IVR menu greeting: digit 7 added: ivr:greeting-be', 'IVR menu greeting: digit 9 removed (was repeat)']);
  });

  it('a user added with a device, a user removed with theirs', () => {
    const newUser = `  - extension: "2150"\n    name: Новый Оператор\n    site: minsk\n    group: payments-team\n    devices: [{ type: softphone }]\n\n`;
    const after = modelOf(edit(PAY, { 'operators/payments.yaml': [['  - extension: "2101"', `${newUser}  - extension: "2101"`]] }));
    expect(lines(after)).toContain('user 2150 added: Новый Оператор, site minsk, group payments-team, 1 device');
    expect(lines(after)).toContain('device 2150-softphone added: softphone, user 2150');
    expect(lines(after)).toContain('user 2150 added to queue payments as primary (through group payments-team)');
    const back = lines(base, after);
    expect(back).toContain('user 2150 removed: Новый Оператор, site minsk, group payments-team, 1 device');
    expect(back).toContain('device 2150-softphone removed: softphone, user 2150');
  });

  it('site hours, an inbound route and a trunk, field by field', () => {
    const text = PAY['carriers.yaml']!;
    expect(text).toMatch(/host: /);
    const after = modelOf(
      edit(PAY, {
        'routing.yaml': [['    closed: announcement:out-of-hours\n    holiday: announcement:holiday\n\n  - name: Идентификация', '    closed: voicemail:2099\n    holiday: announcement:holiday\n\n  - name: Идентификация']],
      }),
    );
    expect(lines(after)).toEqual(['inbound route Основной номер: closed announcement:out-of-hours → voicemail:2099']);
  });

  it('counts what changed', () => {
    const after = modelOf(edit(PAY, { 'routing.yaml': [['    ring_timeout: 15\n    wrapup: 10', '    ring_timeout: 30\n    wrapup: 10']] }));
    expect(countChanges(semanticDiff(base, after))).toBe('1 queue changed');
  });
});

describe('semanticDiff on a small project', () => {
  const small = modelOf({ 'callplan.yaml': BASE });

  it('a first deploy: everything added, no project line', () => {
    const diff = semanticDiff(undefined, small);
    expect(diff.changes.every((c) => c.change === 'added')).toBe(true);
    expect(diff.changes.map((c) => c.title)).toEqual(expect.arrayContaining(['site hq', 'trunk carrier', 'user 1001', 'queue support', 'IVR menu main']));
    expect(diff.changes.some((c) => c.kind === 'project')).toBe(false);
  });

  it("a trunk's password: its reference, never a value (the model holds none)", () => {
    const after = modelOf({ 'callplan.yaml': BASE.replace('${env:CARRIER_PASSWORD}', '${env:CARRIER_PASSWORD_2026}') });
    const diff = semanticDiff(small, after);
    expect(diff.changes).toEqual([
      { kind: 'trunk', id: 'carrier', title: 'trunk carrier', change: 'changed', fields: [{ field: 'password', before: '${env:CARRIER_PASSWORD}', after: '${env:CARRIER_PASSWORD_2026}', text: 'trunk carrier: password ${env:CARRIER_PASSWORD} → ${env:CARRIER_PASSWORD_2026}' }] },
    ]);
  });

  it('business hours per weekday and a closed day', () => {
    const after = modelOf({ 'callplan.yaml': BASE.replace('mon-fri: "08:00-17:00"', 'mon-thu: "08:00-17:00"\n      fri: "08:00-15:00"') });
    expect(lines(after, small)).toEqual(['site hq: hours.fri 08:00-17:00 → 08:00-15:00']);
  });
});

describe('semanticDiff on the debt-collection campaigns', () => {
  const DEBT = exampleFiles('debt-collection-pl');
  const debt = modelOf(DEBT);

  it('a calling window, days and a retry: clock times, day ranges and durations as the YAML writes them', () => {
    const after = modelOf(
      edit(DEBT, {
        'contact-center/campaigns.yaml': [
          ['window: { from: "09:00", to: "20:00", days: mon-fri }', 'window: { from: "10:00", to: "20:00", days: mon-sat }'],
          ['abandoned: { max: 3, after: 30m }', 'abandoned: { max: 2, after: 45m }'],
        ],
      }),
    );
    expect(lines(after, debt)).toEqual([
      'campaign early-arrears: window.from 09:00 → 10:00',
      'campaign early-arrears: window.days mon-fri → mon-sat',
      'campaign early-arrears: retries.abandoned.max 3 → 2',
      'campaign early-arrears: retries.abandoned.after 30 → 45 min',
    ]);
  });
});

describe('sameValue', () => {
  it('the same plain data, built twice, is the same', () => {
    const user = () => ({ extension: '2001', name: 'Anna', devices: [{ id: 'a', type: 'snom', mac: '0004135EBA7F' }], voicemail: { pin: { source: 'env', name: 'PIN' } }, dnd: false, wrapup: 0 });
    expect(sameValue(user(), user())).toBe(true);
    expect(sameValue([1, 'a', null, true], [1, 'a', null, true])).toBe(true);
  });

  it('any difference, however deep, a missing or undefined key, or another key order is not', () => {
    const base = { a: 1, b: { c: [1, 2, { d: 'x' }] } };
    expect(sameValue(base, { a: 1, b: { c: [1, 2, { d: 'y' }] } })).toBe(false);
    expect(sameValue(base, { a: 1, b: { c: [1, 2] } })).toBe(false);
    expect(sameValue({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(sameValue({ a: 1, b: 2 }, { b: 2, a: 1 })).toBe(false);
    expect(sameValue([1], { 0: 1 })).toBe(false);
    expect(sameValue(0, '0')).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(false);
  });

  it('what is not plain data is never the same, so it is compared the long way', () => {
    expect(sameValue(new Map([['a', 1]]), new Map([['a', 2]]))).toBe(false);
    expect(sameValue(new Date(0), new Date(0))).toBe(false);
  });
});

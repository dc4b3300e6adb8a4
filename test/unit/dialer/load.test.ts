import { describe, expect, it } from 'vitest';
import { parseLoadMap, resolveLoadColumns, type CampaignColumns } from '../../../src/dialer/load/columns.js';
import { countryOfTimezone, normalizeNumber, numberTimezone, regionTimezone } from '../../../src/dialer/load/numbers.js';
import { planLoad } from '../../../src/dialer/load/plan.js';
import { applyLoad } from '../../../src/dialer/load/apply.js';
import { openStateDatabase } from '../../../src/dialer/state/database.js';
import { DialerStore } from '../../../src/dialer/state/store.js';
import { parseCsv } from '../../../src/import/csv.js';
import { ImportUsageError } from '../../../src/import/errors.js';

const NO_SPEC: CampaignColumns = { numbers: [], numberTypes: {}, fields: [] };

describe('numbers to E.164', () => {
  it.each([
    ['+48 601 234 567', undefined, '48601234567'],
    ['0048601234567', undefined, '48601234567'],
    ['601-234-567', 'PL', '48601234567'],
    ['(0532) 123 45 67', 'TR', '905321234567'],
    ['8 (029) 123-45-67', 'BY', '375291234567'],
    ['+7 924 123 45 67', undefined, '79241234567'],
  ])('%s (country %s) is %s', (text, country, e164) => {
    expect(normalizeNumber(text, country)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['601234567', undefined, /not international .* give --country/],
    ['+48 60x 234', 'PL', /characters a phone number cannot hold/],
    ['+48 60', 'PL', /has 4 digits/],
    ['+0601234567', undefined, /no country code starts with 0/],
    ['+48+601234567', undefined, /'\+' inside/],
    ['  ', 'PL', /empty/],
  ])('refuses %s (country %s)', (text, country, reason) => {
    const r = normalizeNumber(text, country);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('finds time zones from a region or a number, and refuses to guess for countries with several', () => {
    expect(regionTimezone('pl')).toEqual({ ok: true, timezone: 'Europe/Warsaw' });
    expect(regionTimezone('Asia/Sakhalin')).toEqual({ ok: true, timezone: 'Asia/Sakhalin' });
    expect(regionTimezone('RU')).toMatchObject({ ok: false, reason: expect.stringMatching(/several time zones/) });
    expect(regionTimezone('Mars/Base')).toMatchObject({ ok: false, reason: expect.stringMatching(/unknown time zone/) });
    expect(numberTimezone('905321234567')).toBe('Europe/Istanbul');
    expect(numberTimezone('375291234567')).toBe('Europe/Minsk');
    expect(numberTimezone('79241234567')).toBeUndefined();
    expect(countryOfTimezone('Europe/Warsaw')).toBe('PL');
  });
});

describe('load columns', () => {
  it('reads --map either way round, several pairs per value, quoted headers', () => {
    expect(parseLoadMap('number1=Mobile,"Client, no"=id')).toEqual({ number1: 'Mobile', id: 'Client, no' });
    expect(parseLoadMap('Tel. dom=phone2')).toEqual({ number2: 'Tel. dom' });
    expect(() => parseLoadMap('Mobile=Home')).toThrow(/neither side is a field/);
  });

  it("takes the campaign's number columns in order with their types, its custom fields, and recognised headers", () => {
    const headers = ['Client ID', 'Name', 'home', 'mobile', 'balance', 'note', 'Time zone'];
    const spec: CampaignColumns = { numbers: ['mobile', 'home'], numberTypes: { home: 'landline' }, fields: ['balance'] };
    const c = resolveLoadColumns(headers, spec);
    expect(c.index).toEqual({ id: 0, name: 1, number1: 3, number2: 2, timezone: 6 });
    expect(c.types).toEqual({ number1: 'mobile', number2: 'landline' });
    expect(c.custom).toEqual([{ name: 'balance', index: 4 }]);
    // Without a list of fields, every column not read into a field is one.
    expect(resolveLoadColumns(headers, { ...spec, fields: [] }).custom.map((f) => f.name)).toEqual(['balance', 'note']);
  });

  it('lets --map override the campaign, and refuses a list without numbers or a mapped column that is not there', () => {
    const c = resolveLoadColumns(['a', 'b', 'tel'], { numbers: ['a'], numberTypes: {}, fields: [] }, { number1: 'tel' });
    expect(c.index).toEqual({ number1: 2 });
    expect(() => resolveLoadColumns(['x', 'y'], NO_SPEC)).toThrow(ImportUsageError);
    expect(() => resolveLoadColumns(['x', 'y'], NO_SPEC)).toThrow(/no phone number column: the header has "x", "y"/);
    expect(() => resolveLoadColumns(['x'], NO_SPEC, { number1: 'Phone' })).toThrow(/--map number1=Phone: no such column/);
  });
});

const CSV = `id;name;phone1;phone2;region;priority;balance
A-1;Jan Kowalski;+48 601 000 001;22 100 00 01;PL;2;100
A-2;Anna Nowak;601 000 002;;;;200
A-3;Bad Number;60x;;;;300
A-4;No Numbers;;;;;400
A-5;Wrong Region;+48601000005;;Narnia;;500
A-6;Bad Priority;+48601000006;;;high;600
A-2;Twice;+48601000007;;;;700
;No Id;+48601000008;;;;800
A-9;Turkish;+905321234567;;;;900
`;

function plan(text: string, existing = new Map<string, never>()) {
  const table = { encoding: 'utf-8', ...parseCsv(text) };
  const columns = resolveLoadColumns(table.headers, NO_SPEC);
  return planLoad(table, columns, { campaign: 'c', country: 'PL', timezone: 'Europe/Warsaw' }, (id) => existing.get(id));
}

describe('load plan', () => {
  it('keeps good rows and names each bad one by line with every reason', () => {
    const p = plan(CSV);
    expect(p.add.map((c) => c.id)).toEqual(['A-1', 'A-2', 'A-9']);
    expect(p.skipped).toEqual([
      { line: 4, reasons: ['number1 (phone1): "60x" has characters a phone number cannot hold'] },
      { line: 5, reasons: ['no phone number'] },
      { line: 6, reasons: ['region (region): unknown region "Narnia"; give an ISO country code (PL, TR ...) or a time zone (Europe/Warsaw)'] },
      { line: 7, reasons: ['priority (priority): "high" is not a whole number from -1000 to 1000'] },
      { line: 8, reasons: ['id A-2 is already on line 3'] },
      { line: 9, reasons: ['id (id): empty'] },
    ]);
    expect(p.add[0]).toMatchObject({ line: 2, id: 'A-1', name: 'Jan Kowalski', priority: 2, timezone: 'Europe/Warsaw', numbers: [{ number: '48601000001' }, { number: '48221000001' }], fields: { balance: '100' } });
    // A number of another country than the campaign's gets its own time zone.
    expect(p.add[2]!.numbers).toEqual([{ number: '905321234567', type: 'unknown', timezone: 'Europe/Istanbul' }]);
  });

  it('adds nothing the second time, in a real database; a contact loaded before with other data is kept as it was', () => {
    const store = new DialerStore(openStateDatabase(':memory:'));
    const first = planLoad({ encoding: 'utf-8', ...parseCsv(CSV) }, resolveLoadColumns(parseCsv(CSV).headers, NO_SPEC), { campaign: 'c', country: 'PL' }, (id) => store.contactById('c', id));
    expect(applyLoad(store, first, 1)).toBe(3);
    const again = planLoad({ encoding: 'utf-8', ...parseCsv(CSV) }, resolveLoadColumns(parseCsv(CSV).headers, NO_SPEC), { campaign: 'c', country: 'PL' }, (id) => store.contactById('c', id));
    expect(again).toMatchObject({ add: [], unchanged: 3, differs: [] });
    expect(applyLoad(store, again, 2)).toBe(0);
    const changed = CSV.replace('Jan Kowalski', 'Jan K.');
    const third = planLoad({ encoding: 'utf-8', ...parseCsv(changed) }, resolveLoadColumns(parseCsv(changed).headers, NO_SPEC), { campaign: 'c', country: 'PL' }, (id) => store.contactById('c', id));
    expect(third).toMatchObject({ add: [], unchanged: 2, differs: [{ line: 2, id: 'A-1' }] });
    expect(store.contactById('c', 'A-1')!.name).toBe('Jan Kowalski');
  });

  it('without an id column, knows contacts by their content: the same file twice adds nothing, a changed row is a new contact', () => {
    const text = 'name,phone\nJan,+48601000001\nAnna,+48601000002\n';
    const store = new DialerStore(openStateDatabase(':memory:'));
    const load = (t: string) => {
      const table = { encoding: 'utf-8', ...parseCsv(t) };
      const p = planLoad(table, resolveLoadColumns(table.headers, NO_SPEC), { campaign: 'c' }, (id) => store.contactById('c', id));
      return { p, added: applyLoad(store, p, 1) };
    };
    expect(load(text)).toMatchObject({ added: 2, p: { keyedBy: 'content' } });
    expect(load(text)).toMatchObject({ added: 0, p: { unchanged: 2 } });
    expect(load(text.replace('Anna', 'Anna B')).added).toBe(1);
  });
});

describe('do-not-call lists', () => {
  it('reads the number column (or the first, header or not), in E.164, naming bad lines', async () => {
    const { planDoNotCall } = await import('../../../src/dialer/load/do-not-call.js');
    const withHeader = { encoding: 'utf-8', ...parseCsv('added;Numer telefonu\n2026-01-01;601 000 001\n2026-01-02;+48 601 000 002\n2026-01-03;abc\n2026-01-04;0048601000001\n') };
    expect(planDoNotCall(withHeader, 'PL')).toEqual({ numbers: ['48601000001', '48601000002'], skipped: [{ line: 4, reasons: ['"abc" has characters a phone number cannot hold'] }] });
    const bare = { encoding: 'utf-8', ...parseCsv('+48601000003\n+48601000004\n') };
    expect(planDoNotCall(bare, undefined).numbers).toEqual(['48601000003', '48601000004']);
  });
});

import { describe, expect, it } from 'vitest';
import { headerKey, mapFromObject, parseMapSpec, resolveColumns } from '../../../src/import/columns.js';
import { ImportUsageError } from '../../../src/import/errors.js';

describe('resolveColumns', () => {
  it('recognises common headers whatever their case, accents and punctuation', () => {
    const c = resolveColumns(['Ext.', 'Full Name', 'E-Mail Address', 'MAC address', 'Phone model', 'Office', 'Team', 'Notes', 'SIP Password']);
    expect(c.index).toEqual({ extension: 0, name: 1, email: 2, mac: 3, model: 4, site: 5, group: 6 });
    expect(c.unused).toEqual(['Notes', 'SIP Password']);
    expect(c.secrets).toEqual(['SIP Password']);
  });

  it('reads Polish and Russian headers, and first plus last name', () => {
    expect(resolveColumns(['Numer wewnętrzny', 'Imię', 'Nazwisko', 'Oddział', 'Dział']).index).toEqual({ extension: 0, first_name: 1, last_name: 2, site: 3, group: 4 });
    expect(resolveColumns(['Внутренний номер', 'ФИО', 'MAC-адрес', 'Офис', 'Отдел', 'Пароль']).secrets).toEqual(['Пароль']);
  });

  it('takes explicit columns first, by header, loose header or number; field= means none', () => {
    const c = resolveColumns(['Number', 'Name', 'Ext', 'Phone MAC', 'Model'], { extension: 'Ext', mac: '#4', first_name: 'Name', model: '' });
    expect(c.index).toEqual({ extension: 2, first_name: 1, mac: 3 });
    expect(c.header).toEqual({ extension: 'Ext', first_name: 'Name', mac: 'Phone MAC' });
    expect(c.unused).toEqual(['Number', 'Model']);
    expect(() => resolveColumns(['Number', 'Name', 'Ext'], { extension: 'Ext', name: '' })).toThrow(/no name column/);
    expect(resolveColumns(['ext', 'full name'], { name: 'FULL-NAME' }).index.name).toBe(1);
  });

  it('refuses a mapping to a column that is not there, naming the headers', () => {
    expect(() => resolveColumns(['Ext', 'Name'], { mac: 'MAC' })).toThrow(/--map mac=MAC: no such column; the header has "Ext", "Name"/);
    expect(() => resolveColumns(['Ext', 'Name'], { mac: '#3' })).toThrow(ImportUsageError);
  });

  it('needs an extension and a name', () => {
    expect(() => resolveColumns(['Who', 'Name'])).toThrow(/no extension column: the header has "Who", "Name"; name it with --map extension=HEADER/);
    expect(() => resolveColumns(['Ext', 'Who'])).toThrow(/no name column/);
  });

  it('normalises headers', () => {
    expect(headerKey(' E-mail ')).toBe('email');
    expect(headerKey('Oddział')).toBe('oddzial');
  });
});

describe('--map and --map-file', () => {
  it('parses field=header pairs, quoted headers and "" inside quotes', () => {
    expect(parseMapSpec('extension=Ext,name="Full, name",mac=#5,model=,e-mail=Mail,first-name="The ""first"""')).toEqual({
      extension: 'Ext',
      name: 'Full, name',
      mac: '#5',
      model: '',
      email: 'Mail',
      first_name: 'The "first"',
    });
  });

  it('refuses unknown fields and malformed lists', () => {
    expect(() => parseMapSpec('phone=Tel')).toThrow(/unknown field "phone" .* fields are extension, name/);
    expect(() => parseMapSpec('extension')).toThrow(/write field=Header pairs/);
  });

  it('reads a mapping file', () => {
    expect(mapFromObject({ extension: 'Ext', lastname: 'Surname', model: null }, 'map.yaml')).toEqual({ extension: 'Ext', last_name: 'Surname', model: '' });
    expect(() => mapFromObject(['Ext'], 'map.yaml')).toThrow(/mapping file holds field: Header lines/);
  });
});

import { describe, expect, it } from 'vitest';
import { decodeCsv, delimiterFlag, detectDelimiter, parseCsv, readCsv, CsvSyntaxError } from '../../../src/import/csv.js';
import { ImportUsageError } from '../../../src/import/errors.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('decodeCsv', () => {
  it('reads UTF-8 with and without a byte-order mark', () => {
    expect(decodeCsv(bytes('\uFEFFExt;Name\n1001;Łukasz\n'))).toEqual({ text: 'Ext;Name\n1001;Łukasz\n', encoding: 'utf-8' });
    expect(decodeCsv(bytes('Ext;Name\n1001;Łukasz\n')).text).toBe('Ext;Name\n1001;Łukasz\n');
  });

  it("reads Excel's Unicode text (UTF-16 LE with a byte-order mark)", () => {
    const text = 'Ext\tName\r\n1001\tЮлия\r\n';
    const le = new Uint8Array([0xff, 0xfe, ...Buffer.from(text, 'utf16le')]);
    expect(decodeCsv(le)).toEqual({ text, encoding: 'utf-16le' });
  });

  it('reads a Windows code page when told, and refuses to guess one', () => {
    // "Łódź" in windows-1250: Ł=A3 ó=F3 d ź=9F
    const cp1250 = new Uint8Array([0x4e, 0x61, 0x6d, 0x65, 0x0a, 0xa3, 0xf3, 0x64, 0x9f, 0x0a]);
    expect(decodeCsv(cp1250, 'windows-1250').text).toBe('Name\nŁódź\n');
    expect(decodeCsv(cp1250, 'cp1250').encoding).toBe('windows-1250');
    expect(() => decodeCsv(cp1250)).toThrow(ImportUsageError);
    expect(() => decodeCsv(cp1250)).toThrow(/not valid UTF-8 \(line 2\).*--encoding windows-1250/);
    expect(() => decodeCsv(cp1250, 'klingon')).toThrow(/unknown encoding "klingon"/);
  });
});

describe('parseCsv', () => {
  it('detects the delimiter from the header line, ignoring quoted ones', () => {
    expect(detectDelimiter('Ext;Name;"MAC, label";Model')).toBe(';');
    expect(detectDelimiter('Ext,Name,MAC')).toBe(',');
    expect(detectDelimiter('Ext\tName\tMAC')).toBe('\t');
    expect(detectDelimiter('Ext|Name')).toBe('|');
    expect(detectDelimiter('Extension')).toBe(',');
    expect(parseCsv('Ext;Name\n1001;Anna\n').delimiter).toBe(';');
  });

  it("takes Excel's sep= line, and counts lines from the top of the file", () => {
    const t = parseCsv('sep=;\nExt;Name\n1001;"Kowalska, Anna"\n');
    expect(t.delimiter).toBe(';');
    expect(t.headers).toEqual(['Ext', 'Name']);
    expect(t.rows).toEqual([{ line: 3, fields: ['1001', 'Kowalska, Anna'] }]);
  });

  it('reads quoted fields: delimiters, doubled quotes, line breaks; lines are where each row starts', () => {
    const t = parseCsv('Ext,Name,Note\r\n1001,"Jan ""JK"" Kowalski","two\r\nlines"\r\n\r\n1002,Ewa,x\r\n1003,O"Brien,y\r\n');
    expect(t.rows).toEqual([
      { line: 2, fields: ['1001', 'Jan "JK" Kowalski', 'two\nlines'] },
      { line: 5, fields: ['1002', 'Ewa', 'x'] },
      { line: 6, fields: ['1003', 'O"Brien', 'y'] },
    ]);
  });

  it('keeps rows of another length for the planner to report', () => {
    expect(parseCsv('a,b,c\n1,2\n1,2,3,4\n').rows.map((r) => r.fields.length)).toEqual([2, 4]);
  });

  it('names the line of a quote that is never closed', () => {
    try {
      parseCsv('Ext,Name\n1001,Anna\n\n1002,"Ewa\n1003,Piotr\n');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CsvSyntaxError);
      expect((e as CsvSyntaxError).line).toBe(4);
      expect((e as CsvSyntaxError).message).toMatch(/never closed/);
    }
  });

  it('keeps text after a closing quote as written, so that one row is judged, not the whole file', () => {
    expect(parseCsv('Ext,Name\n1001,Anna\n1002,"Ewa"x\n').rows[1]).toEqual({ line: 3, fields: ['1002', '"Ewa"x'] });
  });

  it('reads bytes to a table in one call, and an empty file to no header', () => {
    expect(readCsv(bytes('\uFEFFExt,Name\n1,2\n'))).toMatchObject({ encoding: 'utf-8', delimiter: ',', headers: ['Ext', 'Name'] });
    expect(readCsv(bytes('')).headers).toEqual([]);
  });
});

describe('--delimiter', () => {
  it('takes one character, or tab', () => {
    expect(delimiterFlag('auto')).toBeUndefined();
    expect(delimiterFlag(';')).toBe(';');
    expect(delimiterFlag('tab')).toBe('\t');
    expect(delimiterFlag('\\t')).toBe('\t');
    expect(() => delimiterFlag(';;')).toThrow(ImportUsageError);
  });
});

import { CsvError as ParserError, parse } from 'csv-parse/sync';
import { ImportUsageError } from './errors.js';

/** One data row of the CSV: its fields as written, and the line it starts on (1-based, as an editor shows it). */
export interface CsvRow {
  line: number;
  fields: string[];
}

export interface CsvTable {
  /** The encoding the bytes were read with (utf-8, utf-16le, windows-1250 ...). */
  encoding: string;
  delimiter: string;
  headers: string[];
  rows: CsvRow[];
}

/** The file cannot be read as CSV (an unclosed quote, say): nothing is imported. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** Delimiters tried when none is given, in order of preference on a tie. */
export const DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * Bytes to text. A byte-order mark decides (UTF-8, UTF-16 LE/BE, as Excel's "CSV UTF-8" and
 * "Unicode text" write them); without one the text must be valid UTF-8, or the encoding must
 * be named: Excel's plain "CSV" is in the Windows code page (windows-1250 for Polish,
 * windows-1251 for Russian, windows-1252 for Western European), which cannot be told apart
 * reliably from the bytes alone, so callplan does not guess.
 */
export function decodeCsv(bytes: Uint8Array, encoding = 'auto'): { text: string; encoding: string } {
  const bom = detectBom(bytes);
  const wanted = encoding.toLowerCase();
  if (wanted === 'auto' && bom) return { text: decode(bytes.subarray(bom.length), bom.encoding, true), encoding: bom.encoding };
  const label = wanted === 'auto' ? 'utf-8' : wanted;
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new ImportUsageError(`unknown encoding "${encoding}"; use e.g. utf-8, utf-16le, windows-1250, windows-1251 or windows-1252`);
  }
  // A BOM of the very encoding asked for is skipped, as any reader would.
  const body = bom && bom.encoding === decoder.encoding ? bytes.subarray(bom.length) : bytes;
  try {
    return { text: decoder.decode(body), encoding: decoder.encoding };
  } catch {
    const line = firstBadLine(body, decoder.encoding);
    throw new ImportUsageError(
      `the file is not valid ${decoder.encoding.toUpperCase()}${line ? ` (line ${line})` : ''}. ` +
        (wanted === 'auto'
          ? "Excel's plain CSV is written in the Windows code page: pass --encoding windows-1250 (Central European), windows-1251 (Cyrillic) or windows-1252 (Western), or save as \"CSV UTF-8\"."
          : 'Check --encoding.'),
    );
  }
}

function detectBom(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf-8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return undefined;
}

function decode(bytes: Uint8Array, encoding: string, fatal: boolean): string {
  try {
    return new TextDecoder(encoding, { fatal }).decode(bytes);
  } catch {
    throw new ImportUsageError(`the file starts with a ${encoding.toUpperCase()} byte-order mark but is not valid ${encoding.toUpperCase()}`);
  }
}

function firstBadLine(bytes: Uint8Array, encoding: string): number | undefined {
  const text = new TextDecoder(encoding).decode(bytes);
  const at = text.indexOf('\uFFFD');
  return at < 0 ? undefined : text.slice(0, at).split('\n').length;
}

/**
 * Text to a header and rows, with csv-parse (RFC 4180 quoting, quotes doubled inside quoted
 * fields, line breaks inside quotes). The delimiter is the one given, or Excel's `sep=` first
 * line, or the candidate seen most often in the header line. Line endings are made `\n` first,
 * so the line numbers csv-parse counts are the ones an editor shows.
 */
export function parseCsv(text: string, options: { delimiter?: string } = {}): Omit<CsvTable, 'encoding'> {
  const normalized = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = normalized.split('\n');
  let fromLine = 1;
  let delimiter = options.delimiter;
  const sep = /^"?sep=(.)"?$/i.exec(lines[0] ?? '');
  if (sep) {
    fromLine = 2;
    delimiter ??= sep[1]!;
  }
  const headerLine = lines.slice(fromLine - 1).find((l) => l.trim() !== '') ?? '';
  delimiter ??= detectDelimiter(headerLine);

  let lastRecordEnd = fromLine - 1;
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(normalized, {
      delimiter,
      from_line: fromLine,
      info: true,
      relax_column_count: true,
      // A quote inside an unquoted field (O"Brien), or text after a closing quote, is kept as
      // written: the row is then judged (and reported) on its own instead of failing the file.
      relax_quotes: true,
      skip_empty_lines: true,
      on_record: (record, context) => {
        lastRecordEnd = context.lines;
        return record;
      },
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (!(e instanceof ParserError)) throw e;
    throw syntaxError(e, lines, lastRecordEnd);
  }
  const [header, ...data] = records;
  return {
    delimiter,
    headers: header ? header.record.map((h) => h.trim()) : [],
    rows: data.map(({ record, info }) => ({
      // info.lines is where the record ends; a quoted field may span lines.
      line: info.lines - record.reduce((n, field) => n + countNewlines(field), 0),
      fields: record,
    })),
  };
}

/** Bytes to a table: decodeCsv, then parseCsv. */
export function readCsv(bytes: Uint8Array, options: { encoding?: string; delimiter?: string } = {}): CsvTable {
  const { text, encoding } = decodeCsv(bytes, options.encoding);
  return { encoding, ...parseCsv(text, options) };
}

function syntaxError(e: ParserError, lines: string[], lastRecordEnd: number): CsvSyntaxError {
  const code = (e as { code?: string }).code;
  // The broken record starts on the first non-empty line after the last good one.
  let start = lastRecordEnd + 1;
  while (start <= lines.length && lines[start - 1]!.trim() === '') start++;
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new CsvSyntaxError('a quoted field is never closed: the rest of the file would be one field', start, 'Close the quote, or double a quote that belongs to the text ("").');
  }
  return new CsvSyntaxError(e.message.replace(/ at line \d+.*$/, ''), start, 'Check the quoting on this line.');
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

/** The candidate delimiter found most often outside quotes in the header line; a comma when none is found. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && counts.has(ch)) counts.set(ch, counts.get(ch)! + 1);
  }
  let best: string = ',';
  for (const d of DELIMITERS) if (counts.get(d)! > counts.get(best)!) best = d;
  return best;
}

/** The --delimiter flag's spelling to the character: `tab` and `\t` for a tab. */
export function delimiterFlag(value: string): string | undefined {
  if (value === 'auto') return undefined;
  if (value === 'tab' || value === '\\t') return '\t';
  if ([...value].length !== 1) throw new ImportUsageError(`--delimiter ${value}: give one character (, ; | or tab)`);
  return value;
}

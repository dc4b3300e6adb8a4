import { describe, expect, it } from 'vitest';
import { formatFetch, type FetchRecord } from '../../../src/provision/fetch-log.js';

const RECORD: FetchRecord = { time: '2026-11-25T10:00:00.000Z', ip: '10.0.0.7', method: 'GET', path: '/snom/000413A1B2C3.xml', status: 200, result: 'ok', mac: '000413A1B2C3', model: 'D785', bytes: 1234 };

describe('formatFetch', () => {
  it('one text line: time, address, request, status, result, MAC, model, size', () => {
    expect(formatFetch(RECORD, 'text')).toBe('2026-11-25T10:00:00.000Z 10.0.0.7 GET /snom/000413A1B2C3.xml 200 ok mac=000413A1B2C3 model=D785 bytes=1234');
    expect(formatFetch({ ...RECORD, status: 401, result: 'unauthorized', mac: undefined, model: undefined, bytes: 13 }, 'text')).toBe('2026-11-25T10:00:00.000Z 10.0.0.7 GET /snom/000413A1B2C3.xml 401 unauthorized bytes=13');
  });

  it('one JSON object per line', () => {
    expect(JSON.parse(formatFetch(RECORD, 'json'))).toEqual(RECORD);
  });

  it('cannot be made to forge lines: control characters are replaced and long paths cut', () => {
    const line = formatFetch({ ...RECORD, path: '/snom/x\n2026-01-01 1.2.3.4 GET /snom/y 200 ok' + 'a'.repeat(500) }, 'text');
    expect(line).not.toContain('\n');
    expect(line.length).toBeLessThan(330);
  });
});

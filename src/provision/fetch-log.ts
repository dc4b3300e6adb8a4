/**
 * One line per request: when, who (address; MAC and model when known or claimed), what, and how
 * it ended. Never a password or an Authorization header. What the client sent (path, claimed
 * MAC) is cut to length and stripped of control characters, so a request cannot forge log lines.
 */
export type FetchResult = 'ok' | 'unauthorized' | 'not-found' | 'not-in-build' | 'rate-limited' | 'bad-method' | 'error';

export interface FetchRecord {
  time: string;
  ip: string;
  method: string;
  path: string;
  status: number;
  result: FetchResult;
  mac?: string;
  model?: string;
  bytes: number;
}

export type LogFormat = 'text' | 'json';

const clean = (text: string, max: number) => {
  const safe = text.replace(/[^\x20-\x7e]/g, '?');
  return safe.length > max ? `${safe.slice(0, max)}...` : safe;
};

export function formatFetch(r: FetchRecord, format: LogFormat): string {
  const record: FetchRecord = { ...r, method: clean(r.method, 16), path: clean(r.path, 200), ip: clean(r.ip, 64) };
  if (format === 'json') return JSON.stringify(record);
  const who = [record.mac && `mac=${record.mac}`, record.model && `model=${record.model}`].filter(Boolean).join(' ');
  return `${record.time} ${record.ip} ${record.method} ${record.path} ${record.status} ${record.result}${who ? ` ${who}` : ''} bytes=${record.bytes}`;
}

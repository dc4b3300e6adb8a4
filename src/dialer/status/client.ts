import type { LiveStats } from '../api/backend.js';
import { DEFAULT_API_PORT } from '../api/server.js';

/** The daemon's API could not be asked: not running, not reachable, or the token refused. */
export class ApiUnreachableError extends Error {}

export function apiUrl(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return (flag ?? env['CALLPLAN_DIALER_API_URL'] ?? `http://127.0.0.1:${DEFAULT_API_PORT}`).replace(/\/+$/, '');
}

/** GET /v1/stats with the bearer token. */
export async function fetchStats(url: string, token: string, timeoutMs = 5000): Promise<LiveStats> {
  let res: Response;
  try {
    res = await fetch(`${url}/v1/stats`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (e as Error).message;
    throw new ApiUnreachableError(`cannot reach the dialer's API at ${url} (${cause}); is the daemon running? (--url or CALLPLAN_DIALER_API_URL)`);
  }
  if (res.status === 401) throw new ApiUnreachableError(`the dialer's API at ${url} refused the token; check CALLPLAN_DIALER_API_TOKEN(_FILE)`);
  if (!res.ok) throw new ApiUnreachableError(`the dialer's API at ${url} answered ${res.status}`);
  return (await res.json()) as LiveStats;
}

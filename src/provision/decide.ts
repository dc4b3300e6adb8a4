import { authenticate, claimedMac, parseBasic } from './auth.js';
import type { FetchResult } from './fetch-log.js';
import type { ProvisionedPhone } from './phones.js';
import type { RateLimiter } from './rate-limit.js';
import { isOwnFile, routeMac, routeRequest } from './routes.js';

/** What the server knows: the phones, how to derive their passwords, the URL prefix, the limiter. */
export interface Policy {
  /** "/snom/": the path of provisioning.url, where the phones ask. */
  prefix: string;
  phones: ReadonlyMap<string, ProvisionedPhone>;
  passwordOf(mac: string): string;
  limiter: RateLimiter;
}

export interface RequestFacts {
  method: string;
  /** The request target: path and query. */
  target: string;
  authorization: string | undefined;
  /** The client address (after any trusted proxy). */
  ip: string;
  now: number;
}

export type Decision =
  | { status: 200; result: 'ok'; file: string; mac: string; model: string }
  | { status: 401 | 404 | 405 | 429; result: Exclude<FetchResult, 'ok'>; mac?: string; model?: string; retryAfterSeconds?: number };

/**
 * The whole policy of the provisioning server, without I/O, in this order:
 *
 * 1. too many requests from this address: 429 (before anything else, so guessing is slow);
 * 2. not GET or HEAD: 405;
 * 3. credentials that prove no MAC of the project, whichever way they fail (none, wrong
 *    password, unknown MAC): 401, by one path (see authenticate);
 * 4. a proven phone asking for anything but its own files: 404, decided from the path and the
 *    phone alone, so it learns nothing about other phones either;
 * 5. its own file: 200 with the file's name (the server reads it from the build).
 */
export function decide(policy: Policy, req: RequestFacts): Decision {
  const admission = policy.limiter.take(req.ip, req.now);
  const route = routeRequest(req.target, policy.prefix);
  if (!admission.allowed) return { status: 429, result: 'rate-limited', retryAfterSeconds: admission.retryAfterSeconds, ...who(policy, routeMac(route)) };
  if (req.method !== 'GET' && req.method !== 'HEAD') return { status: 405, result: 'bad-method' };
  const claimed = parseBasic(req.authorization);
  const mac = authenticate(claimed, policy.passwordOf, (m) => policy.phones.has(m));
  if (mac === undefined) return { status: 401, result: 'unauthorized', ...who(policy, claimedMac(claimed) ?? routeMac(route)) };
  const phone = policy.phones.get(mac)!;
  if (route.kind === 'none' || !isOwnFile(route, phone)) return { status: 404, result: 'not-found', mac, model: phone.model };
  return { status: 200, result: 'ok', file: route.file, mac, model: phone.model };
}

/** MAC and model for the log: the model only for a MAC the project lists. */
function who(policy: Policy, mac: string | undefined): { mac?: string; model?: string } {
  if (mac === undefined) return {};
  const phone = policy.phones.get(mac);
  return phone ? { mac, model: phone.model } : { mac };
}

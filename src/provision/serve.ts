import * as fs from 'node:fs';
import path from 'node:path';
import type { Model } from '../model/types.js';
import { provisioningCredentials } from '../secrets/provisioning-credentials.js';
import type { SecretResolver } from '../secrets/resolve.js';
import { trustedProxies } from './client-ip.js';
import type { LogFormat } from './fetch-log.js';
import { provisionedPhones, type ProvisionedPhone } from './phones.js';
import { RateLimiter } from './rate-limit.js';
import { normalizePrefix, urlPrefix } from './routes.js';
import type { ServerOptions } from './server.js';

/** A reason `provision serve` cannot start that lies in how it was called (exit code 2). */
export class ServeUsageError extends Error {}

export interface ServeRequest {
  buildDir: string;
  host: string;
  port?: number;
  cert?: string;
  key?: string;
  prefix?: string;
  trustedProxies: string[];
  perMinute: number;
  burst: number;
  logFormat: LogFormat;
  log(line: string): void;
}

export const DEFAULT_PORTS = { http: 8080, https: 8443 } as const;

/**
 * Everything the server needs, from the project and the flags: the phones, their passwords
 * (derived from secrets.device_master, never stored), the URL prefix (the path of
 * provisioning.url), the build's snom/ directory, TLS material and proxy trust.
 */
export function serverOptions(model: Model, secrets: SecretResolver, r: ServeRequest): ServerOptions & { phones: ProvisionedPhone[] } {
  const phones = provisionedPhones(model);
  if (phones.length === 0) throw new ServeUsageError('the project has no SNOM phones (devices of type snom with a MAC and a model): nothing to serve');
  const snomDir = path.resolve(r.buildDir, 'snom');
  if (!fs.existsSync(snomDir) || !fs.statSync(snomDir).isDirectory()) {
    throw new ServeUsageError(`${path.join(r.buildDir, 'snom')}: no such directory. Build first (callplan build --out ${r.buildDir}); the snom target writes it when the project sets provisioning.url`);
  }
  if ((r.cert === undefined) !== (r.key === undefined)) throw new ServeUsageError('--cert and --key go together: give both for HTTPS, neither for HTTP');
  const tls = r.cert !== undefined && r.key !== undefined ? { cert: readPem(r.cert, '--cert'), key: readPem(r.key, '--key') } : undefined;
  let trusted;
  try {
    trusted = trustedProxies(r.trustedProxies);
  } catch (e) {
    throw new ServeUsageError(`--trusted-proxy: ${(e as Error).message}`);
  }
  if (!(r.perMinute > 0) || !(r.burst >= 1)) throw new ServeUsageError('--rate-limit must be above 0 and --burst at least 1');
  const byMac = new Map(phones.map((p) => [p.mac, p]));
  const prefix = r.prefix !== undefined ? normalizePrefix(r.prefix) : model.provisioning?.url ? urlPrefix(model.provisioning.url) : '/';
  return {
    phones,
    snomDir,
    host: r.host,
    port: r.port ?? (tls ? DEFAULT_PORTS.https : DEFAULT_PORTS.http),
    tls,
    trusted,
    log: r.log,
    logFormat: r.logFormat,
    policy: {
      prefix,
      phones: byMac,
      passwordOf: (mac) => provisioningCredentials(mac, secrets).password,
      limiter: new RateLimiter({ perMinute: r.perMinute, burst: r.burst }),
    },
  };
}

function readPem(file: string, flag: string): Buffer {
  let text: Buffer;
  try {
    text = fs.readFileSync(file);
  } catch (e) {
    throw new ServeUsageError(`${flag} ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  if (!text.toString('utf8').includes('-----BEGIN ')) throw new ServeUsageError(`${flag} ${file}: not a PEM file`);
  return text;
}

/** Whether plain HTTP on this address sends credentials where others can read them. */
export function exposedInClear(host: string, tls: boolean): boolean {
  return !tls && !/^(127\.|::1$|localhost$)/.test(host);
}

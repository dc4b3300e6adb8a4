import { readFile } from 'node:fs/promises';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { clientAddress, type TrustedProxies } from './client-ip.js';
import { decide, type Decision, type Policy } from './decide.js';
import { formatFetch, type FetchRecord, type FetchResult, type LogFormat } from './fetch-log.js';

export interface ServerOptions {
  /** The build's snom/ directory: the files are read from it at every request, so a rebuild takes effect at once. */
  snomDir: string;
  policy: Policy;
  host: string;
  port: number;
  /** PEM certificate (chain) and key: HTTPS; without them plain HTTP. */
  tls?: { cert: Buffer; key: Buffer };
  trusted: TrustedProxies;
  /** Receives one formatted line per request. */
  log(line: string): void;
  logFormat: LogFormat;
  /** For tests: the clock. */
  now?: () => number;
}

export interface RunningServer {
  /** http(s)://host:port/prefix/ as bound (the port resolved when 0 was asked). */
  url: string;
  port: number;
  close(): Promise<void>;
}

const REALM = 'Basic realm="callplan provisioning", charset="UTF-8"';
/** One body per status, whatever the reason: responses must not tell failures apart. */
const BODIES: Record<number, string> = {
  401: 'Unauthorized\n',
  404: 'Not found\n',
  405: 'Method not allowed\n',
  429: 'Too many requests\n',
  500: 'Internal error\n',
};

export async function startProvisioningServer(o: ServerOptions): Promise<RunningServer> {
  const now = o.now ?? Date.now;
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const ip = clientAddress(req.socket.remoteAddress ?? '', header(req, 'x-forwarded-for'), o.trusted);
    const decision = decide(o.policy, { method: req.method ?? '', target: req.url ?? '', authorization: header(req, 'authorization'), ip, now: now() });
    const record = (status: number, result: FetchResult, bytes: number, d: Decision) =>
      o.log(formatFetch({ time: new Date(now()).toISOString(), ip, method: req.method ?? '', path: (req.url ?? '').split('?')[0]!, status, result, mac: d.mac, model: d.model, bytes } satisfies FetchRecord, o.logFormat));
    if (decision.status !== 200) {
      const body = send(res, decision.status, BODIES[decision.status]!, req.method === 'HEAD', decision.status === 401 ? { 'WWW-Authenticate': REALM } : decision.status === 429 ? { 'Retry-After': String(decision.retryAfterSeconds) } : decision.status === 405 ? { Allow: 'GET, HEAD' } : {});
      record(decision.status, decision.result, body, decision);
      return;
    }
    readFile(path.join(o.snomDir, decision.file)).then(
      (content) => {
        const bytes = send(res, 200, content, req.method === 'HEAD', { 'Content-Type': 'text/xml; charset=utf-8' });
        record(200, 'ok', bytes, decision);
      },
      (e: NodeJS.ErrnoException) => {
        // The project lists the phone, the build has no such file: built from another version, or being rebuilt.
        const status = e.code === 'ENOENT' ? 404 : 500;
        const bytes = send(res, status, BODIES[status]!, req.method === 'HEAD', {});
        record(status, status === 404 ? 'not-in-build' : 'error', bytes, decision);
      },
    );
  };
  const server = o.tls ? https.createServer({ cert: o.tls.cert, key: o.tls.key, minVersion: 'TLSv1.2' }, handler) : http.createServer(handler);
  // Slow or half-open clients do not hold the server: a phone's request is small and quick.
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = o.host.includes(':') ? `[${o.host}]` : o.host;
  return {
    url: `${o.tls ? 'https' : 'http'}://${host}:${port}${o.policy.prefix}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function header(req: http.IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}

/** Writes a response that is never cached (it may hold passwords); returns the body's length. */
function send(res: http.ServerResponse, status: number, body: string | Buffer, head: boolean, headers: Record<string, string>): number {
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(head ? undefined : bytes);
  return bytes.length;
}

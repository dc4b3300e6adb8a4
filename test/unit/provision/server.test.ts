import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustedProxies } from '../../../src/provision/client-ip.js';
import type { ProvisionedPhone } from '../../../src/provision/phones.js';
import { RateLimiter } from '../../../src/provision/rate-limit.js';
import { startProvisioningServer, type RunningServer, type ServerOptions } from '../../../src/provision/server.js';

/**
 * The provisioning server on a loopback port, over HTTP and over HTTPS with a throwaway
 * self-signed certificate (made here with openssl, deleted afterwards): the right phone gets its
 * file; a wrong password and an unknown MAC get the very same 401; a burst gets 429.
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-prov-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const phone = (mac: string, model: string, phoneType: string): ProvisionedPhone => ({ mac, model, phoneType, extension: '1001', name: 'Anna', site: 'hq', endpoint: `1001-${mac}` });
const A = phone('000413A1B2C3', 'D785', 'snomD785');
const B = phone('000413A1B2C4', 'D785', 'snomD785');
const password = (mac: string) => `pw-${mac}-Zq8`;

const snomDir = path.join(tmp, 'build/snom');
mkdirSync(snomDir, { recursive: true });
const FILES: Record<string, string> = {
  '000413A1B2C3.xml': '<settings><phone-settings><user_pass idx="1" perm="R">A-secret</user_pass></phone-settings></settings>\n',
  '000413A1B2C4.xml': '<settings><phone-settings><user_pass idx="1" perm="R">B-secret</user_pass></phone-settings></settings>\n',
  'snomD785-000413A1B2C3.htm': '<setting-files><file url="https://prov/snom/000413A1B2C3.xml"/></setting-files>\n',
  'snomD785.htm': '<setting-files><file url="https://prov/snom/{mac}.xml"/></setting-files>\n',
};
for (const [name, text] of Object.entries(FILES)) writeFileSync(path.join(snomDir, name), text);

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(url: string, o: { user?: string; pass?: string; method?: string; headers?: Record<string, string>; ca?: Buffer } = {}): Promise<Reply> {
  const u = new URL(url);
  const headers: Record<string, string> = { ...o.headers };
  if (o.user !== undefined) headers.Authorization = `Basic ${Buffer.from(`${o.user}:${o.pass ?? ''}`).toString('base64')}`;
  const lib = u.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = lib.request(u, { method: o.method ?? 'GET', headers, ca: o.ca, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

function options(lines: string[], o: Partial<ServerOptions> = {}): ServerOptions {
  return {
    snomDir,
    host: '127.0.0.1',
    port: 0,
    trusted: trustedProxies([]),
    log: (line) => lines.push(line),
    logFormat: 'text',
    policy: { prefix: '/snom/', phones: new Map([A, B].map((p) => [p.mac, p])), passwordOf: password, limiter: new RateLimiter({ perMinute: 60, burst: 50 }) },
    ...o,
  };
}

/** What a failure response shows a client, but for its date. */
const visible = (r: Reply) => ({ status: r.status, body: r.body, headers: { ...r.headers, date: undefined } });

describe.each(['http', 'https'] as const)('provision server over %s on loopback', (scheme) => {
  let server: RunningServer;
  let ca: Buffer | undefined;
  const lines: string[] = [];

  beforeAll(async () => {
    let tls: ServerOptions['tls'];
    if (scheme === 'https') {
      const dir = mkdtempSync(path.join(tmp, 'tls-'));
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      tls = { cert: readFileSync(path.join(dir, 'cert.pem')), key: readFileSync(path.join(dir, 'key.pem')) };
      ca = tls.cert;
      rmSync(dir, { recursive: true, force: true });
    }
    server = await startProvisioningServer(options(lines, { tls }));
  });
  afterAll(async () => {
    await server?.close();
  });

  it(`listens on a ${scheme} URL under the prefix`, () => {
    expect(server.url).toMatch(new RegExp(`^${scheme}://127\\.0\\.0\\.1:\\d+/snom/$`));
  });

  it('gives the right phone its settings, its list and its type list, never cached', async () => {
    for (const file of ['000413A1B2C3.xml', 'snomD785-000413A1B2C3.htm', 'snomD785.htm']) {
      const r = await get(`${server.url}${file}`, { user: A.mac, pass: password(A.mac), ca });
      expect(r.status, file).toBe(200);
      expect(r.body).toBe(FILES[file]);
      expect(r.headers['content-type']).toBe('text/xml; charset=utf-8');
      expect(r.headers['cache-control']).toBe('no-store');
    }
    const head = await get(`${server.url}000413A1B2C3.xml`, { user: A.mac, pass: password(A.mac), ca, method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(FILES['000413A1B2C3.xml']!)));
  });

  it('refuses a wrong password and an unknown MAC alike: same status, headers and body as no credentials', async () => {
    const url = `${server.url}000413A1B2C3.xml`;
    const none = await get(url, { ca });
    const wrong = await get(url, { user: A.mac, pass: 'guessed-password', ca });
    const unknown = await get(`${server.url}000413FFFFFF.xml`, { user: '000413FFFFFF', pass: password('000413FFFFFF'), ca });
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Basic realm="callplan provisioning", charset="UTF-8"');
    for (const r of [wrong, unknown]) expect(visible(r)).toEqual(visible(none));
    // A proven phone asking for another's file learns nothing either: 404, the same for a phone that exists and one that does not.
    const other = await get(`${server.url}000413A1B2C4.xml`, { user: A.mac, pass: password(A.mac), ca });
    const missing = await get(`${server.url}000413FFFFFF.xml`, { user: A.mac, pass: password(A.mac), ca });
    expect(other.status).toBe(404);
    expect(visible(missing)).toEqual(visible(other));
    expect(other.body).not.toContain('B-secret');
    const bAsksForA = await get(url, { user: B.mac, pass: password(B.mac), ca });
    expect(visible(bAsksForA)).toEqual(visible(other));
  });

  it('logs every fetch with address, MAC, model and result, and never a password', async () => {
    await get(`${server.url}000413A1B2C3.xml`, { user: A.mac, pass: password(A.mac), ca });
    await get(`${server.url}000413A1B2C3.xml`, { user: A.mac, pass: 'guessed-password', ca });
    const log = lines.join('\n');
    expect(log).toMatch(/^\d{4}-\d\d-\d\dT\S+Z 127\.0\.0\.1 GET \/snom\/000413A1B2C3\.xml 200 ok mac=000413A1B2C3 model=D785 bytes=\d+$/m);
    expect(log).toMatch(/ GET \/snom\/000413A1B2C3\.xml 401 unauthorized mac=000413A1B2C3 model=D785 bytes=13$/m);
    expect(log).toMatch(/ GET \/snom\/000413FFFFFF\.xml 401 unauthorized mac=000413FFFFFF bytes=13$/m);
    for (const secret of ['guessed-password', password(A.mac), password(B.mac), 'A-secret']) expect(log).not.toContain(secret);
  });
});

describe('provision server limits and proxies', () => {
  it('gives 429 to a burst from one address, with Retry-After, and keeps serving the others (behind a trusted proxy)', async () => {
    const lines: string[] = [];
    const server = await startProvisioningServer(
      options(lines, {
        trusted: trustedProxies(['127.0.0.1']),
        policy: { prefix: '/snom/', phones: new Map([[A.mac, A]]), passwordOf: password, limiter: new RateLimiter({ perMinute: 1, burst: 5 }) },
      }),
    );
    try {
      const from = (ip: string) => get(`${server.url}000413A1B2C3.xml`, { user: A.mac, pass: password(A.mac), headers: { 'X-Forwarded-For': ip } });
      const burst = await Promise.all(Array.from({ length: 12 }, () => from('10.0.0.7')));
      const statuses = burst.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      const limited = burst.find((r) => r.status === 429)!;
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.body).toBe('Too many requests\n');
      expect((await from('10.0.0.8')).status).toBe(200);
      expect(lines.filter((l) => l.includes(' 10.0.0.7 ') && l.includes(' 429 rate-limited '))).toHaveLength(7);
      expect(lines.some((l) => l.includes(' 10.0.0.8 GET '))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('answers 404 (not-in-build) for a phone of the project whose file the build lacks', async () => {
    const lines: string[] = [];
    const server = await startProvisioningServer(options(lines));
    try {
      const r = await get(`${server.url}snomD785-000413A1B2C4.htm`, { user: B.mac, pass: password(B.mac) });
      expect(r.status).toBe(404);
      expect(r.body).toBe('Not found\n');
      expect(lines.at(-1)).toMatch(/ 404 not-in-build mac=000413A1B2C4 model=D785 /);
    } finally {
      await server.close();
    }
  });

  it('refuses other methods with 405', async () => {
    const server = await startProvisioningServer(options([]));
    try {
      const r = await get(`${server.url}000413A1B2C3.xml`, { method: 'PUT', user: A.mac, pass: password(A.mac) });
      expect(r.status).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    } finally {
      await server.close();
    }
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callplan, STACK } from '../helpers/cli.js';

/**
 * `callplan provision serve` as a user runs it: the real binary on a loopback port, over HTTP and
 * HTTPS (a throwaway self-signed certificate made with openssl, deleted afterwards), in front of
 * what `callplan build` wrote.
 */
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-provision-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ENV = { CALLPLAN_DEVICE_MASTER: 'cli-master-4hJ8vQ2xLm9Rt5Zp7Wc3Yb6Nd1Hs0Fk' };
const project = path.join(tmp, 'project');
const build = path.join(tmp, 'build');
mkdirSync(project);
writeFileSync(
  path.join(project, 'callplan.yaml'),
  `version: 1
name: cli-prov
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
provisioning:
  url: https://prov.example.pl/phones/
nodes:
  pbx: { role: asterisk, address: 10.0.0.10 }
sites:
  hq: { timezone: Europe/Warsaw }
users:
  - { extension: "1001", name: Anna, site: hq, devices: [{ type: snom, model: D785, mac: "00:04:13:4a:1b:2c" }] }
  - { extension: "1002", name: Piotr, site: hq, devices: [{ type: snom, model: D385, mac: "00:04:13:4a:1b:2d" }] }
`,
);

/** The MAC's password, as its DHCP host entry hands it to the phone. */
function passwordOf(mac: string): string {
  const dhcp = readFileSync(path.join(build, 'provisioning/dhcp/hq.dhcpd.conf'), 'utf8');
  return new RegExp(`https://${mac}:([^@]+)@`).exec(dhcp)![1]!;
}

interface Serving {
  url: string;
  stop(): Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** Starts the real binary, waits for its "serving ... at URL" line on stderr (bounded). */
function serve(args: string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'provision', 'serve', project, '--build', build, '--port', '0', ...args], { env: { ...process.env, ...ENV }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no "serving" line within 20 s:\n${stderr}`));
    }, 20_000);
    child.stderr.on('data', (d) => {
      stderr += d;
      const m = / at (https?:\/\/\S+)\n/.exec(stderr);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        stop: async () => {
          child.kill('SIGTERM');
          const code = await exited;
          return { code, stdout, stderr };
        },
      });
    });
    exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before serving:\n${stderr}`));
    });
  });
}

function get(url: string, auth?: [string, string], ca?: Buffer): Promise<{ status: number; body: string }> {
  const headers = auth ? { Authorization: `Basic ${Buffer.from(auth.join(':')).toString('base64')}` } : undefined;
  return fetchish(url, headers, ca);
}

async function fetchish(url: string, headers: Record<string, string> | undefined, ca: Buffer | undefined): Promise<{ status: number; body: string }> {
  if (url.startsWith('http:')) {
    const r = await fetch(url, { headers });
    return { status: r.status, body: await r.text() };
  }
  return new Promise((resolve, reject) => {
    https
      .get(url, { headers, ca, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      })
      .on('error', reject);
  });
}

beforeAll(() => {
  const r = callplan(['build', project, '--out', build], { env: ENV });
  expect(r.code, r.stderr).toBe(0);
});

describe('callplan provision serve', () => {
  it('has help with examples', () => {
    const r = callplan(['provision', 'serve', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('callplan provision serve');
  });

  it('serves over HTTP on loopback at the path of provisioning.url, logs each fetch, stops on SIGTERM with 0', async () => {
    const s = await serve([]);
    expect(s.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/phones\/$/);
    const own = await get(`${s.url}0004134A1B2C.xml`, ['0004134A1B2C', passwordOf('0004134A1B2C')]);
    const wrong = await get(`${s.url}0004134A1B2C.xml`, ['0004134A1B2C', 'not-the-password']);
    const unknown = await get(`${s.url}000413FFFFFF.xml`, ['000413FFFFFF', 'not-the-password']);
    const other = await get(`${s.url}0004134A1B2D.xml`, ['0004134A1B2C', passwordOf('0004134A1B2C')]);
    const { code, stdout, stderr } = await s.stop();
    expect(own.status).toBe(200);
    expect(own.body).toBe(readFileSync(path.join(build, 'snom/0004134A1B2C.xml'), 'utf8'));
    expect([wrong.status, unknown.status, wrong.body === unknown.body]).toEqual([401, 401, true]);
    expect(other.status).toBe(404);
    expect(code).toBe(0);
    expect(stderr).toContain('serving 2 SNOM phones from');
    expect(stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(stdout).toMatch(/ 127\.0\.0\.1 GET \/phones\/0004134A1B2C\.xml 200 ok mac=0004134A1B2C model=D785 bytes=\d+\n/);
    expect(stdout).not.toContain(passwordOf('0004134A1B2C'));
    expect(stdout + stderr).not.toMatch(STACK);
  });

  it('serves over HTTPS with --cert and --key', async () => {
    const dir = mkdtempSync(path.join(tmp, 'tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const ca = readFileSync(path.join(dir, 'cert.pem'));
    const s = await serve(['--cert', path.join(dir, 'cert.pem'), '--key', path.join(dir, 'key.pem'), '--log-format', 'json']);
    try {
      expect(s.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/phones\/$/);
      const r = await get(`${s.url}snomD385-0004134A1B2D.htm`, ['0004134A1B2D', passwordOf('0004134A1B2D')], ca);
      expect(r.status).toBe(200);
      expect(r.body).toContain('<setting-files>');
      expect((await get(`${s.url}snomD385-0004134A1B2D.htm`, undefined, ca)).status).toBe(401);
    } finally {
      const { code, stdout } = await s.stop();
      rmSync(dir, { recursive: true, force: true });
      expect(code).toBe(0);
      expect(JSON.parse(stdout.split('\n')[0]!)).toMatchObject({ ip: '127.0.0.1', path: '/phones/snomD385-0004134A1B2D.htm', status: 200, result: 'ok', mac: '0004134A1B2D', model: 'D385' });
    }
  });

  it('exits 2 with one line for usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['--build', path.join(tmp, 'nowhere')], /nowhere\/snom: no such directory\. Build first/],
      [['--build', build, '--cert', path.join(tmp, 'x.pem')], /--cert and --key go together/],
      [['--build', build, '--cert', path.join(tmp, 'x.pem'), '--key', path.join(tmp, 'y.pem')], /--cert .*x\.pem: no such file/],
      [['--build', build, '--trusted-proxy', 'proxy.example'], /--trusted-proxy: not an IP address or CIDR range: proxy\.example/],
    ];
    for (const [args, message] of cases) {
      const r = callplan(['provision', 'serve', project, ...args], { env: ENV });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it('exits 1 when the master secret the passwords come from is not set', () => {
    const r = callplan(['provision', 'serve', project, '--build', build], { env: { CALLPLAN_DEVICE_MASTER: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot serve: .*CALLPLAN_DEVICE_MASTER.* not set/);
  });
});

describe('callplan provision resync', () => {
  it('has help with examples', () => {
    const r = callplan(['provision', 'resync', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain('callplan provision resync --mac');
  });

  it('exits 2 with one line without a selection, or with an unknown MAC or site', () => {
    const cases: [string[], RegExp][] = [
      [[], /name the phones: --mac MAC \(repeatable\), --site SITE or --all/],
      [['--all', '--site', 'hq'], /name the phones/],
      [['--mac', '00:04:13:ff:ff:ff'], /--mac 00:04:13:ff:ff:ff: no SNOM phone of the project has this MAC/],
      [['--site', 'annex'], /--site annex: no such site \(sites: hq\)/],
    ];
    for (const [args, message] of cases) {
      const r = callplan(['provision', 'resync', project, ...args], { env: ENV });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
    }
  });

  it("exits 9 and sends nothing when Asterisk's manager cannot be reached", () => {
    // Port 9 (discard) on loopback: nothing listens there.
    const r = callplan(['provision', 'resync', project, '--all', '--ami-port', '9', '--timeout', '2000'], { env: ENV });
    expect(r.code).toBe(9);
    expect(r.stderr).toMatch(/cannot reach Asterisk's manager at 127\.0\.0\.1:9: ECONNREFUSED\. Nothing was sent\./);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('exits 1 when the master secret the manager secret comes from is not set', () => {
    const r = callplan(['provision', 'resync', project, '--all'], { env: { CALLPLAN_DEVICE_MASTER: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot resync: .*CALLPLAN_DEVICE_MASTER.* not set/);
  });
});

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, chmodSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFiles } from '../../src/project/build.js';
import { checkProject } from '../../src/project/check.js';
import type { SecretValues } from '../../src/secrets/refs.js';
import { perFile } from './harness/lifecycle.js';
import { releasePorts, reservePorts } from './harness/ports.js';

/**
 * What the provisioning target writes for the examples, read by the real programs it is for:
 * ISC dhcpd and dnsmasq check every site's host entries; nginx serves snom/ with the snippet on a
 * loopback port and lets each phone into its own files only, refusing everything else with one
 * and the same 401.
 */
const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TOOLS = { dhcpd: '/usr/sbin/dhcpd', dnsmasq: '/usr/sbin/dnsmasq', nginx: '/usr/sbin/nginx' };
const standIn = (name: string) => `Gx7!${createHash('sha256').update(name).digest('base64url').slice(0, 32)}`;
const SECRETS: SecretValues = { get: (ref) => (/pin/i.test(ref.name) ? String(7_300_000 + ref.name.length * 1_013) : standIn(ref.name)) };
const ENV = new Proxy({} as Record<string, string>, { get: (_t, name) => (typeof name === 'string' ? standIn(name) : undefined) });

/** Checks the programs are installed without running them: `dnsmasq -h` is not help, it starts a DNS server. */
function requireTools(): void {
  const missing = Object.entries(TOOLS).filter(([, bin]) => {
    try {
      accessSync(bin, constants.X_OK);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length > 0) throw new Error(`missing ${missing.map(([n]) => n).join(', ')}: run \`bash test/e2e/install.sh\` as root (it installs isc-dhcp-server, dnsmasq-base and nginx-light)`);
}

function buildExample(example: string, dir: string): Map<string, string> {
  const { model, diagnostics } = checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO });
  if (!model) throw new Error(JSON.stringify(diagnostics));
  const files = buildFiles(model, SECRETS);
  for (const [file, content] of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
  return files;
}

const EXAMPLES = ['debt-collection-pl', 'payment-center-by', 'sales-ru-follow-the-sun'];

describe.each(EXAMPLES)('DHCP host entries of examples/%s', (example) => {
  it('each site file passes dhcpd -t and dnsmasq --test', () => {
    requireTools();
    const dir = mkdtempSync(path.join(tmpdir(), 'callplan-dhcp-'));
    try {
      const files = buildExample(example, dir);
      const sites = [...files.keys()].filter((f) => f.endsWith('.dhcpd.conf'));
      expect(sites.length).toBeGreaterThan(0);
      for (const file of sites) {
        const main = path.join(dir, 'dhcpd-main.conf');
        writeFileSync(main, `ddns-update-style none;\ninclude "${path.join(dir, file)}";\n`);
        const d = spawnSync(TOOLS.dhcpd, ['-t', '-q', '-cf', main], { encoding: 'utf8', timeout: 20_000 });
        expect(d.status, `${file}\n${d.stdout}${d.stderr}`).toBe(0);
        const dnsmasqFile = path.join(dir, file.replace(/\.dhcpd\.conf$/, '.dnsmasq.conf'));
        const m = spawnSync(TOOLS.dnsmasq, ['--test', `--conf-file=${dnsmasqFile}`], { encoding: 'utf8', timeout: 20_000 });
        expect(m.status, `${dnsmasqFile}\n${m.stdout}${m.stderr}`).toBe(0);
        expect(m.stderr).toContain('syntax check OK');
      }
      // The checkers do refuse a broken entry: the test would see one.
      const broken = path.join(dir, 'broken.conf');
      writeFileSync(broken, readFileSync(path.join(dir, sites[0]!), 'utf8').replace(/;\n\s*option tftp/, '\n  option tftp'));
      writeFileSync(path.join(dir, 'dhcpd-main.conf'), `include "${broken}";\n`);
      expect(spawnSync(TOOLS.dhcpd, ['-t', '-q', '-cf', path.join(dir, 'dhcpd-main.conf')], { timeout: 20_000 }).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('nginx serving snom/ with the snippet', () => {
  const env = perFile(async () => {
    requireTools();
    const dir = mkdtempSync(path.join(tmpdir(), 'callplan-nginx-'));
    // nginx's workers run unprivileged (www-data): they must be able to reach the build.
    chmodSync(dir, 0o755);
    const files = buildExample('payment-center-by', path.join(dir, 'build'));
    const port = await reservePorts(1);
    const conf = path.join(dir, 'nginx.conf');
    const temp = path.join(dir, 'tmp');
    mkdirSync(temp);
    writeFileSync(
      conf,
      `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events {}
http {
  access_log ${dir}/access.log;
${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${temp};`).join('\n')}
  server {
    listen 127.0.0.1:${port};
    set $callplan_build ${dir}/build;
    include ${dir}/build/provisioning/nginx/snom.conf;
  }
}
`,
    );
    const check = spawnSync(TOOLS.nginx, ['-t', '-p', dir, '-c', conf], { encoding: 'utf8', timeout: 20_000 });
    if (check.status !== 0) throw new Error(`nginx -t refused the snippet:\n${check.stderr}`);
    const nginx: ChildProcess = spawn('setpriv', ['--pdeathsig', 'KILL', TOOLS.nginx, '-p', dir, '-c', conf], { stdio: 'ignore' });
    const base = `http://127.0.0.1:${port}/snom/`;
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ok = await fetch(base).then(
        () => true,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`nginx did not answer on ${base}:\n${readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return {
      base,
      files,
      dir,
      stop: async () => {
        try {
          const pid = Number(readFileSync(path.join(dir, 'nginx.pid'), 'utf8'));
          process.kill(pid, 'SIGTERM');
        } catch {
          nginx.kill('SIGKILL');
        }
        await new Promise((r) => (nginx.exitCode === null ? nginx.once('exit', r) : r(undefined)));
        releasePorts(port, 1);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  });

  /** A phone's MAC and password, from its DHCP host entry, as the phone gets them. */
  const phones = () => {
    const dhcp = [...env().files].filter(([f]) => f.endsWith('.dhcpd.conf')).map(([, t]) => t).join('\n');
    return [...dhcp.matchAll(/https:\/\/([0-9A-F]{12}):([^@]+)@/g)].map((m) => ({ mac: m[1]!, password: m[2]! }));
  };
  const get = async (file: string, auth?: { mac: string; password: string }, method = 'GET') => {
    const r = await fetch(`${env().base}${file}`, { method, headers: auth ? { Authorization: `Basic ${Buffer.from(`${auth.mac}:${auth.password}`).toString('base64')}` } : {} });
    const headers = Object.fromEntries([...r.headers].filter(([k]) => k !== 'date'));
    return { status: r.status, headers, body: await r.text() };
  };

  it('gives each phone its settings, its list and its type list', async () => {
    const { files } = env();
    for (const phone of phones()) {
      const own = [...files.keys()].filter((f) => f.startsWith('snom/') && f.includes(phone.mac)).map((f) => f.slice('snom/'.length));
      const type = own.find((f) => f.endsWith('.htm'))!.replace(/-[0-9A-F]{12}\.htm$/, '.htm');
      for (const file of [...own, type]) {
        const r = await get(file, phone);
        expect(r.status, `${phone.mac} ${file}`).toBe(200);
        expect(r.body).toBe(files.get(`snom/${file}`));
        expect(r.headers['cache-control']).toBe('no-store');
      }
    }
  });

  it('refuses without credentials, with a wrong password, an unknown MAC, another phone, another file: one identical 401', async () => {
    const [a, b] = phones();
    const refusals = [
      await get(`${a!.mac}.xml`),
      await get(`${a!.mac}.xml`, { mac: a!.mac, password: 'wrong-password' }),
      await get('000413FFFFFF.xml', { mac: '000413FFFFFF', password: a!.password }),
      await get(`${a!.mac}.xml`, b),
      await get('000413FFFFFF.xml', a),
      await get('model.json', a),
      await get('', a),
    ];
    for (const r of refusals) {
      expect(r.status).toBe(401);
      expect(r).toEqual(refusals[0]);
    }
    expect(refusals[0]!.headers['www-authenticate']).toBe('Basic realm="callplan provisioning"');
    expect((await get(`${a!.mac}.xml`, a, 'POST')).status).toBe(403);
  });

  it('names each phone in the access log, never its password', () => {
    const log = readFileSync(path.join(env().dir, 'access.log'), 'utf8');
    const [a] = phones();
    expect(log).toMatch(new RegExp(`127\\.0\\.0\\.1 - ${a!.mac} \\[[^\\]]+\\] "GET /snom/${a!.mac}\\.xml HTTP/1\\.1" 200 `));
    for (const p of phones()) expect(log).not.toContain(p.password);
  });
});

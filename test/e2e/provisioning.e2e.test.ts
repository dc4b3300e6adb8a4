import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkProject } from '../../src/project/check.js';
import { serverOptions } from '../../src/provision/serve.js';
import { startProvisioningServer } from '../../src/provision/server.js';
import { secretResolver } from '../../src/secrets/resolve.js';
import { parseSettings, setting } from '../helpers/snom-xml.js';
import { startAsterisk } from './harness/asterisk.js';
import { buildAsterisk, E2E_ENV } from './harness/callplan-build.js';
import { perFile } from './harness/lifecycle.js';
import { startPhone } from './harness/phone.js';
import { XML_HEAD, uacCall } from './harness/scenarios.js';
import { runSipp, sippReport, startSippUas, type SippUas } from './harness/sipp.js';

/**
 * A SNOM phone's life with callplan, on a real Asterisk: its DHCP host entry gives it its setting
 * URL and credentials; `provision serve` hands it its settings file; a SIPp "phone" registers with
 * the SIP identity it finds there (user_name, user_pass, user_host) and calls a colleague; then
 * `callplan provision resync` makes Asterisk send it a NOTIFY with Event: check-sync.
 */
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const MAC = { anna: '0004134A1B2C', piotr: '0004134A1B2D', ewa: '0004134A1B2E' };

const PROJECT = (p: { sip: number; ami: number }) => `version: 1
name: e2e-provisioning
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
provisioning:
  url: https://prov.example.test/snom/
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${p.sip}, ami_port: ${p.ami} }
sites:
  office: { timezone: Europe/Warsaw }
  annex: { timezone: Europe/Warsaw }
users:
  - { extension: "1001", name: Anna, site: office, devices: [{ type: snom, model: D785, mac: "00:04:13:4a:1b:2c" }] }
  - { extension: "1002", name: Piotr, site: annex, devices: [{ type: snom, model: D385, mac: "00:04:13:4a:1b:2d" }] }
  - { extension: "1003", name: Ewa, site: office, devices: [{ type: snom, model: "760", mac: "00:04:13:4a:1b:2e" }] }
`;

/** Out-of-call requests of a registered phone: each NOTIFY is answered 200, as a SNOM phone does. */
const ANSWER_NOTIFY = `${XML_HEAD}<scenario name="phone answers NOTIFY">
  <recv request="NOTIFY"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
</scenario>
`;

const REGISTER = `${XML_HEAD}<scenario name="register, then stay registered">
${[1, 2]
  .map(
    (cseq) => `  <send retrans="500">
    <![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[service]@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: ${cseq} REGISTER
      Contact: <sip:[service]@[local_ip]:[local_port]>
${cseq === 2 ? '      [authentication]\n' : ''}      Expires: 600
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="${cseq === 1 ? '401" auth="true' : '200'}"/>`,
  )
  .join('\n')}
  <pause milliseconds="600000"/>
</scenario>
`;

interface Identity {
  user: string;
  password: string;
  host: string;
}

/** The SIP identity 1 of a settings file, as the phone reads it. */
function identity(xml: string): Identity {
  const s = parseSettings(xml);
  return { user: setting(s, 'user_name', 1)!.value, password: setting(s, 'user_pass', 1)!.value, host: setting(s, 'user_host', 1)!.value };
}

/** Runs the real CLI without blocking the event loop (the SIPp phones are read meanwhile). */
function callplanAsync(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The check-sync NOTIFYs a phone received (Asterisk also sends it unsolicited MWI NOTIFYs, Event: message-summary). */
const checkSyncs = (phone: SippUas) => phone.received().filter((m) => m.method === 'NOTIFY' && /^Event: check-sync/m.test(m.text)).map((m) => m.text);

async function waitForNotify(phone: SippUas, count: number): Promise<string[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const notifies = checkSyncs(phone);
    if (notifies.length >= count) return notifies;
    if (Date.now() > deadline) throw new Error(`${notifies.length} NOTIFY received, ${count} expected:\n${phone.messages().map((m) => m.firstLine).join('\n')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const env = perFile(async () => {
  const stops: Array<() => Promise<unknown>> = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch(() => undefined);
  };
  try {
    const dir = mkdtempSync(path.join(tmpdir(), 'callplan-e2e-prov-'));
    stops.push(async () => rmSync(dir, { recursive: true, force: true }));
    let files = new Map<string, string>();
    let yaml = '';
    const ast = await startAsterisk({
      name: 'provisioning',
      requireModules: ['res_pjsip.so', 'pbx_config.so', 'res_pjsip_notify.so'],
      configs: ({ ports }) => {
        yaml = PROJECT({ sip: ports.sip, ami: ports.ami });
        const built = buildAsterisk(yaml);
        files = built.files;
        return built.configs;
      },
    });
    stops.push(() => ast.stop());
    // The project and its build on disk, as an operator has them.
    const project = path.join(dir, 'project');
    mkdirSync(project);
    writeFileSync(path.join(project, 'callplan.yaml'), yaml);
    for (const [file, content] of files) {
      mkdirSync(path.dirname(path.join(dir, 'build', file)), { recursive: true });
      writeFileSync(path.join(dir, 'build', file), content);
    }
    const { model, secrets } = checkProject(project, { env: E2E_ENV });
    const options = serverOptions(model!, secretResolver(model!, secrets).resolver, { buildDir: path.join(dir, 'build'), host: '127.0.0.1', port: 0, trustedProxies: [], perMinute: 60, burst: 20, logFormat: 'text', log: () => undefined });
    const server = await startProvisioningServer(options);
    stops.push(() => server.close());
    return { ast, dir, files, project, server, stop };
  } catch (e) {
    await stop();
    throw e;
  }
});

/**
 * What the phone with this MAC does at boot: takes option 66 from its DHCP host entry (its own
 * file list) and fetches it, then the files it lists (here from the test server instead of
 * prov.example.test), each with its URL's credentials as Basic authentication.
 */
async function provisionedIdentity(mac: string): Promise<Identity> {
  const { files, server } = env();
  const dhcp = [...files].filter(([f]) => f.endsWith('.dhcpd.conf')).map(([, t]) => t).join('\n');
  const option66 = new RegExp(`host callplan-snom-${mac} \\{\\n[^}]*option tftp-server-name "([^"]+)";`).exec(dhcp)?.[1];
  expect(option66, `no DHCP host entry for ${mac}`).toBeDefined();
  const url = new URL(option66!);
  expect([url.protocol, url.host, url.username]).toEqual(['https:', 'prov.example.test', mac]);
  /** GET as the phone does: from the test server, with the URL's credentials as Basic authentication. */
  const get = async (u: URL) => {
    const r = await fetch(new URL(u.pathname, server.url), { headers: { Authorization: `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}` } });
    expect(r.status, u.pathname).toBe(200);
    const text = await r.text();
    expect(text).toBe(files.get(`snom/${u.pathname.split('/').pop()}`));
    return text;
  };
  // Its own list names its settings and its site's directory, each URL with its credentials.
  const urls = [...(await get(url)).matchAll(/<file url="([^"]+)"\/>/g)].map((m) => new URL(m[1]!));
  expect(urls.map((u) => [u.username, u.pathname.split('/').pop()])).toEqual([
    [mac, `${mac}.xml`],
    [mac, expect.stringMatching(/^tbook-[a-z0-9-]+\.xml$/)],
  ]);
  const [xml] = await Promise.all(urls.map(get));
  return identity(xml!);
}

describe('a provisioned SNOM phone on a real Asterisk', () => {
  let anna: SippUas;

  it('resync before any phone registered: every phone named not registered, nothing sent, exit 8', async () => {
    const { project } = env();
    const r = await callplanAsync(['provision', 'resync', project, '--all', '--dry-run'], E2E_ENV);
    expect(r.code, r.stderr).toBe(8);
    expect(r.stdout).toMatch(/\n3 phones: 3 not registered \(check-sync;reboot=false, dry run: nothing sent\)\n$/);
  });

  it('registers with the identity from its settings file and calls a colleague provisioned the same way', async () => {
    const { ast } = env();
    const a = await provisionedIdentity(MAC.anna);
    const p = await provisionedIdentity(MAC.piotr);
    expect(a).toMatchObject({ user: '1001-0004134a1b2c', host: `127.0.0.1:${ast.ports.sip}` });
    const ooc = path.join(env().dir, 'notify.xml');
    writeFileSync(ooc, ANSWER_NOTIFY);
    anna = await startSippUas({ scenario: REGISTER, target: a.host, service: a.user, auth: { username: a.user, password: a.password }, calls: 1, args: ['-oocsf', ooc] });
    const piotr = await startPhone({ device: p.user, password: p.password, registrar: p.host });
    try {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const contacts = await ast.rx('pjsip show contacts');
        if (contacts.includes(`${a.user}/sip:${a.user}@`) && contacts.includes(`${p.user}/sip:${p.user}@`)) break;
        if (Date.now() > deadline) throw new Error(`phones did not register:\n${contacts}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      const call = await runSipp({ scenario: uacCall({ from: a.user, auth: true }), target: a.host, service: '1002', auth: { username: a.user, password: a.password } });
      expect(call.code, sippReport(call)).toBe(0);
      expect(piotr.received().filter((m) => m.method === 'INVITE')).toHaveLength(1);
    } finally {
      await piotr.stop();
    }
  });

  it('resync --mac: Asterisk sends the phone a NOTIFY with Event: check-sync;reboot=false', async () => {
    const { project } = env();
    const r = await callplanAsync(['provision', 'resync', project, '--mac', '00:04:13:4a:1b:2c'], E2E_ENV);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^0004134A1B2C +1001 +D785 +office +1001-0004134a1b2c +sent$/m);
    const [notify] = await waitForNotify(anna, 1);
    expect(notify).toMatch(/^NOTIFY sip:1001-0004134a1b2c@127\.0\.0\.1:\d+ SIP\/2\.0\r?$/m);
    expect(notify).toMatch(/^Event: check-sync;reboot=false\r?$/m);
    expect(notify).toMatch(/^Subscription-State: terminated\r?$/m);
  });

  it('resync --site: the registered phone is notified, the one that never registered is named, exit 8', async () => {
    const { project } = env();
    const r = await callplanAsync(['provision', 'resync', project, '--site', 'office', '--format', 'json'], E2E_ENV);
    expect(r.code, r.stderr).toBe(8);
    expect(JSON.parse(r.stdout)).toMatchObject({
      event: 'check-sync;reboot=false',
      phones: [
        { mac: MAC.anna, result: 'sent', contacts: 1 },
        { mac: MAC.ewa, result: 'not-registered', contacts: 0 },
      ],
    });
    await waitForNotify(anna, 2);
  });

  it('resync --reboot sends reboot=true; an unreachable manager is exit 9 and sends nothing', async () => {
    const { project, ast } = env();
    const r = await callplanAsync(['provision', 'resync', project, '--mac', MAC.anna, '--reboot'], E2E_ENV);
    expect(r.code, r.stderr).toBe(0);
    const notifies = await waitForNotify(anna, 3);
    expect(notifies[2]).toMatch(/^Event: check-sync;reboot=true\r?$/m);
    const down = await callplanAsync(['provision', 'resync', project, '--all', '--ami-port', String(ast.ports.http)], E2E_ENV);
    expect(down.code).toBe(9);
    expect(down.stderr).toMatch(/Nothing was sent/);
    const refused = await callplanAsync(['provision', 'resync', project, '--all'], { CALLPLAN_DEVICE_MASTER: `${E2E_ENV.CALLPLAN_DEVICE_MASTER}x` });
    expect(refused.code).toBe(9);
    expect(refused.stderr).toMatch(/refused the login of callplan-provision/);
    expect(checkSyncs(anna)).toHaveLength(3);
    await anna.stop();
  });
});

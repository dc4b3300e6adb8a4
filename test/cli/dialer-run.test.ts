import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { callplan, STACK } from '../helpers/cli.js';

/** `callplan dialer run` as a user starts it: what it says and the exit code when it cannot run. */
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-run-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const BIN = fileURLToPath(new URL('../../bin/run.js', import.meta.url));
const GOLDEN = fileURLToPath(new URL('../golden/debt-collection-pl/nodes/pbx-krk/dialer/campaigns.json', import.meta.url));
const MASTER = 'a-master-secret-long-enough-for-the-test-0123456789';

function build(port: number, mutate: (f: Record<string, unknown>) => void = () => undefined): string {
  const dir = mkdtempSync(path.join(tmp, 'build-'));
  mkdirSync(path.join(dir, 'dialer'));
  const file = JSON.parse(readFileSync(GOLDEN, 'utf8'));
  file.ami.port = port;
  mutate(file);
  writeFileSync(path.join(dir, 'dialer/campaigns.json'), JSON.stringify(file));
  return dir;
}

describe('callplan dialer run', () => {
  it('exits 14 with one line when the build has no campaigns.json', () => {
    const r = callplan(['dialer', 'run', tmp, '--state', path.join(tmp, 'state-a')]);
    expect(r.code).toBe(14);
    expect(r.stderr).toMatch(/dialer\/campaigns\.json: no such file/);
    expect(r.stderr).not.toMatch(STACK);
  });

  it('exits 14 naming the field of a campaigns.json it cannot read', () => {
    const r = callplan(['dialer', 'run', build(5038, (f) => (f.version = 7)), '--state', path.join(tmp, 'state-b')]);
    expect(r.code).toBe(14);
    expect(r.stderr).toMatch(/campaigns\.json: version: is 7, this callplan reads version 1/);
  });

  it('exits 14 when the master secret is not set, naming the variable and never a value', () => {
    const r = callplan(['dialer', 'run', build(5038), '--state', path.join(tmp, 'state-c')], { env: { CALLPLAN_DEVICE_MASTER: '' } });
    expect(r.code).toBe(14);
    expect(r.stderr).toMatch(/\$\{env:CALLPLAN_DEVICE_MASTER\} \(secrets\.device_master\) is not set/);
  });

  it('exits 14 when the API has no token (or --no-api is not given)', () => {
    const r = callplan(['dialer', 'run', build(5038), '--state', path.join(tmp, 'state-e')], { env: { CALLPLAN_DEVICE_MASTER: MASTER, CALLPLAN_DIALER_API_TOKEN: '' } });
    expect(r.code).toBe(14);
    expect(r.stderr).toMatch(/no API token: set CALLPLAN_DIALER_API_TOKEN.*--no-api runs without the API/);
  });

  it("exits 15 when Asterisk's manager refuses the login", async () => {
    const server = net.createServer((socket) => {
      socket.write('Asterisk Call Manager/9.0.0\r\n');
      socket.on('data', (chunk) => {
        const id = /ActionID: (\S+)/.exec(chunk.toString())?.[1] ?? '';
        socket.write(`Response: Error\r\nActionID: ${id}\r\nMessage: Authentication failed\r\n\r\n`);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const r = await run(['dialer', 'run', build(port), '--state', path.join(tmp, 'state-d'), '--no-api'], { CALLPLAN_DEVICE_MASTER: MASTER });
      expect(r.code, r.stderr).toBe(15);
      expect(r.stderr).toMatch(/refused the login of callplan-dialer: Authentication failed/);
      expect(r.stderr).not.toContain(MASTER);
    } finally {
      server.close();
    }
  });
});

/** The CLI in the background (the fake manager must answer meanwhile). */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

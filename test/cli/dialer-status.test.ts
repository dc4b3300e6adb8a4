import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { DialerBackend, LiveStats } from '../../src/dialer/api/backend.js';
import { startDialerApi } from '../../src/dialer/api/server.js';
import { REPO, STACK } from '../helpers/cli.js';

const TOKEN = 'status-test-token-0123456789abcdef';

const STATS: LiveStats = {
  at: new Date().toISOString(),
  agents: { byState: { ready: 2, talking: 1, wrapup: 0, paused: 0, offline: 0 }, list: [{ id: '1001', state: 'talking', since: new Date().toISOString() }] },
  campaigns: [{ name: 'loans', mode: 'predictive', paused: false, callsInProgress: 4, dialLevel: 1.33, answerRate: 0.4, abandon: { rate: 0.012, target: 0.03, limit: 0.03, windowSeconds: 86400, liveAnswers: 250, abandoned: 3 }, contacts: { total: 100, pending: 80, dialing: 4, reserved: 0, reached: 16, exhausted: 0, callback: 0, removed: 0 } }],
};

const backend: DialerBackend = {
  campaigns: () => ['loans'],
  pushTask: () => ({ ok: false, reason: 'unknown-campaign', detail: '' }),
  scheduleCallback: () => ({ ok: false, reason: 'unknown-campaign' }),
  setPaused: () => false,
  addDoNotCall: () => false,
  removeDoNotCall: () => false,
  stats: () => STATS,
  agentReasons: () => [],
  setAgentState: async () => ({ ok: false, reason: 'unavailable', detail: '' }),
  subscribe: () => () => undefined,
};

/** Runs the built CLI without blocking this process (the API under test lives here). */
function run(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${REPO}bin/run.js`, ...args], { env: { ...process.env, CALLPLAN_DIALER_API_TOKEN: '', ...env }, cwd: REPO });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('callplan dialer status and top', () => {
  it('status reads the API once; top refreshes with plain lines when not on a terminal; both exit 13 without the API or with a wrong token', async () => {
    const api = await startDialerApi({ backend, token: TOKEN, port: 0 });
    try {
      const status = await run(['dialer', 'status', '--url', api.url], { CALLPLAN_DIALER_API_TOKEN: TOKEN });
      expect(status.stderr).toBe('');
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/^agents: 2 ready, 1 talking, 0 wrap-up, 0 paused, 0 offline$/m);
      expect(status.stdout).toMatch(/^loans +predictive +running +4 +1\.33 +40\.0% +1\.2% \(3\/250\) +3\.0% +1d +80 pending/m);
      const json = await run(['dialer', 'status', '--format', 'json'], { CALLPLAN_DIALER_API_TOKEN: TOKEN, CALLPLAN_DIALER_API_URL: api.url });
      expect(JSON.parse(json.stdout)).toEqual(STATS);

      const top = await run(['dialer', 'top', '--url', api.url, '--interval', '0.2', '--count', '3'], { CALLPLAN_DIALER_API_TOKEN: TOKEN });
      expect(top.code).toBe(0);
      // Three refreshes, each a time stamp and the view, without terminal control codes.
      expect(top.stdout.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ {2}http:\/\/127\.0\.0\.1:\d+ {2}\(every 0\.2s\)$/gm)).toHaveLength(3);
      expect(top.stdout.match(/^loans +predictive/gm)).toHaveLength(3);
      expect(top.stdout).not.toContain('\x1b');

      const wrong = await run(['dialer', 'status', '--url', api.url], { CALLPLAN_DIALER_API_TOKEN: 'a-wrong-token-of-sufficient-length' });
      expect(wrong.code).toBe(13);
      expect(wrong.stderr).toMatch(/refused the token/);
      expect(wrong.stderr).not.toContain('a-wrong-token');
    } finally {
      await api.close();
    }
    // The API's port, now closed: nothing listens there.
    const closed = api.url;
    for (const cmd of ['status', 'top']) {
      const down = await run(['dialer', cmd, '--url', closed], { CALLPLAN_DIALER_API_TOKEN: TOKEN });
      expect(down.code).toBe(13);
      expect(down.stderr).toContain(`cannot reach the dialer's API at ${closed} (ECONNREFUSED); is the daemon running?`);
      expect(down.stderr).not.toMatch(STACK);
    }
    const noToken = await run(['dialer', 'status'], {});
    expect(noToken.code).toBe(13);
    expect(noToken.stderr).toMatch(/no API token/);
  });
});

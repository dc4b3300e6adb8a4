import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CallEvent, DialerBackend, LiveStats, TaskRequest } from '../../../src/dialer/api/backend.js';
import { bearerMatches, loadApiToken, ApiTokenError } from '../../../src/dialer/api/auth.js';
import { runtimeBackend } from '../../../src/dialer/api/runtime-backend.js';
import { buildDialerApi, startDialerApi } from '../../../src/dialer/api/server.js';
import { ROUTES } from '../../../src/dialer/api/schemas.js';
import { pacingSettings } from '../../../src/dialer/pacing/index.js';
import { openDialerState } from '../../../src/dialer/runtime/open.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-api-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const TOKEN = 'k3y-0f-th3-d1al3r-api-t0k3n-f0r-t3sts';
const AUTH = { authorization: `Bearer ${TOKEN}` };

/** A backend that remembers what it was asked. */
function fake() {
  const tasks = new Map<string, TaskRequest>();
  const dnc = new Set<string>();
  const paused = new Set<string>();
  const listeners = new Set<(e: CallEvent) => void>();
  const calls: unknown[] = [];
  const states: unknown[] = [];
  const stats: LiveStats = {
    at: '2026-03-02T10:00:00.000Z',
    agents: { byState: { ready: 1, talking: 1, wrapup: 0, paused: 1, offline: 0 }, list: [{ id: '1001', state: 'paused', reason: 'consultation', since: '2026-03-02T09:58:00.000Z' }] },
    campaigns: [{ name: 'loans', mode: 'predictive', paused: false, callsInProgress: 3, dialLevel: 1.5, answerRate: 0.3, abandon: { rate: 0.01, target: 0.03, limit: 0.03, windowSeconds: 86400, liveAnswers: 100, abandoned: 1 }, contacts: { total: 10, pending: 5, dialing: 3, reserved: 0, reached: 2, exhausted: 0, callback: 0, removed: 0 } }],
  };
  const backend: DialerBackend = {
    campaigns: () => ['loans'],
    pushTask(campaign, task) {
      if (campaign !== 'loans') return { ok: false, reason: 'unknown-campaign', detail: 'no such campaign' };
      if (task.numbers[0]!.number === '+12') return { ok: false, reason: 'invalid', detail: 'too short', field: 'body.numbers[0].number' };
      const created = !tasks.has(task.id);
      if (created) tasks.set(task.id, task);
      return { ok: true, created, contactId: task.id };
    },
    scheduleCallback(campaign, contactId, at, agent) {
      calls.push({ campaign, contactId, at, agent });
      if (campaign !== 'loans') return { ok: false, reason: 'unknown-campaign' };
      if (contactId === 'busy') return { ok: false, reason: 'in-call' };
      if (!tasks.has(contactId)) return { ok: false, reason: 'unknown-contact' };
      return { ok: true };
    },
    setPaused(campaign, p) {
      if (campaign !== 'loans') return false;
      if (p) paused.add(campaign);
      else paused.delete(campaign);
      return true;
    },
    addDoNotCall: (n) => !dnc.has(n) && dnc.add(n) !== undefined,
    removeDoNotCall: (n) => dnc.delete(n),
    stats: () => stats,
    agentReasons: () => ['break', 'consultation'],
    async setAgentState(agent, change) {
      states.push({ agent, ...change });
      if (agent !== '1001') return { ok: false, reason: 'unknown-agent', detail: `${agent} is no agent of a campaign` };
      if (change.state === 'not-ready' && change.reason === 'lunch') return { ok: false, reason: 'unknown-reason', detail: '"lunch" is not an agent status of the project (there are: break, consultation)' };
      if (change.state === 'not-ready' && change.reason === 'break') return { ok: false, reason: 'unavailable', detail: "not connected to Asterisk's manager; try again" };
      return { ok: true, queues: ['loans'] };
    },
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { backend, tasks, dnc, paused, calls, listeners, states };
}

const TASK = { id: 'APP-1', numbers: [{ number: '+90 532 123 45 67', type: 'mobile' }], name: 'Ayşe Yılmaz', caseNumber: 'L-77', fields: { amount: '5000', date: '2026-03-01' } };

describe('dialer API: auth', () => {
  it('answers 401 with a problem body to every route without the token or with a wrong one, and never echoes it', async () => {
    const app = buildDialerApi({ backend: fake().backend, token: TOKEN });
    for (const r of ROUTES) {
      const url = r.url.replace(':campaign', 'loans').replace(':number', '48601234567').replace(':agent', '1001');
      for (const headers of [{}, { authorization: 'Bearer wrong-token-of-the-same-kind-xx' }, { authorization: TOKEN }, { authorization: `Basic ${TOKEN}` }]) {
        const res = await app.inject({ method: r.method, url, headers, ...(r.body && { payload: {} }) });
        expect(res.statusCode, `${r.method} ${url} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(res.headers['www-authenticate']).toBe('Bearer realm="callplan-dialer"');
        expect(res.json()).toMatchObject({ status: 401, title: 'Unauthorized' });
        expect(res.body).not.toContain(TOKEN);
      }
    }
    await app.close();
  });

  it('compares tokens by their hash (any length, no early exit) and reads the token from the environment or a file', () => {
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN}`)).toBe(true);
    expect(bearerMatches(TOKEN, `bearer ${TOKEN} `)).toBe(true);
    expect(bearerMatches(TOKEN, `Bearer ${TOKEN}x`)).toBe(false);
    expect(bearerMatches(TOKEN, undefined)).toBe(false);
    expect(bearerMatches(TOKEN, 'Bearer ')).toBe(false);
    expect(loadApiToken({ CALLPLAN_DIALER_API_TOKEN: TOKEN })).toBe(TOKEN);
    const file = path.join(tmp, 'token');
    writeFileSync(file, `${TOKEN}\n`);
    expect(loadApiToken({ CALLPLAN_DIALER_API_TOKEN_FILE: file })).toBe(TOKEN);
    expect(loadApiToken({ CREDENTIALS_DIRECTORY: tmp }, file)).toBe(TOKEN);
    expect(() => loadApiToken({})).toThrow(ApiTokenError);
    try {
      loadApiToken({ CALLPLAN_DIALER_API_TOKEN: 'short-secret' });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/too short: at least 24/);
      expect((e as Error).message).not.toContain('short-secret');
    }
  });
});

describe('dialer API: requests', () => {
  it('pushes a task once: 201, then 200 for the same id', async () => {
    const f = fake();
    const app = buildDialerApi({ backend: f.backend, token: TOKEN });
    const first = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/tasks', headers: AUTH, payload: TASK });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({ contactId: 'APP-1', created: true });
    const again = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/tasks', headers: AUTH, payload: TASK });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual({ contactId: 'APP-1', created: false });
    expect(f.tasks.get('APP-1')).toEqual(TASK);
    await app.close();
  });

  it.each([
    ['no numbers', { id: 'A' }, 'body.numbers', /required/],
    ['five numbers', { ...TASK, numbers: Array(5).fill({ number: '+48601234567' }) }, 'body.numbers', /more than 4/],
    ['a number with letters', { ...TASK, numbers: [{ number: '+48 60x' }] }, 'body.numbers[0].number', /pattern/],
    ['an unknown number type', { ...TASK, numbers: [{ number: '+48601234567', type: 'fax' }] }, 'body.numbers[0].type', /allowed values/],
    ['a field that is not one', { ...TASK, colour: 'red' }, 'body.colour', /not a field/],
    ['a priority out of range', { ...TASK, priority: 5000 }, 'body.priority', /<= 1000/],
    ['a custom field that is not text', { ...TASK, fields: { amount: 5000 } }, 'body.fields.amount', /string/],
    ['a bad date', { ...TASK, notBefore: 'tomorrow' }, 'body.notBefore', /date-time/],
    ['a number the backend refuses', { ...TASK, numbers: [{ number: '+12' }] }, 'body.numbers[0].number', /too short/],
  ])('refuses %s with 400 naming the field', async (_what, payload, field, reason) => {
    const app = buildDialerApi({ backend: fake().backend, token: TOKEN });
    const res = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/tasks', headers: AUTH, payload });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json() as { status: number; 'invalid-params': { name: string; reason: string }[] };
    expect(body.status).toBe(400);
    expect(body['invalid-params']).toContainEqual({ name: field, reason: expect.stringMatching(reason) });
    await app.close();
  });

  it('refuses a body that is not JSON, and names an unknown campaign with 404', async () => {
    const app = buildDialerApi({ backend: fake().backend, token: TOKEN });
    const broken = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/tasks', headers: { ...AUTH, 'content-type': 'application/json' }, payload: '{"id": ' });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ status: 400, title: 'Bad request' });
    const unknown = await app.inject({ method: 'POST', url: '/v1/campaigns/nope/tasks', headers: AUTH, payload: TASK });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()['invalid-params']).toEqual([{ name: 'params.campaign', reason: 'no campaign nope (there are: loans)' }]);
    const route = await app.inject({ method: 'GET', url: '/v1/nothing', headers: AUTH });
    expect(route.statusCode).toBe(404);
    await app.close();
  });

  it('schedules a callback with the same agent; 404 for an unknown contact, 409 while it is in a call', async () => {
    const f = fake();
    const app = buildDialerApi({ backend: f.backend, token: TOKEN });
    await app.inject({ method: 'POST', url: '/v1/campaigns/loans/tasks', headers: AUTH, payload: TASK });
    const ok = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/callbacks', headers: AUTH, payload: { contactId: 'APP-1', at: '2026-03-02T15:30:00+03:00', agent: '1001' } });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toEqual({ contactId: 'APP-1', at: '2026-03-02T12:30:00.000Z', agent: '1001' });
    expect(f.calls).toEqual([{ campaign: 'loans', contactId: 'APP-1', at: Date.parse('2026-03-02T12:30:00Z'), agent: '1001' }]);
    const unknown = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/callbacks', headers: AUTH, payload: { contactId: 'who', at: '2026-03-02T15:30:00Z' } });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()['invalid-params']).toEqual([{ name: 'body.contactId', reason: 'no such contact in the campaign' }]);
    const busy = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/callbacks', headers: AUTH, payload: { contactId: 'busy', at: '2026-03-02T15:30:00Z' } });
    expect(busy.statusCode).toBe(409);
    const noTime = await app.inject({ method: 'POST', url: '/v1/campaigns/loans/callbacks', headers: AUTH, payload: { contactId: 'APP-1' } });
    expect(noTime.json()['invalid-params']).toEqual([{ name: 'body.at', reason: 'is required' }]);
    await app.close();
  });

  it('pauses and resumes a campaign; adds and removes do-not-call numbers in E.164', async () => {
    const f = fake();
    const app = buildDialerApi({ backend: f.backend, token: TOKEN });
    expect((await app.inject({ method: 'POST', url: '/v1/campaigns/loans/pause', headers: AUTH })).json()).toEqual({ campaign: 'loans', paused: true });
    expect(f.paused.has('loans')).toBe(true);
    expect((await app.inject({ method: 'POST', url: '/v1/campaigns/loans/resume', headers: AUTH })).json()).toEqual({ campaign: 'loans', paused: false });
    expect((await app.inject({ method: 'POST', url: '/v1/campaigns/x/pause', headers: AUTH })).statusCode).toBe(404);
    const put = await app.inject({ method: 'PUT', url: '/v1/do-not-call/+48601234567', headers: AUTH, payload: { reason: 'asked on the phone' } });
    expect(put.statusCode).toBe(201);
    expect(put.json()).toEqual({ number: '48601234567', added: true });
    expect((await app.inject({ method: 'PUT', url: '/v1/do-not-call/48601234567', headers: AUTH })).statusCode).toBe(200);
    expect(f.dnc).toEqual(new Set(['48601234567']));
    const bad = await app.inject({ method: 'PUT', url: '/v1/do-not-call/12', headers: AUTH });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()['invalid-params'][0].name).toBe('params.number');
    expect((await app.inject({ method: 'DELETE', url: '/v1/do-not-call/48601234567', headers: AUTH })).statusCode).toBe(204);
    expect((await app.inject({ method: 'DELETE', url: '/v1/do-not-call/48601234567', headers: AUTH })).statusCode).toBe(404);
    await app.close();
  });

  it('sets an agent ready or not ready with a reason; names the field at fault otherwise', async () => {
    const f = fake();
    const app = buildDialerApi({ backend: f.backend, token: TOKEN });
    const put = (agent: string, payload: object) => app.inject({ method: 'PUT', url: `/v1/agents/${agent}/state`, headers: AUTH, payload });
    const consult = await put('1001', { state: 'not-ready', reason: 'consultation' });
    expect(consult.statusCode).toBe(200);
    expect(consult.json()).toEqual({ agent: '1001', state: 'not-ready', reason: 'consultation', queues: ['loans'] });
    expect((await put('1001', { state: 'ready' })).json()).toEqual({ agent: '1001', state: 'ready', queues: ['loans'] });
    expect(f.states).toEqual([{ agent: '1001', state: 'not-ready', reason: 'consultation' }, { agent: '1001', state: 'ready' }]);
    const problems: [object, string, number, string, RegExp][] = [
      [{ state: 'not-ready' }, '1001', 400, 'body.reason', /required with state not-ready \(one of: break, consultation\)/],
      [{ state: 'ready', reason: 'break' }, '1001', 400, 'body.reason', /only given with state not-ready/],
      [{ state: 'away' }, '1001', 400, 'body.state', /allowed values/],
      [{ state: 'not-ready', reason: 'Coffee Break' }, '1001', 400, 'body.reason', /pattern/],
      [{ state: 'not-ready', reason: 'lunch' }, '1001', 400, 'body.reason', /not an agent status of the project \(there are: break, consultation\)/],
      [{ state: 'ready', mood: 'good' }, '1001', 400, 'body.mood', /not a field/],
      [{ state: 'ready' }, 'x1', 400, 'params.agent', /pattern/],
      [{ state: 'ready' }, '1009', 404, 'params.agent', /no agent of a campaign/],
    ];
    for (const [payload, agent, status, field, reason] of problems) {
      const res = await put(agent, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json()['invalid-params']).toContainEqual({ name: field, reason: expect.stringMatching(reason) });
    }
    const down = await put('1001', { state: 'not-ready', reason: 'break' });
    expect(down.statusCode).toBe(503);
    expect(down.json()).toMatchObject({ status: 503, title: 'Service unavailable', detail: expect.stringMatching(/not connected/) });
    await app.close();
  });

  it('serves live statistics, Prometheus metrics and its OpenAPI description', async () => {
    const f = fake();
    const app = buildDialerApi({ backend: f.backend, token: TOKEN, version: '1.2.3' });
    expect((await app.inject({ method: 'GET', url: '/v1/stats', headers: AUTH })).json()).toEqual(f.backend.stats());
    for (const l of f.listeners) l({ type: 'ended', at: 0, campaign: 'loans', attemptId: 'a-1', contactId: 'APP-1', number: '905321234567', kind: 'predictive', outcome: 'abandoned', data: {} });
    const metrics = await app.inject({ method: 'GET', url: '/metrics', headers: AUTH });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('callplan_dialer_abandon_rate{campaign="loans"} 0.01');
    expect(metrics.body).toContain('callplan_dialer_calls_in_progress{campaign="loans"} 3');
    expect(metrics.body).toContain('callplan_dialer_agents{state="paused"} 1');
    expect(metrics.body).toContain('callplan_dialer_call_events_total{campaign="loans",type="ended",outcome="abandoned"} 1');
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json', headers: AUTH })).json();
    expect(doc).toMatchObject({ openapi: '3.1.0', info: { version: '1.2.3' }, components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } });
    expect(Object.keys(doc.paths).sort()).toEqual(['/metrics', '/openapi.json', '/v1/agents/{agent}/state', '/v1/campaigns/{campaign}/callbacks', '/v1/campaigns/{campaign}/pause', '/v1/campaigns/{campaign}/resume', '/v1/campaigns/{campaign}/tasks', '/v1/do-not-call/{number}', '/v1/events', '/v1/stats']);
    expect(doc.paths['/v1/campaigns/{campaign}/tasks'].post.requestBody.content['application/json'].schema.required).toEqual(['id', 'numbers']);
    const agentState = doc.paths['/v1/agents/{agent}/state'].put;
    expect(agentState.requestBody.content['application/json'].schema.properties.state.enum).toEqual(['ready', 'not-ready']);
    expect(Object.keys(agentState.responses).sort()).toEqual(['200', '400', '401', '404', '503']);
    expect(agentState.responses['503'].content['application/problem+json']).toBeDefined();
    await app.close();
  });
});

describe('dialer API over the real runtimes', () => {
  // Planned against the wall clock (the event stream is real): legal calling hours off, so it holds at any hour.
  const settings = pacingSettings({ campaign: 'loans', mode: 'predictive', profile: 'custom', profileOff: { 'calling-hours': 'unit test: plans at whatever hour it runs' }, timezone: 'UTC', window: { from: 0, to: 24 * 60, days: [true, true, true, true, true, true, true] } });

  it('accepts a burst of 1,000 task pushes without loss: every one is in the database afterwards', async () => {
    const dir = path.join(tmp, 'burst');
    const state = openDialerState(dir, [settings]);
    const app = buildDialerApi({ backend: runtimeBackend(state, { agents: () => [] }), token: TOKEN });
    const push = (i: number) =>
      app.inject({ method: 'POST', url: '/v1/campaigns/loans/tasks', headers: AUTH, payload: { id: `APP-${i}`, numbers: [{ number: `+90532${String(i).padStart(7, '0')}` }], fields: { n: String(i) } } });
    const answers = await Promise.all(Array.from({ length: 1000 }, (_, i) => push(i)));
    expect(answers.filter((r) => r.statusCode !== 201).map((r) => r.body)).toEqual([]);
    await app.close();
    state.close();
    const again = openDialerState(dir, [settings]);
    expect(again.store.taskCount('loans')).toBe(1000);
    expect(again.store.contactCount('loans')).toBe(1000);
    expect(again.runtimes.get('loans')!.contactCounts()).toMatchObject({ total: 1000, pending: 1000 });
    again.close();
  });

  it('over a loopback socket: refuses a request without the token, and streams call events with the contact data for the screen pop', async () => {
    const state = openDialerState(path.join(tmp, 'socket'), [settings]);
    const api = await startDialerApi({ backend: runtimeBackend(state, { agents: () => [{ id: '1001', state: 'ready', since: new Date().toISOString() }] }), token: TOKEN, port: 0 });
    try {
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${api.url}/v1/stats`)).status).toBe(401);
      const push = await fetch(`${api.url}/v1/campaigns/loans/tasks`, { method: 'POST', headers: { ...AUTH, 'content-type': 'application/json' }, body: JSON.stringify(TASK) });
      expect(push.status).toBe(201);
      const stream = await fetch(`${api.url}/v1/events?agent=1001`, { headers: AUTH });
      expect(stream.headers.get('content-type')).toBe('text/event-stream');
      const reader = stream.body!.getReader();
      let text = '';
      const read = async (until: RegExp) => {
        while (!until.test(text)) {
          const { value, done } = await reader.read();
          if (done) break;
          text += new TextDecoder().decode(value);
        }
      };
      await read(/callplan dialer events/);
      // The daemon plans a progressive call for agent 1001: the event reaches the stream.
      const rt = state.runtimes.get('loans')!;
      const now = Date.now();
      const { attempts } = rt.plan({ agents: [{ id: '1001', status: 'ready', since: now - 1000 }], calls: [] }, now);
      expect(attempts).toHaveLength(1);
      await read(/event: planned\n/);
      const data = JSON.parse(/data: (.*)\n/.exec(text)![1]!);
      expect(data).toMatchObject({ type: 'planned', campaign: 'loans', contactId: 'APP-1', number: '905321234567', agent: '1001', data: { contactId: 'APP-1', name: 'Ayşe Yılmaz', caseNumber: 'L-77', amount: '5000' } });
      const stats = (await (await fetch(`${api.url}/v1/stats`, { headers: AUTH })).json()) as LiveStats;
      expect(stats.campaigns[0]).toMatchObject({ name: 'loans', callsInProgress: 1, contacts: { dialing: 1 } });
      expect(stats.agents.byState.ready).toBe(1);
      await reader.cancel();
    } finally {
      await api.close();
      state.close();
    }
  });
});

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import { normalizeNumber } from '../load/numbers.js';
import type { CallEvent, DialerBackend, TaskRequest } from './backend.js';
import { bearerMatches } from './auth.js';
import { DialerMetrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { invalidParams, problem, PROBLEM_TYPE } from './problem.js';
import { ROUTES, type RouteSpec } from './schemas.js';

export interface ApiOptions {
  backend: DialerBackend;
  /** The bearer token (loadApiToken); compared in constant time, never logged. */
  token: string;
  /** Version in the OpenAPI description. */
  version?: string;
  /** Seconds between keep-alive comments on an event stream. */
  heartbeatSeconds?: number;
}

const route = (operationId: string): RouteSpec => ROUTES.find((r) => r.operationId === operationId)!;

/**
 * The dialer's HTTP API as a fastify instance (not listening: `startDialerApi` listens, tests
 * use `inject`). Every route needs the bearer token; requests are validated against the schemas
 * in schemas.ts, and every error is a problem body (RFC 9457) naming the fields at fault.
 */
export function buildDialerApi(options: ApiOptions): FastifyInstance {
  const { backend, token } = options;
  const app = Fastify({
    // No request log: a log line could carry what a header or a body holds.
    logger: false,
    bodyLimit: 256 * 1024,
    forceCloseConnections: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true, useDefaults: false } },
  });
  const metrics = new DialerMetrics(backend);
  const unsubscribe = backend.subscribe((e) => metrics.onCallEvent(e));
  const streams = new Set<ServerResponse>();
  const sendProblem = (reply: FastifyReply, status: number, detail?: string, invalid?: { name: string; reason: string }[]) => reply.code(status).type(PROBLEM_TYPE).send(problem(status, detail, invalid));

  app.addHook('onRequest', async (req, reply) => {
    if (!bearerMatches(token, req.headers.authorization)) {
      reply.header('www-authenticate', 'Bearer realm="callplan-dialer"');
      return sendProblem(reply, 401, 'send Authorization: Bearer <token>');
    }
  });
  app.setErrorHandler((err: Error & { validation?: unknown[]; validationContext?: string; statusCode?: number }, _req, reply) => {
    if (err.validation) return sendProblem(reply, 400, 'the request does not match its schema', invalidParams(err.validationContext ?? 'body', err.validation as never));
    const status = err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    return sendProblem(reply, status, status === 500 ? 'the dialer failed to handle the request; see its journal' : err.message);
  });
  app.setNotFoundHandler((req, reply) => sendProblem(reply, 404, `no route ${req.method} ${req.url.split('?')[0]}`));
  app.addHook('preClose', async () => {
    for (const s of streams) s.end();
    unsubscribe();
  });

  const schema = (r: RouteSpec) => ({ ...(r.params && { params: r.params }), ...(r.querystring && { querystring: r.querystring }), ...(r.body && { body: r.body }) });
  const on = (operationId: string, handler: (req: FastifyRequest, reply: FastifyReply) => unknown) => {
    const r = route(operationId);
    app.route({ method: r.method, url: r.url, schema: schema(r), handler: handler as never, ...(r.method === 'PUT' && { preValidation: async (req: FastifyRequest) => void (req.body ??= {}) }) });
  };
  type CampaignParams = { campaign: string };

  on('pushTask', (req, reply) => {
    const { campaign } = req.params as CampaignParams;
    const r = backend.pushTask(campaign, req.body as TaskRequest);
    if (!r.ok) {
      metrics.tasks.inc({ campaign: r.reason === 'unknown-campaign' ? '' : campaign, result: r.reason });
      if (r.reason === 'unknown-campaign') return sendProblem(reply, 404, `no campaign ${campaign}`, [{ name: 'params.campaign', reason: `no campaign ${campaign} (there are: ${backend.campaigns().join(', ')})` }]);
      return sendProblem(reply, 400, r.detail, [{ name: r.field ?? 'body', reason: r.detail }]);
    }
    metrics.tasks.inc({ campaign, result: r.created ? 'created' : 'existing' });
    return reply.code(r.created ? 201 : 200).send({ contactId: r.contactId, created: r.created });
  });

  on('scheduleCallback', (req, reply) => {
    const { campaign } = req.params as CampaignParams;
    const body = req.body as { contactId: string; at: string; agent?: string };
    const at = Date.parse(body.at);
    const r = backend.scheduleCallback(campaign, body.contactId, at, body.agent);
    if (r.ok) return reply.code(201).send({ contactId: body.contactId, at: new Date(at).toISOString(), ...(body.agent !== undefined && { agent: body.agent }) });
    if (r.reason === 'unknown-campaign') return sendProblem(reply, 404, `no campaign ${campaign}`, [{ name: 'params.campaign', reason: `no campaign ${campaign}` }]);
    if (r.reason === 'unknown-contact') return sendProblem(reply, 404, `no contact ${body.contactId} in campaign ${campaign}`, [{ name: 'body.contactId', reason: 'no such contact in the campaign' }]);
    return sendProblem(reply, 409, r.reason === 'in-call' ? `contact ${body.contactId} is in a call (or shown to an agent): ask again after it` : `contact ${body.contactId} was taken out of the campaign`);
  });

  for (const [operationId, paused] of [['pauseCampaign', true], ['resumeCampaign', false]] as const) {
    on(operationId, (req, reply) => {
      const { campaign } = req.params as CampaignParams;
      if (!backend.setPaused(campaign, paused)) return sendProblem(reply, 404, `no campaign ${campaign}`, [{ name: 'params.campaign', reason: `no campaign ${campaign}` }]);
      return reply.send({ campaign, paused });
    });
  }

  const dncNumber = (req: FastifyRequest, reply: FastifyReply): string | undefined => {
    const raw = (req.params as { number: string }).number;
    const n = normalizeNumber(raw.startsWith('+') || raw.startsWith('00') ? raw : `+${raw}`);
    if (n.ok) return n.e164;
    void sendProblem(reply, 400, n.reason, [{ name: 'params.number', reason: n.reason }]);
    return undefined;
  };
  on('addDoNotCall', (req, reply) => {
    const number = dncNumber(req, reply);
    if (number === undefined) return reply;
    const added = backend.addDoNotCall(number, (req.body as { reason?: string }).reason);
    return reply.code(added ? 201 : 200).send({ number, added });
  });
  on('removeDoNotCall', (req, reply) => {
    const number = dncNumber(req, reply);
    if (number === undefined) return reply;
    if (!backend.removeDoNotCall(number)) return sendProblem(reply, 404, `${number} is not on the do-not-call list`);
    return reply.code(204).send();
  });

  on('setAgentState', async (req, reply) => {
    const { agent } = req.params as { agent: string };
    const body = req.body as { state: 'ready' | 'not-ready'; reason?: string };
    if (body.state === 'not-ready' && body.reason === undefined) return sendProblem(reply, 400, 'not-ready needs a reason', [{ name: 'body.reason', reason: `is required with state not-ready (one of: ${backend.agentReasons().join(', ')})` }]);
    if (body.state === 'ready' && body.reason !== undefined) return sendProblem(reply, 400, 'ready has no reason', [{ name: 'body.reason', reason: 'is only given with state not-ready' }]);
    const r = await backend.setAgentState(agent, body.state === 'ready' ? { state: 'ready' } : { state: 'not-ready', reason: body.reason! });
    if (r.ok) return reply.send({ agent, state: body.state, ...(body.reason !== undefined && { reason: body.reason }), queues: r.queues });
    if (r.reason === 'unknown-agent') return sendProblem(reply, 404, r.detail, [{ name: 'params.agent', reason: r.detail }]);
    if (r.reason === 'unknown-reason') return sendProblem(reply, 400, r.detail, [{ name: 'body.reason', reason: r.detail }]);
    return sendProblem(reply, 503, r.detail);
  });

  on('stats', (_req, reply) => reply.send(backend.stats()));

  on('events', (req, reply) => {
    const q = req.query as { campaign?: string; agent?: string };
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-accel-buffering': 'no' });
    res.write(': callplan dialer events\n\n');
    streams.add(res);
    let id = 0;
    const off = backend.subscribe((e: CallEvent) => {
      if ((q.campaign !== undefined && e.campaign !== q.campaign) || (q.agent !== undefined && e.agent !== q.agent)) return;
      res.write(`id: ${++id}\nevent: ${e.type}\ndata: ${JSON.stringify({ ...e, at: new Date(e.at).toISOString() })}\n\n`);
    });
    const beat = setInterval(() => res.write(': keep-alive\n\n'), 1000 * (options.heartbeatSeconds ?? 15));
    beat.unref();
    res.on('close', () => {
      clearInterval(beat);
      off();
      streams.delete(res);
    });
  });

  on('metrics', async (_req, reply) => reply.type('text/plain; version=0.0.4; charset=utf-8').send(await metrics.text()));

  const doc = openApiDocument(options.version ?? '0');
  on('openapi', (_req, reply) => reply.send(doc));
  return app;
}

export interface StartApiOptions extends ApiOptions {
  /** 127.0.0.1 unless told otherwise. */
  host?: string;
  port?: number;
}

/** Default port of the dialer's API. */
export const DEFAULT_API_PORT = 8089;

/** Starts the API listening (loopback by default); returns its address and how to stop it. */
export async function startDialerApi(options: StartApiOptions): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const app = buildDialerApi(options);
  const host = options.host ?? '127.0.0.1';
  await app.listen({ host, port: options.port ?? DEFAULT_API_PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_API_PORT);
  return { url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, port, close: () => app.close() };
}

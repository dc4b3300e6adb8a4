import { LIVE_STATS_SCHEMA, PROBLEM_SCHEMA, ROUTES, type RouteSpec } from './schemas.js';

/** The OpenAPI 3.1 description of the API, made from the route table the server validates with. */
export function openApiDocument(version: string): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const r of ROUTES) {
    const p = r.url.replace(/:([A-Za-z]+)/g, '{$1}');
    (paths[p] ??= {})[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'callplan dialer', version, description: 'The pacing daemon beside each Asterisk node: tasks in, callbacks, pause and resume, agent states (ready, not ready with a reason), do-not-call, live statistics, call events for screen pops. Every request needs `Authorization: Bearer <token>`; the daemon listens on 127.0.0.1 unless told otherwise.' },
    servers: [{ url: 'http://127.0.0.1:8089' }],
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Problem: PROBLEM_SCHEMA, LiveStats: LIVE_STATS_SCHEMA },
    },
  };
}

function operation(r: RouteSpec): object {
  const parameters: object[] = [];
  for (const [where, schema] of [['path', r.params], ['query', r.querystring]] as const) {
    const s = schema as { properties?: Record<string, { description?: string }>; required?: readonly string[] } | undefined;
    for (const [name, prop] of Object.entries(s?.properties ?? {})) {
      parameters.push({ name, in: where, required: where === 'path' || (s?.required ?? []).includes(name), schema: prop, ...(prop.description && { description: prop.description }) });
    }
  }
  const responses: Record<string, object> = {};
  for (const [status, res] of Object.entries(r.responses)) {
    const type = res.content ?? (Number(status) >= 400 ? 'application/problem+json' : 'application/json');
    responses[status] = { description: res.description, ...((res.schema || res.content) && { content: { [type]: res.schema ? { schema: res.schema } : {} } }) };
  }
  return {
    operationId: r.operationId,
    summary: r.summary,
    ...(parameters.length > 0 && { parameters }),
    ...(r.body && { requestBody: { required: true, content: { 'application/json': { schema: r.body } } } }),
    responses,
  };
}

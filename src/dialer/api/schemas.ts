/**
 * The API's requests and answers as JSON Schema: fastify validates requests with them, and the
 * OpenAPI description (openapi.ts) is made from the same objects, so the two cannot drift.
 */

const problemRef = { $ref: '#/components/schemas/Problem' };

export const PROBLEM_SCHEMA = {
  type: 'object',
  required: ['type', 'title', 'status'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    'invalid-params': { type: 'array', items: { type: 'object', required: ['name', 'reason'], properties: { name: { type: 'string' }, reason: { type: 'string' } } } },
  },
} as const;

const campaignParams = {
  type: 'object',
  required: ['campaign'],
  properties: { campaign: { type: 'string', minLength: 1, maxLength: 100, description: 'Campaign name.' } },
} as const;

const text = (max: number, description: string) => ({ type: 'string', minLength: 1, maxLength: max, description }) as const;

export const TASK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'numbers'],
  properties: {
    id: { ...text(200, 'The task id: pushing the same id again changes nothing.'), pattern: '^[^\\s]+$' },
    numbers: {
      type: 'array',
      minItems: 1,
      maxItems: 4,
      description: 'Up to 4 numbers, in the order they are tried; international (+48601234567 or 0048601234567).',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['number'],
        properties: {
          number: { type: 'string', minLength: 3, maxLength: 32, pattern: '^[+0-9 ()./-]+$' },
          type: { type: 'string', enum: ['mobile', 'landline', 'unknown'] },
          timezone: text(64, 'IANA time zone of this number (default: the task\'s).'),
        },
      },
    },
    priority: { type: 'integer', minimum: -1000, maximum: 1000, description: 'Higher first (default 0).' },
    name: text(200, "The customer's name, shown on the agent's screen."),
    caseNumber: text(200, 'Case or application number.'),
    timezone: text(64, "IANA time zone of the customer (default: the campaign's)."),
    fields: { type: 'object', maxProperties: 50, additionalProperties: { type: 'string', maxLength: 2000 }, description: 'Data travelling with the call to the screen pop.' },
    notBefore: { type: 'string', format: 'date-time', description: 'Not dialled before this time.' },
  },
} as const;

export const CALLBACK_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['contactId', 'at'],
  properties: {
    contactId: text(200, 'The contact (its id from the list, or the task id).'),
    at: { type: 'string', format: 'date-time', description: 'When to call back.' },
    agent: text(64, 'The agent (extension) who calls back; kept with the callback when the campaign keeps callbacks with their agent.'),
  },
} as const;

const dncParams = {
  type: 'object',
  required: ['number'],
  properties: { number: { type: 'string', minLength: 3, maxLength: 32, pattern: '^[+0-9]+$', description: 'International number: +48601234567 or 48601234567.' } },
} as const;

const DNC_BODY = { type: 'object', additionalProperties: false, properties: { reason: text(500, 'Why (kept with the number).') } } as const;

const agentParams = {
  type: 'object',
  required: ['agent'],
  properties: { agent: { type: 'string', pattern: '^[0-9]{2,8}$', description: "The agent's extension (a member of a campaign's queue)." } },
} as const;

export const AGENT_STATE_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['state'],
  properties: {
    state: { type: 'string', enum: ['ready', 'not-ready'], description: 'ready: takes calls again (unpaused in every queue); not-ready: paused in every queue with `reason`.' },
    reason: {
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_-]{0,39}$',
      description: "With not-ready, and only then: one of the project's not-ready agent statuses (without any: break, consultation, email, wrap-up). It becomes the queue pause reason; consultation stops distribution to the agent at once.",
    },
  },
} as const;

const AGENT_STATE_ANSWER = {
  type: 'object',
  properties: { agent: { type: 'string' }, state: { type: 'string' }, reason: { type: 'string' }, queues: { type: 'array', items: { type: 'string' } } },
} as const;

const eventsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { campaign: text(100, 'Only this campaign.'), agent: text(64, "Only this agent's calls (a desktop's screen pop).") },
} as const;

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** fastify syntax (:param). */
  url: string;
  operationId: string;
  summary: string;
  params?: object;
  querystring?: object;
  body?: object;
  /** Status → description (and the JSON schema of the answer, when it is JSON). */
  responses: Record<number, { description: string; schema?: object; content?: string }>;
}

const common = {
  401: { description: 'No or wrong bearer token.', schema: problemRef },
};

export const ROUTES: readonly RouteSpec[] = [
  {
    method: 'POST',
    url: '/v1/campaigns/:campaign/tasks',
    operationId: 'pushTask',
    summary: 'Push a task (a contact with its data) into a campaign; idempotent by task id.',
    params: campaignParams,
    body: TASK_SCHEMA,
    responses: {
      201: { description: 'The task became a contact.', schema: { type: 'object', properties: { contactId: { type: 'string' }, created: { type: 'boolean' } } } },
      200: { description: 'A task with this id was pushed before: nothing changed.', schema: { type: 'object', properties: { contactId: { type: 'string' }, created: { type: 'boolean' } } } },
      400: { description: 'The request names a field it got wrong.', schema: problemRef },
      ...common,
      404: { description: 'No such campaign.', schema: problemRef },
    },
  },
  {
    method: 'POST',
    url: '/v1/campaigns/:campaign/callbacks',
    operationId: 'scheduleCallback',
    summary: 'Schedule a callback for a contact, with the same agent.',
    params: campaignParams,
    body: CALLBACK_SCHEMA,
    responses: {
      201: { description: 'Scheduled.', schema: { type: 'object', properties: { contactId: { type: 'string' }, at: { type: 'string' }, agent: { type: 'string' } } } },
      400: { description: 'The request names a field it got wrong.', schema: problemRef },
      ...common,
      404: { description: 'No such campaign or contact.', schema: problemRef },
      409: { description: 'The contact is in a call or taken out.', schema: problemRef },
    },
  },
  {
    method: 'POST',
    url: '/v1/campaigns/:campaign/pause',
    operationId: 'pauseCampaign',
    summary: 'Pause a campaign: nothing more is dialled (calls up go on).',
    params: campaignParams,
    responses: { 200: { description: 'Paused.', schema: { type: 'object', properties: { campaign: { type: 'string' }, paused: { type: 'boolean' } } } }, ...common, 404: { description: 'No such campaign.', schema: problemRef } },
  },
  {
    method: 'POST',
    url: '/v1/campaigns/:campaign/resume',
    operationId: 'resumeCampaign',
    summary: 'Resume a paused campaign.',
    params: campaignParams,
    responses: { 200: { description: 'Dialling again.', schema: { type: 'object', properties: { campaign: { type: 'string' }, paused: { type: 'boolean' } } } }, ...common, 404: { description: 'No such campaign.', schema: problemRef } },
  },
  {
    method: 'PUT',
    url: '/v1/do-not-call/:number',
    operationId: 'addDoNotCall',
    summary: 'Put a number on the do-not-call list (every campaign).',
    params: dncParams,
    body: DNC_BODY,
    responses: {
      201: { description: 'Added.', schema: { type: 'object', properties: { number: { type: 'string' }, added: { type: 'boolean' } } } },
      200: { description: 'It was on the list already.', schema: { type: 'object', properties: { number: { type: 'string' }, added: { type: 'boolean' } } } },
      400: { description: 'Not an international number.', schema: problemRef },
      ...common,
    },
  },
  {
    method: 'DELETE',
    url: '/v1/do-not-call/:number',
    operationId: 'removeDoNotCall',
    summary: 'Take a number off the do-not-call list.',
    params: dncParams,
    responses: { 204: { description: 'Removed.' }, 400: { description: 'Not an international number.', schema: problemRef }, ...common, 404: { description: 'The number is not on the list.', schema: problemRef } },
  },
  {
    method: 'PUT',
    url: '/v1/agents/:agent/state',
    operationId: 'setAgentState',
    summary:
      "Set an agent ready, or not ready with a reason (break, consultation, email, wrap-up ...): Asterisk's QueuePause for the agent in every queue at once, as the phone's *91 and *94x codes do. The new state shows in /v1/stats when Asterisk reports it (QueueMemberPause), as a pause set from the phone or another AMI client does.",
    params: agentParams,
    body: AGENT_STATE_SCHEMA,
    responses: {
      200: { description: 'Asterisk paused or unpaused the agent; `queues` are the campaign queues the agent sits in.', schema: AGENT_STATE_ANSWER },
      400: { description: 'The request names a field it got wrong (a reason the project does not have, a missing reason for not-ready).', schema: problemRef },
      ...common,
      404: { description: 'No campaign has this agent.', schema: problemRef },
      503: { description: "Asterisk's manager is not reachable or refused the pause; try again.", schema: problemRef },
    },
  },
  {
    method: 'GET',
    url: '/v1/stats',
    operationId: 'stats',
    summary: 'Live statistics: agents by state, and per campaign calls in progress, answer rate, abandon rate over the regulated window against its target, dial level, contacts.',
    responses: { 200: { description: 'The statistics now.', schema: { $ref: '#/components/schemas/LiveStats' } }, ...common },
  },
  {
    method: 'GET',
    url: '/v1/events',
    operationId: 'events',
    summary: 'Call events as Server-Sent Events (planned, answered, connected, ended) with the contact data, for screen pops.',
    querystring: eventsQuery,
    responses: { 200: { description: 'A stream of `event: <type>` / `data: <JSON call event>` messages.', content: 'text/event-stream' }, ...common },
  },
  {
    method: 'GET',
    url: '/metrics',
    operationId: 'metrics',
    summary: 'Prometheus metrics.',
    responses: { 200: { description: 'Prometheus text format.', content: 'text/plain' }, ...common },
  },
  {
    method: 'GET',
    url: '/openapi.json',
    operationId: 'openapi',
    summary: 'This description.',
    responses: { 200: { description: 'OpenAPI 3.1 document.' }, ...common },
  },
];

export const LIVE_STATS_SCHEMA = {
  type: 'object',
  properties: {
    at: { type: 'string', format: 'date-time' },
    agents: {
      type: 'object',
      properties: {
        byState: { type: 'object', additionalProperties: { type: 'integer' } },
        list: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, state: { type: 'string' }, reason: { type: 'string' }, since: { type: 'string' } } } },
      },
    },
    campaigns: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string' },
          mode: { type: 'string' },
          paused: { type: 'boolean' },
          callsInProgress: { type: 'integer' },
          dialLevel: { type: 'number' },
          answerRate: { type: ['number', 'null'] },
          abandon: {
            type: 'object',
            properties: { rate: { type: ['number', 'null'] }, target: { type: 'number' }, limit: { type: 'number' }, windowSeconds: { type: 'integer' }, liveAnswers: { type: 'integer' }, abandoned: { type: 'integer' } },
          },
          contacts: { type: 'object', additionalProperties: { type: 'integer' } },
        },
      },
    },
  },
} as const;

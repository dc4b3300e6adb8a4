/** A problem body (RFC 9457), served as application/problem+json. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** The fields a request got wrong: `body.numbers[0].number`, `params.campaign` ... */
  'invalid-params'?: { name: string; reason: string }[];
}

export const PROBLEM_TYPE = 'application/problem+json';

const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Unprocessable content',
  500: 'Internal error',
  503: 'Service unavailable',
};

export function problem(status: number, detail?: string, invalid?: { name: string; reason: string }[]): Problem {
  const p: Problem = { type: 'about:blank', title: TITLES[status] ?? 'Error', status };
  if (detail !== undefined) p.detail = detail;
  if (invalid && invalid.length > 0) p['invalid-params'] = invalid;
  return p;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** Ajv's errors for one part of the request (body, params, querystring) as named fields. */
export function invalidParams(context: string, errors: readonly AjvError[]): { name: string; reason: string }[] {
  return errors.map((e) => {
    let at = e.instancePath
      .split('/')
      .slice(1)
      .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s.replace(/~1/g, '/').replace(/~0/g, '~')}`))
      .join('');
    let reason = e.message ?? e.keyword;
    if (e.keyword === 'required') {
      at += `.${String(e.params['missingProperty'])}`;
      reason = 'is required';
    } else if (e.keyword === 'additionalProperties') {
      at += `.${String(e.params['additionalProperty'])}`;
      reason = 'is not a field of this request';
    }
    return { name: `${context}${at}`, reason };
  });
}

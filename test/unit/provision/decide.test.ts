import { describe, expect, it } from 'vitest';
import { decide, type Policy } from '../../../src/provision/decide.js';
import type { ProvisionedPhone } from '../../../src/provision/phones.js';
import { RateLimiter } from '../../../src/provision/rate-limit.js';

const phone = (mac: string, model = 'D785', phoneType = 'snomD785'): ProvisionedPhone => ({ mac, model, phoneType, extension: '1001', name: 'Anna', site: 'hq', endpoint: `1001-${mac}` });
const A = phone('000413A1B2C3');
const B = phone('000413A1B2C4', '710', 'snom710');
const policy = (o: { perMinute?: number; burst?: number } = {}): Policy => ({
  prefix: '/snom/',
  phones: new Map([A, B].map((p) => [p.mac, p])),
  passwordOf: (mac) => `pw-${mac}`,
  limiter: new RateLimiter({ perMinute: o.perMinute ?? 60, burst: o.burst ?? 100 }),
});
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const asA = basic(A.mac, `pw-${A.mac}`);
const req = (target: string, authorization?: string, method = 'GET') => ({ method, target, authorization, ip: '10.0.0.7', now: 0 });

describe('decide: the provisioning policy', () => {
  it("serves a proven phone its own files, named as in the build", () => {
    const p = policy();
    expect(decide(p, req('/snom/000413A1B2C3.xml', asA))).toEqual({ status: 200, result: 'ok', file: '000413A1B2C3.xml', mac: A.mac, model: 'D785' });
    expect(decide(p, req('/snom/snomD785-000413a1b2c3.htm', asA))).toMatchObject({ status: 200, file: 'snomD785-000413A1B2C3.htm' });
    expect(decide(p, req('/snom/snomD785.htm', asA, 'HEAD'))).toMatchObject({ status: 200, file: 'snomD785.htm' });
  });

  it('401 for no credentials, a wrong password, an unknown MAC: the same decision but for the log', () => {
    const p = policy();
    const none = decide(p, req('/snom/000413A1B2C3.xml'));
    const wrong = decide(p, req('/snom/000413A1B2C3.xml', basic(A.mac, 'guess')));
    const unknown = decide(p, req('/snom/000413FFFFFF.xml', basic('000413FFFFFF', 'pw-000413FFFFFF')));
    for (const d of [none, wrong, unknown]) expect(d).toMatchObject({ status: 401, result: 'unauthorized' });
    // The log names the MAC tried, and the model only of a phone the project has.
    expect(wrong).toEqual({ status: 401, result: 'unauthorized', mac: A.mac, model: 'D785' });
    expect(unknown).toEqual({ status: 401, result: 'unauthorized', mac: '000413FFFFFF' });
  });

  it("404 for a proven phone asking for anything not its own, whether or not it exists", () => {
    const p = policy();
    for (const target of ['/snom/000413A1B2C4.xml', '/snom/000413FFFFFF.xml', '/snom/snom710-000413A1B2C4.htm', '/snom/snom710.htm', '/snom/model.json', '/asterisk/pjsip.conf']) {
      expect(decide(p, req(target, asA))).toEqual({ status: 404, result: 'not-found', mac: A.mac, model: 'D785' });
    }
  });

  it('401 before 404: without credentials nothing is told about paths either', () => {
    expect(decide(policy(), req('/asterisk/pjsip.conf'))).toMatchObject({ status: 401 });
  });

  it('405 for other methods', () => {
    expect(decide(policy(), req('/snom/000413A1B2C3.xml', asA, 'POST'))).toEqual({ status: 405, result: 'bad-method' });
  });

  it('429 once an address spent its burst, before credentials are even looked at', () => {
    const p = policy({ burst: 2, perMinute: 30 });
    decide(p, req('/snom/000413A1B2C3.xml', asA));
    decide(p, req('/snom/000413A1B2C3.xml', asA));
    expect(decide(p, req('/snom/000413A1B2C3.xml', asA))).toEqual({ status: 429, result: 'rate-limited', retryAfterSeconds: 2, mac: A.mac, model: 'D785' });
    expect(decide(p, { ...req('/snom/000413A1B2C3.xml', asA), ip: '10.0.0.8' })).toMatchObject({ status: 200 });
  });
});

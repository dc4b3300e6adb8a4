import { describe, expect, it } from 'vitest';
import { campaignContexts, campaignTrunks, connectLimit, dialerContext } from '../../../src/targets/asterisk/dialplan/campaigns.js';
import { agentStatusCodes } from '../../../src/targets/asterisk/dialplan/features.js';
import { amdConf } from '../../../src/targets/asterisk/amd.js';
import { managerConf } from '../../../src/targets/asterisk/manager.js';
import { secretResolver } from '../../../src/secrets/resolve.js';
import { secretValues } from '../../../src/secrets/refs.js';
import { BASE, check } from '../../helpers/project.js';

const TRUNKS = `  backup:
    auth: ip
    host: 192.0.2.10
    addresses: [192.0.2.10]
    priority: 2
`;

function model(campaign: string, extra = '') {
  const yaml = `${BASE.replace('trunks:\n', `trunks:\n${TRUNKS}`).replace('    national: { patterns: ["_0XXXXXXXXX"], trunks: [carrier] }', '    national: { patterns: ["_0XXXXXXXXX"], trunks: [carrier, backup], order: listed }\n    sos: { patterns: ["112"], trunks: [backup], emergency: true }')}${extra}campaigns:
  renewals:
    mode: predictive
    queue: queue:support
    outbound_class: office
    contacts: { source: api, numbers: [mobile] }
    window: { from: "09:00", to: "20:00" }
${campaign}`;
  const r = check({ 'callplan.yaml': yaml });
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return r.model!;
}

const steps = (m: ReturnType<typeof model>, name: string) => campaignContexts(m).find((c) => c.name === name)!.extensions.flatMap((e) => e.steps.map((s) => s.app));

describe('campaign contexts', () => {
  it('dial through the trunks of the class (not emergency routes), in the route\'s order, with the campaign\'s caller ID', () => {
    const m = model('    caller_id: "+48221000099"\n');
    expect(campaignTrunks(m, m.campaigns[0]!)).toEqual(['trunk-carrier', 'trunk-backup']);
    const out = steps(m, 'cp-dialer-renewals-out');
    expect(out[0]).toBe('Set(CALLERID(num)=+48221000099)');
    expect(out).toContain('Gosub(cp-dialer-dial,s,1(+${EXTEN},trunk-carrier&trunk-backup))');
  });

  it('wait for an agent the profile\'s 2 s, or the queue\'s own wait when connect_within is switched off', () => {
    const strict = model('    compliance: { profile: us-tsr }\n    abandon: { message: custom/this-was-acme }\n');
    expect(connectLimit(strict, strict.campaigns[0]!)).toBe(2);
    expect(steps(strict, `${dialerContext('renewals')}-prelude`)).toEqual(expect.arrayContaining(['Set(CP_CONNECT=2)', 'Set(CP_ABANDON_MSG=custom/this-was-acme)']));
    const off = model('    compliance: { switch_off: { connect_within: "agents take calls from a hunt group, measured by the carrier" } }\n');
    expect(connectLimit(off, off.campaigns[0]!)).toBeUndefined();
    expect(steps(off, 'cp-dialer-renewals-prelude')).toContain('Set(CP_CONNECT=)');
  });

  it('run AMD and leave a message to machines only where the campaign says so, and write amd.conf for it', () => {
    const plain = model('    amd: { enabled: false }\n');
    expect(steps(plain, 'cp-dialer-renewals-prelude')).toEqual(expect.arrayContaining(['Set(CP_AMD=0)', 'Set(CP_ON_MACHINE=)']));
    expect(amdConf(plain)).toBeUndefined();
    const amd = model('    amd: { enabled: true, on_machine: message, message: custom/please-call-back }\n');
    expect(steps(amd, 'cp-dialer-renewals-prelude')).toEqual(expect.arrayContaining(['Set(CP_AMD=1)', 'Set(CP_ON_MACHINE=custom/please-call-back)']));
    expect(amdConf(amd)).toContain('total_analysis_time = 5000');
  });

  it('record per the policies naming the campaign or its queue', () => {
    const none = model('');
    expect(steps(none, 'cp-dialer-renewals-prelude').some((s) => s.includes('CP_RECORD'))).toBe(false);
    const half = model('', 'recording:\n  policies:\n    - { name: sample, campaigns: [campaign:renewals], percentage: 50 }\n');
    expect(steps(half, 'cp-dialer-renewals-prelude').filter((s) => s.includes('CP_RECORD'))).toEqual(['Set(__CP_RECORD=${IF($[(${RAND(1,100)} <= 50)]?1:0)})']);
  });

  it('are not written for a project without campaigns', () => {
    const r = check({ 'callplan.yaml': BASE });
    expect(campaignContexts(r.model!)).toEqual([]);
  });
});

describe('agent status feature codes', () => {
  it('give each not-ready status *94 and its fixed code, and none to ready ones', () => {
    const m = model('', 'agent_statuses:\n  available: { ready: true }\n  wrap-up: { ready: false, code: 4 }\n  break: { ready: false, code: 1 }\n  consultation: { ready: false, code: 2 }\n');
    expect(agentStatusCodes(m)).toEqual([
      { status: 'break', ready: false, code: '*941' },
      { status: 'consultation', ready: false, code: '*942' },
      { status: 'wrap-up', ready: false, code: '*944' },
    ]);
  });

  it('adding a status moves no other: a new one, even first by name, takes a free code', () => {
    const statuses = '  break: { ready: false, code: 1 }\n  consultation: { ready: false, code: 2 }\n  email: { ready: false, code: 3 }\n  wrap-up: { ready: false, code: 4 }\n';
    const before = agentStatusCodes(model('', `agent_statuses:\n${statuses}`));
    for (const added of ['  aaa-training: { ready: false }\n', '  aaa-training: { ready: false, code: 9 }\n', '  lunch: { ready: false }\n']) {
      const after = agentStatusCodes(model('', `agent_statuses:\n${added}${statuses}`));
      for (const s of before) expect(after).toContainEqual(s);
      expect(after).toHaveLength(before.length + 1);
      const fresh = after.find((a) => !before.some((b) => b.status === a.status))!;
      expect(before.map((b) => b.code)).not.toContain(fresh.code);
    }
    expect(agentStatusCodes(model('', `agent_statuses:\n  aaa-training: { ready: false }\n${statuses}`)).find((s) => s.status === 'aaa-training')!.code).toBe('*945');
  });

  it('a status without a code takes the lowest digit no status claims, in name order; beyond nine there is none', () => {
    const m = model('', 'agent_statuses:\n  break: { ready: false, code: 1 }\n  email: { ready: false }\n  coffee: { ready: false }\n');
    expect(agentStatusCodes(m)).toEqual([
      { status: 'break', ready: false, code: '*941' },
      { status: 'coffee', ready: false, code: '*942' },
      { status: 'email', ready: false, code: '*943' },
    ]);
    const ten = Array.from({ length: 10 }, (_, i) => `  s${i}: { ready: false }\n`).join('');
    expect(agentStatusCodes(model('', `agent_statuses:\n${ten}`)).map((s) => s.code)).toEqual(['*941', '*942', '*943', '*944', '*945', '*946', '*947', '*948', '*949']);
  });
});

describe("another vendor's dialer", () => {
  const withSecret = (yaml: string) => yaml.replace('version: 1\n', 'version: 1\nsecrets:\n  device_master: "${env:MASTER}"\n  external_dialer: "${env:VENDOR}"\n');
  const env = { MASTER: 'm'.repeat(8) + 'Master-Secret-0123456789abcdefXYZ', VENDOR: 'Vendor-Dialer-7r2Kq9xW4mZp' };

  it('gets its manager user and entry point only when the project names its secret', () => {
    const r = check({ 'callplan.yaml': withSecret(BASE) }, env);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const names = campaignContexts(r.model!).map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['cp-external-dialer', 'cp-external-dialer-answered', 'cp-dialer-dial']));
    const manager = managerConf(r.model!, secretResolver(r.model!, secretValues(env)).resolver);
    expect(manager).toMatch(/; .*\n; .*\n\[callplan-external-dialer\]\nsecret = Vendor-Dialer-7r2Kq9xW4mZp\ndeny = 0\.0\.0\.0\/0\.0\.0\.0\npermit = 127\.0\.0\.1\/255\.255\.255\.255\nread = call,agent\nwrite = originate,call\n/);
    const plain = check({ 'callplan.yaml': BASE }).model!;
    expect(managerConf(plain, secretResolver(plain, secretValues({})).resolver)).not.toContain('callplan-external-dialer');
  });

  it('sends the answered callee only to one of the project\'s queues', () => {
    const r = check({ 'callplan.yaml': withSecret(BASE) }, env);
    expect(steps(r.model! as ReturnType<typeof model>, 'cp-external-dialer-answered')).toEqual(
      expect.arrayContaining(['Set(CP_Q=${FILTER(a-z0-9_-,${CP_QUEUE})})', 'GotoIf($["${CP_Q}" = "" | "${QUEUE_EXISTS(${CP_Q})}" != "1"]?refuse)']),
    );
  });

  it('refuses a weak vendor secret', () => {
    const r = check({ 'callplan.yaml': withSecret(BASE) }, { ...env, VENDOR: 'password1' });
    expect(r.diagnostics.map((d) => `${d.rule}: ${d.message}`).join('\n')).toMatch(/weak-secret: secrets\.external_dialer .* is weak/);
  });
});

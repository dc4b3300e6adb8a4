import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { planReloads } from '../../../src/plan/reloads/index.js';

/** Real generated files to change: what `build` writes for the examples. */
const golden = (path: string) => readFileSync(new URL(`../../golden/${path}`, import.meta.url), 'utf8');
const QUEUES = golden('payment-center-by/asterisk/queues.conf');
const PJSIP = golden('payment-center-by/asterisk/pjsip.conf');
const EXTENSIONS = golden('payment-center-by/asterisk/extensions.conf');
const KAMAILIO = golden('sales-ru-follow-the-sun/nodes/edge/kamailio/kamailio.cfg');

/** The commands planned for one node. */
const commands = (plan: ReturnType<typeof planReloads>, node = 'pbx') => plan.nodes[node]?.reloads.map((r) => r.command);

function replaceIn(text: string, section: string, from: RegExp, to: string): string {
  const start = text.indexOf(`[${section}]`);
  expect(start).toBeGreaterThanOrEqual(0);
  const end = text.indexOf('\n[', start + 1);
  const body = text.slice(start, end < 0 ? undefined : end);
  expect(body).toMatch(from);
  return text.slice(0, start) + body.replace(from, to) + (end < 0 ? '' : text.slice(end));
}

describe('planReloads: queues.conf', () => {
  it('a queue setting changed: queue reload parameters only (members and their pause state untouched)', () => {
    const after = replaceIn(QUEUES, 'payments', /^timeout = 15$/m, 'timeout = 30');
    const plan = planReloads([{ path: 'asterisk/queues.conf', before: QUEUES, after }]);
    expect(commands(plan)).toEqual(['queue reload parameters']);
    expect(plan.nodes.pbx!.reloads[0]!.why).toEqual(['asterisk/queues.conf: queue payments: settings changed']);
    expect(plan.nodes.pbx!.restart).toBeUndefined();
  });

  it('a member added: queue reload members only, saying paused and logged-in agents stay', () => {
    const after = replaceIn(QUEUES, 'payments', /^(member = .*)$/m, '$1\nmember = Local/2999@cp-queue-members/n,10,New Agent,PJSIP/2999-softphone');
    const plan = planReloads([{ path: 'asterisk/queues.conf', before: QUEUES, after }]);
    expect(commands(plan)).toEqual(['queue reload members']);
    expect(plan.nodes.pbx!.reloads[0]!.why[0]).toMatch(/queue payments: members changed.*paused members stay paused/);
  });

  it('a member moved from primary to backup (its penalty) is a member change', () => {
    const after = replaceIn(QUEUES, 'payments', /^member = Local\/2101@cp-queue-members\/n,0,/m, 'member = Local/2101@cp-queue-members/n,10,');
    expect(commands(planReloads([{ path: 'asterisk/queues.conf', before: QUEUES, after }]))).toEqual(['queue reload members']);
  });

  it('settings and members both changed: one queue reload all, because a second reload of the same file in a row would see it unchanged', () => {
    let after = replaceIn(QUEUES, 'payments', /^timeout = 15$/m, 'timeout = 30');
    after = replaceIn(after, 'identification', /^member = Local\/2201.*\n/m, '');
    const plan = planReloads([{ path: 'asterisk/queues.conf', before: QUEUES, after }]);
    expect(commands(plan)).toEqual(['queue reload all']);
    expect(plan.nodes.pbx!.reloads[0]!.why[0]).toContain('queue payments: settings changed; queue identification: members changed');
  });

  it('a new queue: queue reload all (parameters create it, members fill it)', () => {
    const after = `${QUEUES}\n[collections]\nstrategy = leastrecent\ntimeout = 20\nmember = Local/2101@cp-queue-members/n,0,Анна Война,PJSIP/2101-softphone\n`;
    expect(commands(planReloads([{ path: 'asterisk/queues.conf', before: QUEUES, after }]))).toEqual(['queue reload all']);
  });

  it('a queue removed: queue reload parameters (it removes queues missing from the file)', () => {
    const start = QUEUES.indexOf('; Платежи и консультации');
    const end = QUEUES.indexOf('\n[', QUEUES.indexOf('[payments]'));
    const after = QUEUES.slice(0, start) + (end < 0 ? '' : QUEUES.slice(end + 1));
    const plan = planReloads([{ path: 'asterisk/queues.conf', before: QUEUES, after }]);
    expect(commands(plan)).toEqual(['queue reload parameters']);
    expect(plan.nodes.pbx!.reloads[0]!.why).toEqual(['asterisk/queues.conf: queue payments removed']);
  });

  it('queue rules changed: queue reload rules; with a queue reload all, all takes them in', () => {
    const rules = golden('payment-center-by/asterisk/queuerules.conf');
    const newRules = rules.replace('penaltychange = 60,10,,10', 'penaltychange = 45,10,,10');
    expect(commands(planReloads([{ path: 'asterisk/queuerules.conf', before: rules, after: newRules }]))).toEqual(['queue reload rules']);
    const queues = `${QUEUES}\n[collections]\nstrategy = leastrecent\n`;
    const both = planReloads([
      { path: 'asterisk/queuerules.conf', before: rules, after: newRules },
      { path: 'asterisk/queues.conf', before: QUEUES, after: queues },
    ]);
    expect(commands(both)).toEqual(['queue reload all']);
    expect(both.nodes.pbx!.reloads[0]!.why).toHaveLength(2);
  });

  it('without the contents, the safe answers: queue reload all; a restart for pjsip.conf (a transport may have changed)', () => {
    expect(commands(planReloads([{ path: 'asterisk/queues.conf' }]))).toEqual(['queue reload all']);
    expect(planReloads([{ path: 'asterisk/pjsip.conf' }]).nodes.pbx!.restart!.why[0]).toMatch(/a transport may have changed/);
    expect(commands(planReloads([{ path: 'asterisk/extensions.conf' }]))).toEqual(['module reload pbx_config.so']);
  });
});

describe('planReloads: pjsip.conf', () => {
  it('an endpoint changed: module reload res_pjsip.so, no restart', () => {
    const after = PJSIP.replace('allow = g722,alaw', 'allow = alaw');
    const plan = planReloads([{ path: 'asterisk/pjsip.conf', before: PJSIP, after }]);
    expect(commands(plan)).toEqual(['module reload res_pjsip.so']);
    expect(plan.nodes.pbx!.reloads[0]!.why[0]).toBe('asterisk/pjsip.conf: endpoint 2001-0004135eba7f changed');
    expect(plan.nodes.pbx!.restart).toBeUndefined();
  });

  it('an aor changed is told apart from the endpoint of the same name', () => {
    const after = PJSIP.replace('max_contacts = 1', 'max_contacts = 2');
    expect(planReloads([{ path: 'asterisk/pjsip.conf', before: PJSIP, after }]).nodes.pbx!.reloads[0]!.why[0]).toBe('asterisk/pjsip.conf: aor 2001-0004135eba7f changed');
  });

  it('many changes are counted, not listed', () => {
    const after = PJSIP.replace(/allow = g722,alaw/g, 'allow = alaw');
    const why = planReloads([{ path: 'asterisk/pjsip.conf', before: PJSIP, after }]).nodes.pbx!.reloads[0]!.why[0]!;
    expect(why).toMatch(/^asterisk\/pjsip\.conf: \d+ endpoints changed$/);
  });

  it("a transport's bind changed: a restart, and Asterisk's reloads are left to it", () => {
    const after = PJSIP.replace('bind = 10.40.0.11:5060', 'bind = 10.40.0.12:5060').replace('allow = g722,alaw', 'allow = alaw');
    const extensions = EXTENSIONS.replace(/^(exten => .*)$/m, '$1\n same => n,NoOp(new)');
    const plan = planReloads([
      { path: 'asterisk/pjsip.conf', before: PJSIP, after },
      { path: 'asterisk/extensions.conf', before: EXTENSIONS, after: extensions },
    ]);
    expect(plan.nodes.pbx!.restart?.service).toBe('asterisk');
    expect(plan.nodes.pbx!.restart!.why).toEqual([expect.stringMatching(/^asterisk\/pjsip\.conf: transport transport-udp changed: Asterisk keeps a transport/)]);
    expect(plan.nodes.pbx!.reloads).toEqual([]);
  });

  it('a transport added is created by the reload; one removed needs a restart', () => {
    const added = `${PJSIP}\n[transport-tls]\ntype = transport\nprotocol = tls\nbind = 10.40.0.11:5061\n`;
    const plan = planReloads([{ path: 'asterisk/pjsip.conf', before: PJSIP, after: added }]);
    expect(commands(plan)).toEqual(['module reload res_pjsip.so']);
    expect(plan.nodes.pbx!.restart).toBeUndefined();
    const removed = planReloads([{ path: 'asterisk/pjsip.conf', before: added, after: PJSIP }]);
    expect(removed.nodes.pbx!.restart!.why[0]).toMatch(/transport transport-tls removed/);
  });

  it('endpoint_identifier_order: a new order needs a restart (res_pjsip orders identifiers at start); one that agrees with the order running does not', () => {
    const edge = PJSIP.replace(/endpoint_identifier_order = \S+/, 'endpoint_identifier_order = header,username,ip');
    expect(planReloads([{ path: 'asterisk/pjsip.conf', before: PJSIP, after: edge }]).nodes.pbx!.restart!.why).toEqual([expect.stringMatching(/endpoint_identifier_order ip,username → header,username,ip: res_pjsip orders/)]);
    // A first deploy: Asterisk runs its default order (ip,username,anonymous).
    expect(planReloads([{ path: 'asterisk/pjsip.conf', after: edge }]).nodes.pbx!.restart!.why[0]).toMatch(/ip,username,anonymous → header,username,ip/);
    expect(planReloads([{ path: 'asterisk/pjsip.conf', after: PJSIP }]).nodes.pbx!.restart).toBeUndefined();
  });

  it('a system section needs a restart', () => {
    const after = `${PJSIP}\n[system]\ntype = system\ntimer_t1 = 600\n`;
    expect(planReloads([{ path: 'asterisk/pjsip.conf', before: PJSIP, after }]).nodes.pbx!.restart!.why[0]).toMatch(/system section system added/);
  });
});

describe('planReloads: other Asterisk files', () => {
  it('extensions.conf: pbx_config reload naming the contexts', () => {
    const after = EXTENSIONS.replace(/^(\[cp-queue-members\])$/m, '[cp-new]\nexten => s,1,Hangup()\n\n$1');
    const plan = planReloads([{ path: 'asterisk/extensions.conf', before: EXTENSIONS, after }]);
    expect(plan.nodes.pbx!.reloads).toEqual([{ service: 'asterisk', command: 'module reload pbx_config.so', why: ['asterisk/extensions.conf: context cp-new added'] }]);
  });

  it('a change in comments only needs nothing', () => {
    const after = EXTENSIONS.replace('; extensions.conf: generated', '; extensions.conf (rebuilt): generated');
    expect(after).not.toBe(EXTENSIONS);
    const plan = planReloads([{ path: 'asterisk/extensions.conf', before: EXTENSIONS, after }]);
    expect(plan.nodes.pbx).toEqual({ reloads: [], unaffected: [{ path: 'asterisk/extensions.conf', why: 'only comments or layout changed' }] });
  });

  it.each([
    ['voicemail.conf', 'module reload app_voicemail.so'],
    ['musiconhold.conf', 'moh reload'],
    ['confbridge.conf', 'module reload app_confbridge.so'],
    ['manager.conf', 'module reload manager'],
    ['pjsip_notify.conf', 'module reload res_pjsip_notify.so'],
  ])('%s: %s', (file, command) => {
    const plan = planReloads([{ path: `asterisk/${file}`, before: '[a]\nx = 1\n', after: '[a]\nx = 2\n' }]);
    expect(plan.nodes.pbx!.reloads).toEqual([{ service: 'asterisk', command, why: [`asterisk/${file}: changed`] }]);
  });

  it.each(['asterisk.conf', 'modules.conf', 'sorcery.conf'])('%s needs a restart', (file) => {
    const plan = planReloads([{ path: `asterisk/${file}`, before: '[a]\nx = 1\n', after: '[a]\nx = 2\n' }]);
    expect(plan.nodes.pbx!.restart?.why[0]).toMatch(new RegExp(`^asterisk/${file.replace('.', '\\.')}: `));
  });

  it('reloads run with what the dialplan refers to first and the dialplan last, each command once', () => {
    const conf = (x: string) => ({ before: `[a]\nx = 1\n`, after: `[a]\nx = ${x}\n` });
    const plan = planReloads([
      { path: 'asterisk/extensions.conf', ...conf('2') },
      { path: 'asterisk/voicemail.conf', ...conf('2') },
      { path: 'asterisk/queues.conf', before: QUEUES, after: replaceIn(QUEUES, 'payments', /^timeout = 15$/m, 'timeout = 30') },
      { path: 'asterisk/pjsip.conf', before: PJSIP, after: PJSIP.replace('allow = g722,alaw', 'allow = alaw') },
      { path: 'asterisk/musiconhold.conf', ...conf('3') },
    ]);
    expect(commands(plan)).toEqual(['module reload res_pjsip.so', 'moh reload', 'module reload app_voicemail.so', 'queue reload parameters', 'module reload pbx_config.so']);
  });

  it('an unchanged file (same contents) is no change', () => {
    expect(planReloads([{ path: 'asterisk/pjsip.conf', before: PJSIP, after: PJSIP }]).nodes).toEqual({});
  });

  it('the single node takes the name given', () => {
    const plan = planReloads([{ path: 'asterisk/voicemail.conf' }], { singleNode: 'pbx-minsk' });
    expect(Object.keys(plan.nodes)).toEqual(['pbx-minsk']);
  });
});

describe('planReloads: several nodes behind a Kamailio edge', () => {
  it('each node gets its own reloads', () => {
    const plan = planReloads([
      { path: 'nodes/pbx-a/asterisk/extensions.conf', before: '[a]\nexten => 1,1,NoOp\n', after: '[a]\nexten => 1,1,Hangup\n' },
      { path: 'nodes/pbx-b/asterisk/voicemail.conf' },
    ]);
    expect(Object.keys(plan.nodes)).toEqual(['pbx-a', 'pbx-b']);
    expect(commands(plan, 'pbx-a')).toEqual(['module reload pbx_config.so']);
    expect(commands(plan, 'pbx-b')).toEqual(['module reload app_voicemail.so']);
  });

  it('dispatcher.list, address.list, tls.cfg: their RPCs; the dispatcher reload warns that drains are reset', () => {
    const plan = planReloads([
      { path: 'nodes/edge/kamailio/dispatcher.list', before: 'a', after: 'b' },
      { path: 'nodes/edge/kamailio/address.list', before: 'a', after: 'b' },
      { path: 'nodes/edge/kamailio/tls.cfg', before: 'a', after: 'b' },
    ]);
    expect(plan.nodes.edge!.reloads.map((r) => [r.service, r.command])).toEqual([
      ['kamailio', 'tls.reload'],
      ['kamailio', 'permissions.addressReload'],
      ['kamailio', 'dispatcher.reload'],
    ]);
    expect(plan.nodes.edge!.reloads[2]!.why[0]).toMatch(/drained by hand must be drained again/);
  });

  it("the phones' HA1s need nothing: db_text reads the file again when it changes", () => {
    const plan = planReloads([{ path: 'nodes/edge/kamailio/db/subscriber', before: 'a', after: 'b' }]);
    expect(plan.nodes.edge).toEqual({ reloads: [], unaffected: [{ path: 'nodes/edge/kamailio/db/subscriber', why: expect.stringMatching(/db_text/) }] });
  });

  it('kamailio.cfg: a restart, naming a listen change; comments only: nothing', () => {
    const listen = planReloads([{ path: 'nodes/edge/kamailio/kamailio.cfg', before: KAMAILIO, after: KAMAILIO.replace('listen=udp:10.0.10.10:5060', 'listen=udp:10.0.10.11:5060') }]);
    expect(listen.nodes.edge!.restart).toEqual({ service: 'kamailio', why: [expect.stringMatching(/its listen addresses changed/)] });
    const children = planReloads([{ path: 'nodes/edge/kamailio/kamailio.cfg', before: KAMAILIO, after: KAMAILIO.replace('#!trydef CP_CHILDREN 8', '#!trydef CP_CHILDREN 16') }]);
    expect(children.nodes.edge!.restart!.why[0]).not.toMatch(/listen addresses changed/);
    const comment = planReloads([{ path: 'nodes/edge/kamailio/kamailio.cfg', before: KAMAILIO, after: KAMAILIO.replace('# The SIP edge edge', '# The SIP edge called edge') }]);
    expect(comment.nodes.edge!.restart).toBeUndefined();
  });
});

describe('planReloads: dialer, archive, phones, other servers', () => {
  it("the dialer's campaigns: its graceful restart; its unit: daemon-reload first", () => {
    const plan = planReloads([
      { path: 'dialer/callplan-dialer.service', before: 'a', after: 'b' },
      { path: 'dialer/campaigns.json', before: 'a', after: 'b' },
    ]);
    expect(commands(plan)).toEqual(['systemctl daemon-reload', 'systemctl restart callplan-dialer.service']);
    expect(plan.nodes.pbx!.reloads[1]!.why).toHaveLength(2);
  });

  it('top-level dialer/ and archive/ go to every Asterisk node of the new build', () => {
    const after = new Map([
      ['nodes/pbx-a/asterisk/pjsip.conf', ''],
      ['nodes/pbx-b/asterisk/pjsip.conf', ''],
      ['nodes/edge/kamailio/kamailio.cfg', ''],
    ]);
    const plan = planReloads([{ path: 'archive/callplan-archive.timer', before: 'a', after: 'b' }], { after });
    expect(Object.keys(plan.nodes)).toEqual(['pbx-a', 'pbx-b']);
    expect(commands(plan, 'pbx-a')).toEqual(['systemctl daemon-reload', 'systemctl restart callplan-archive.timer']);
  });

  it('the archive service alone: daemon-reload (the next run uses it)', () => {
    expect(commands(planReloads([{ path: 'archive/callplan-archive.service', before: 'a', after: 'b' }]))).toEqual(['systemctl daemon-reload']);
  });

  it("a phone's own files: that phone resyncs; a phone removed does not", () => {
    const plan = planReloads([
      { path: 'snom/0004135EBA7F.xml', before: 'a', after: 'b' },
      { path: 'snom/snomD735-0004135BA05D.htm', before: 'a' },
      { path: 'snom/snomD735-00041368585B.htm', after: 'b' },
    ]);
    expect(plan.phones).toEqual([
      { mac: '0004135EBA7F', why: ['snom/0004135EBA7F.xml changed'] },
      { mac: '00041368585B', why: ['snom/snomD735-00041368585B.htm added'] },
    ]);
    expect(plan.allPhones).toBeUndefined();
    expect(plan.nodes).toEqual({});
  });

  it("a model's defaults and a site's directory: the phones they concern, read from the new build", () => {
    const after = new Map([
      ['snom/snomD735-0004135BA05D.htm', '<setting-files><file url="https://p/snom/tbook-minsk.xml"/></setting-files>'],
      ['snom/snomD785-0004135EBA7F.htm', '<setting-files><file url="https://p/snom/tbook-minsk.xml"/></setting-files>'],
      ['snom/snomD785-000413000001.htm', '<setting-files><file url="https://p/snom/tbook-brest.xml"/></setting-files>'],
    ]);
    const defaults = planReloads([{ path: 'snom/snomD785.htm', before: 'a', after: 'b' }], { after });
    expect(defaults.phones.map((p) => p.mac)).toEqual(['000413000001', '0004135EBA7F']);
    const directory = planReloads([{ path: 'snom/tbook-minsk.xml', before: 'a', after: 'b' }], { after });
    expect(directory.phones).toEqual([
      { mac: '0004135BA05D', why: ["snom/tbook-minsk.xml changed (its site's directory)"] },
      { mac: '0004135EBA7F', why: ["snom/tbook-minsk.xml changed (its site's directory)"] },
    ]);
  });

  it('without the new build, a shared SNOM file concerns every phone', () => {
    const plan = planReloads([{ path: 'snom/tbook-minsk.xml', before: 'a', after: 'b' }]);
    expect(plan.phones).toEqual([]);
    expect(plan.allPhones).toEqual({ why: ['snom/tbook-minsk.xml changed (the directory of site minsk)'] });
  });

  it('DHCP and nginx files are for other servers; model.json needs nothing', () => {
    const plan = planReloads([
      { path: 'provisioning/dhcp/minsk.dhcpd.conf', before: 'a', after: 'b' },
      { path: 'model.json', before: 'a', after: 'b' },
    ]);
    expect(plan.elsewhere).toEqual([{ path: 'provisioning/dhcp/minsk.dhcpd.conf', why: "the site's DHCP server (docs/provisioning.md)" }]);
    expect(plan.nodes).toEqual({});
  });
});

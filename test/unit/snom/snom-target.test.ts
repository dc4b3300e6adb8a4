import { describe, expect, it } from 'vitest';
import type { Model } from '../../../src/model/types.js';
import { secretResolver } from '../../../src/secrets/resolve.js';
import { pjsipConf } from '../../../src/targets/asterisk/pjsip.js';
import { snomTarget } from '../../../src/targets/snom/index.js';
import { automaticKeys, keyContext } from '../../../src/targets/snom/keys.js';
import { agentStatusCodes } from '../../../src/targets/asterisk/dialplan/features.js';
import { BASE, check } from '../../helpers/project.js';
import { expectWellFormed, parsePhonebook, parseSettingFiles, parseSettings, setting } from '../../helpers/snom-xml.js';

const MASTER = 'Qm4!vT9#pL2@xR7$wK5%nB8^cF3&hJ6*';
const ADMIN = 'Ad9!mN4#qW7$eR2%tY5^uI8&oP3*';
const ENV = { CARRIER_PASSWORD: 'Tr8!kL3#mN6$pQ9%', CALLPLAN_DEVICE_MASTER: MASTER, PHONE_ADMIN: ADMIN };
const PROVISIONING = 'secrets:\n  device_master: "${env:CALLPLAN_DEVICE_MASTER}"\nprovisioning:\n  url: https://prov.example.com/snom\n  admin_password: "${env:PHONE_ADMIN}"\n  ntp: ntp.example.com\n';

/** BASE with users rewritten: each entry is the YAML body of one user after `- `. */
function project(users: string[], extra = ''): string {
  const start = BASE.indexOf('users:\n');
  const end = BASE.indexOf('queues:\n');
  return `${BASE.slice(0, start)}users:\n${users.map((u) => `  - ${u}\n`).join('')}${BASE.slice(end)}${PROVISIONING}${extra}`;
}

function model(yaml: string): Model {
  const result = check({ 'callplan.yaml': yaml }, ENV);
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return result.model!;
}

function build(m: Model): Map<string, string> {
  const values = { get: (ref: { name: string }) => (ENV as Record<string, string>)[ref.name] };
  const { resolver, missing } = secretResolver(m, values);
  const files = snomTarget.compile(m, { secrets: resolver });
  expect(missing()).toEqual([]);
  return files;
}

const phone = (ext: string, name: string, device: string, more = '') => `{ extension: "${ext}", name: ${name}, site: hq, group: team, devices: [${device}]${more} }`;
const snom = (model: string, mac: string) => `{ type: snom, model: ${model}, mac: "${mac}" }`;
const TEAM = [
  phone('1001', 'Anna', snom('D785', '00:04:13:4a:1b:01')),
  phone('1002', 'Piotr', snom('D315', '00-04-13-4A-1B-02')),
  phone('1003', 'Ewa', '{ type: softphone }'),
];

describe('file names', () => {
  it('are the ones the phone requests: its type, its MAC upper case without separators', () => {
    const files = build(model(project(TEAM)));
    expect([...files.keys()].sort()).toEqual(['snom/0004134A1B01.xml', 'snom/0004134A1B02.xml', 'snom/snomD315-0004134A1B02.htm', 'snom/snomD315.htm', 'snom/snomD785-0004134A1B01.htm', 'snom/snomD785.htm', 'snom/tbook-hq.xml']);
    // A phone's own list and setting_server carry its provisioning credentials (user name its MAC).
    const urls = parseSettingFiles(files.get('snom/snomD785-0004134A1B01.htm')!).urls;
    expect(urls.map((u) => u.replace(/:[^:@/]+@/, ':PASSWORD@'))).toEqual(['https://0004134A1B01:PASSWORD@prov.example.com/snom/0004134A1B01.xml', 'https://0004134A1B01:PASSWORD@prov.example.com/snom/tbook-hq.xml']);
    expect(setting(parseSettings(files.get('snom/0004134A1B01.xml')!), 'setting_server')!.value).toBe(urls[0]!.replace('0004134A1B01.xml', 'snomD785-0004134A1B01.htm'));
    expect(urls[0]).not.toBe(parseSettingFiles(files.get('snom/snomD315-0004134A1B02.htm')!).urls[0]!.replace(/1B02/g, '1B01'));
    expect(parseSettingFiles(files.get('snom/snomD785.htm')!).urls).toEqual(['https://prov.example.com/snom/{mac}.xml']);
  });

  it('name a D715 and a 715 alike, as they ask: snom715 (one per-type file for both)', () => {
    const files = build(model(project([phone('1001', 'Anna', snom('D715', '00:04:13:4A:1B:01')), phone('1002', 'Piotr', snom('"715"', '00:04:13:4A:1B:02')), phone('1003', 'Ewa', snom('D710', '00:04:13:4A:1B:03'))])));
    expect([...files.keys()].filter((f) => f.endsWith('.htm')).sort()).toEqual([
      'snom/snom710-0004134A1B03.htm',
      'snom/snom710.htm',
      'snom/snom715-0004134A1B01.htm',
      'snom/snom715-0004134A1B02.htm',
      'snom/snom715.htm',
    ]);
  });

  it('are none without provisioning.url: the files could not say where to fetch the next ones', () => {
    const m = model(project(TEAM));
    delete (m.provisioning as { url?: string }).url;
    expect(build(m).size).toBe(0);
  });

  it('are none for a project of softphones only', () => {
    expect(build(model(project([phone('1001', 'Anna', '{ type: softphone }')]))).size).toBe(0);
  });
});

describe('the settings file', () => {
  const m = model(project(TEAM));
  const files = build(m);
  const anna = parseSettings(files.get('snom/0004134A1B01.xml')!);

  it('carries the password pjsip.conf gives the same device (one derivation, no copy)', () => {
    const pjsip = pjsipConf(m, secretResolver(m, { get: (ref) => (ENV as Record<string, string>)[ref.name] }).resolver);
    const password = setting(anna, 'user_pass', 1)!.value;
    expect(password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(pjsip).toContain(`[1001-0004134a1b01-auth]\ntype = auth\nauth_type = userpass\nusername = 1001-0004134a1b01\npassword = ${password}\n`);
  });

  it('marks read-only what the PBX depends on and leaves the display language to the user', () => {
    const perms = Object.fromEntries(anna.settings.map((s) => [s.idx ? `${s.name}[${s.idx}]` : s.name, s.perm]));
    expect(perms).toMatchObject({ 'user_pass[1]': 'R', 'user_host[1]': 'R', setting_server: 'R', provisioning_order: 'R', update_policy: 'R', timezone: 'R', ntp_server: 'R', admin_mode_password: 'R', http_pass: 'R', admin_mode: 'RW' });
    expect(Object.entries(perms).filter(([, p]) => p !== 'R')).toEqual([
      ['language', '!'],
      ['web_language', '!'],
      ['admin_mode', 'RW'],
    ]);
  });

  it('takes the administrator password from provisioning.admin_password', () => {
    expect(setting(anna, 'admin_mode_password')!.value).toBe(ADMIN);
    expect(setting(anna, 'http_pass')!.value).toBe(ADMIN);
  });

  it('points setting_server at the phone’s own list (settings and directory), and lets only DHCP redirect it', () => {
    expect(setting(anna, 'setting_server')!.value).toMatch(/^https:\/\/0004134A1B01:[A-Za-z0-9_-]{24}@prov\.example\.com\/snom\/snomD785-0004134A1B01\.htm$/);
    expect(setting(anna, 'provisioning_order')!.value).toBe('dhcp:stop');
    expect(setting(anna, 'update_policy')!.value).toBe('auto_update');
  });

  it('has the site’s SNOM time zone, the NTP server, the codecs of the PBX and the voicemail code', () => {
    expect(setting(anna, 'timezone')!.value).toBe('POL+1');
    expect(setting(anna, 'ntp_server')!.value).toBe('ntp.example.com');
    expect(setting(anna, 'codec_priority_list', 1)!.value).toBe('g722,pcma,pcmu,telephone-event');
    expect(setting(anna, 'user_mailbox', 1)!.value).toBe('*97');
    expect(setting(anna, 'language')!.value).toBe('English');
  });

  it('is the same bytes every time', () => {
    expect([...build(model(project(TEAM)))]).toEqual([...files]);
  });
});

describe('failover identity', () => {
  const NODES = (n: number, edge = '') =>
    `nodes:\n${Array.from({ length: n }, (_, i) => `  pbx-${i + 1}:\n    role: asterisk\n    address: 10.0.0.${11 + i}\n${i === 1 ? '    sip_port: 5080\n' : ''}`).join('')}${edge}`;

  it('registers identity 2 with the second Asterisk node, the same account, hidden, and fails over to it', () => {
    const xml = parseSettings(build(model(project(TEAM, NODES(2)))).get('snom/0004134A1B01.xml')!);
    expect(setting(xml, 'user_host', 1)!.value).toBe('10.0.0.11');
    expect(setting(xml, 'user_failover_identity', 1)!.value).toBe('2');
    expect(setting(xml, 'user_host', 2)!.value).toBe('10.0.0.12:5080');
    expect(setting(xml, 'user_outbound', 2)!.value).toBe('10.0.0.12:5080;transport=udp');
    expect(setting(xml, 'user_name', 2)!.value).toBe(setting(xml, 'user_name', 1)!.value);
    expect(setting(xml, 'user_pass', 2)!.value).toBe(setting(xml, 'user_pass', 1)!.value);
    expect(setting(xml, 'hide_identity', 2)!.value).toBe('true');
    expect(setting(xml, 'hide_identity', 1)).toBeUndefined();
  });

  it('is absent with one Asterisk node', () => {
    const xml = parseSettings(build(model(project(TEAM, NODES(1)))).get('snom/0004134A1B01.xml')!);
    expect(setting(xml, 'user_host', 1)!.value).toBe('10.0.0.11');
    expect(setting(xml, 'user_failover_identity', 1)).toBeUndefined();
    expect(xml.settings.filter((s) => s.idx === '2')).toEqual([]);
  });

  it('is absent behind a Kamailio edge: phones register with the edge, which fails over itself', () => {
    const edge = '  edge:\n    role: kamailio\n    address: 10.0.0.10\n    public_address: 203.0.113.20\n';
    const xml = parseSettings(build(model(project(TEAM, NODES(2, edge)))).get('snom/0004134A1B01.xml')!);
    expect(setting(xml, 'user_host', 1)!.value).toBe('10.0.0.10');
    expect(setting(xml, 'user_outbound', 1)!.value).toBe('10.0.0.10:5060;transport=udp');
    expect(setting(xml, 'user_failover_identity', 1)).toBeUndefined();
    expect(xml.settings.filter((s) => s.idx === '2')).toEqual([]);
    // Phones on the internet: the public address, over TLS.
    const tls = `${edge}    phones: external\n    tls: { certificate: /etc/kamailio/edge.crt, private_key: /etc/kamailio/edge.key }\n`;
    const outside = parseSettings(build(model(project(TEAM, NODES(2, tls)))).get('snom/0004134A1B01.xml')!);
    expect(setting(outside, 'user_host', 1)!.value).toBe('203.0.113.20:5061');
    expect(setting(outside, 'user_outbound', 1)!.value).toBe('203.0.113.20:5061;transport=tls');
  });
});

describe('escaping', () => {
  it('escapes names and labels exactly once, with entities every parser knows', () => {
    const users = [
      phone('1001', '"Anna & Co\'s"', snom('D785', '00:04:13:4A:1B:01'), ', speed_dials: [{ label: "R&D <lab> \\"x\\"", number: "+48601234567" }]'),
      phone('1002', 'Piotr', snom('D315', '00:04:13:4A:1B:02')),
    ];
    const files = build(model(project(users)));
    const text = files.get('snom/0004134A1B01.xml')!;
    expectWellFormed(text, 'Anna');
    expect(text).toContain('<user_realname idx="1" perm="R">Anna &amp; Co&apos;s</user_realname>');
    expect(text).toContain('label="R&amp;D &lt;lab&gt; &quot;x&quot;"');
    expect(text).not.toMatch(/&amp;(amp|lt|gt|quot|apos);|&#/);
    const xml = parseSettings(text);
    expect(setting(xml, 'user_realname', 1)!.value).toBe("Anna & Co's");
    expect(xml.keys.find((k) => k.value === 'speed +48601234567')!.label).toBe('R&D <lab> "x"');
    expect(parsePhonebook(files.get('snom/tbook-hq.xml')!).entries[0]!.name).toBe("Anna & Co's");
    // The BLF value is written as the phone expects it: nothing in it is escaped.
    expect(parseSettings(files.get('snom/0004134A1B02.xml')!).keys.find((k) => k.value.startsWith('blf'))!.label).toBe("Anna & Co's");
    expect(files.get('snom/0004134A1B02.xml')!).toContain('perm="R">blf sip:1001@127.0.0.1;user=phone</fkey>');
  });
});

describe('function keys', () => {
  const SUPERVISOR = 'supervisors:\n  - { user: user:1001, queues: [queue:support], modes: [listen, barge] }\n';
  const OVERRIDE = (yaml: string) => yaml.replace('    timezone: Europe/Warsaw\n', '    timezone: Europe/Warsaw\n    override: true\n');
  const keysOf = (files: Map<string, string>, mac: string) => parseSettings(files.get(`snom/${mac}.xml`)!).keys;

  it('lay out agent keys, granted spy keys, the site override, speed dials, then the colleagues', () => {
    const users = [
      phone('1001', 'Anna', snom('D785', '00:04:13:4A:1B:01'), ', roles: [supervisor, agent], speed_dials: [{ label: Mobile, number: "+48601234567" }]'),
      phone('1002', 'Piotr', snom('D315', '00:04:13:4A:1B:02')),
      phone('1003', 'Ewa', '{ type: softphone }'),
    ];
    const keys = keysOf(build(model(OVERRIDE(project(users, SUPERVISOR)))), '0004134A1B01');
    expect(keys.filter((k) => k.perm === 'R').map((k) => [k.label, k.value])).toEqual([
      ['Log in', 'speed *91'],
      ['Log out', 'speed *92'],
      ['Pause', 'speed *93'],
      ['Listen', 'speed *222'],
      ['Barge in', 'speed *224'],
      ['Close hq', 'blf sip:override-hq@127.0.0.1'],
      ['Mobile', 'speed +48601234567'],
      ['Piotr', 'blf sip:1002@127.0.0.1;user=phone'],
      ['Ewa', 'blf sip:1003@127.0.0.1;user=phone'],
    ]);
    expect(keys).toHaveLength(24);
    expect(keys.slice(9).every((k) => k.value === 'line' && k.perm === '!' && k.label === undefined)).toBe(true);
  });

  it('are cut to what the phone has, most useful first (a D315 has 5)', () => {
    const keys = keysOf(build(model(project(TEAM))), '0004134A1B02');
    expect(keys.map((k) => k.value)).toEqual(['speed *91', 'speed *92', 'speed *93', 'blf sip:1001@127.0.0.1;user=phone', 'blf sip:1003@127.0.0.1;user=phone']);
  });

  it('are labelled in the user’s language', () => {
    const m = model(project([phone('1001', 'Anna', snom('D785', '00:04:13:4A:1B:01'), ', language: pl'), TEAM[1]!]));
    expect(keysOf(build(m), '0004134A1B01').slice(0, 3).map((k) => k.label)).toEqual(['Zaloguj', 'Wyloguj', 'Przerwa']);
  });

  it('add the pickup prefix to BLF keys only between members of a pickup group', () => {
    const pickup = (yaml: string) => yaml.replace('    supervisor: user:1001\n', '    supervisor: user:1001\n    pickup: true\n');
    const m = model(`${pickup(project(TEAM))}defaults:\n  pickup_prefix: "*7"\n`);
    expect(keysOf(build(m), '0004134A1B02').slice(3).map((k) => k.value)).toEqual(['blf sip:1001@127.0.0.1;user=phone|*7', 'blf sip:1003@127.0.0.1;user=phone|*7']);
  });

  it('are exactly the declared ones when the user declares keys, then free line keys', () => {
    const users = [phone('1001', 'Anna', snom('D315', '00:04:13:4A:1B:01'), ', keys: [{ queue: queue:support }, { blf: user:1002, label: Boss }]'), TEAM[1]!, TEAM[2]!];
    const keys = keysOf(build(model(project(users))), '0004134A1B01');
    expect(keys).toEqual([
      { idx: '0', context: 'active', label: 'support', perm: 'R', value: 'speed 600' },
      { idx: '1', context: 'active', label: 'Boss', perm: 'R', value: 'blf sip:1002@127.0.0.1;user=phone' },
      { idx: '2', context: 'active', perm: '!', value: 'line' },
      { idx: '3', context: 'active', perm: '!', value: 'line' },
      { idx: '4', context: 'active', perm: '!', value: 'line' },
    ]);
  });

  it("give an agent a key per not-ready status after log in/out and pause, dialling the status's fixed *94N, labelled by its description when it fits", () => {
    const statuses = 'agent_statuses:\n  available: { ready: true }\n  wrap-up: { ready: false, code: 4 }\n  break: { ready: false, code: 1, description: Przerwa }\n  consultation: { ready: false, code: 2, description: Konsultacja z kolegą lub drugą linią }\n';
    const m = model(project(TEAM, statuses));
    expect(automaticKeys(keyContext(m), m.users[0]!).slice(0, 6)).toEqual([
      ...['login', 'logout', 'pause'].map((action) => ({ kind: 'agent', action })),
      { kind: 'status', status: 'break' },
      { kind: 'status', status: 'consultation' },
      { kind: 'status', status: 'wrap-up' },
    ]);
    const keys = keysOf(build(m), '0004134A1B01');
    expect(keys.slice(3, 7)).toEqual([
      { idx: '3', context: 'active', label: 'Przerwa', perm: 'R', value: 'speed *941' },
      { idx: '4', context: 'active', label: 'consultation', perm: 'R', value: 'speed *942' },
      { idx: '5', context: 'active', label: 'wrap-up', perm: 'R', value: 'speed *944' },
      { idx: '6', context: 'active', label: 'Piotr', perm: 'R', value: 'blf sip:1002@127.0.0.1;user=phone' },
    ]);
    // The Asterisk target dials the same codes: a key can only dial what the dialplan has.
    const codes = agentStatusCodes(m).map((c) => c.code);
    expect(keys.filter((k) => /^speed \*94/.test(k.value)).map((k) => k.value.slice(6))).toEqual(codes);
    // A status added later (first by name) moves no key: it takes the next free code.
    const more = model(project(TEAM, statuses.replace('  wrap-up:', '  aaa-coaching: { ready: false }\n  wrap-up:')));
    expect(keysOf(build(more), '0004134A1B01').slice(3, 7).map((k) => k.value)).toEqual(['speed *941', 'speed *942', 'speed *943', 'speed *944']);
    expect(keysOf(build(more), '0004134A1B01')[5]).toMatchObject({ label: 'aaa-coaching', value: 'speed *943' });
  });

  it('put a declared status key on the phone with its own label', () => {
    const statuses = 'agent_statuses:\n  break: { ready: false, code: 3 }\n';
    const users = [phone('1001', 'Anna', snom('D315', '00:04:13:4A:1B:01'), ', keys: [{ agent: login }, { status: break, label: Kawa }]'), TEAM[1]!, TEAM[2]!];
    expect(keysOf(build(model(project(users, statuses))), '0004134A1B01').slice(0, 2)).toEqual([
      { idx: '0', context: 'active', label: 'Log in', perm: 'R', value: 'speed *91' },
      { idx: '1', context: 'active', label: 'Kawa', perm: 'R', value: 'speed *943' },
    ]);
  });

  it('leave out colleagues without any device and skip the user’s own extension', () => {
    const users = [TEAM[0]!, TEAM[1]!, `{ extension: "1003", name: Ewa, site: hq, group: team }`];
    const m = model(project(users));
    expect(automaticKeys(keyContext(m), m.users[0]!)).toEqual([...['login', 'logout', 'pause'].map((action) => ({ kind: 'agent', action })), { kind: 'blf', user: '1002' }]);
  });
});

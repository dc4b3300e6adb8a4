#!/usr/bin/env node
// Deterministic generator of a large, valid callplan project for the benchmark.
//
//   node bench/generate-project.js <dir> [--single] [--json] [--users N] [--queues N]
//                                       [--ivr N] [--sites N] [--seed S]
//
// Default size: 10,000 users, 500 queues, 200 IVR menus, 50 sites.
// Layouts:
//   split (default): <dir>/callplan.yaml with include: [sites/*.yaml, users/*.yaml, queues/*.yaml, ivr/*.yaml]
//                    and one file per site in each of those folders.
//   --single:        every section in <dir>/callplan.yaml, no include.
// --json also writes <dir>/callplan.json: the same data as the single file, as JSON
// (the JSON.parse baseline of the benchmark).
//
// Plain ESM, no dependencies: the YAML is written by a small emitter below that
// quotes every string YAML could read as something else (extensions, DIDs, times, MACs).

import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DEFAULTS = Object.freeze({ users: 10000, queues: 500, ivr: 200, sites: 50, seed: 20260101 });

// ---------------------------------------------------------------- PRNG (mulberry32)
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n), // 0 .. n-1
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    chance: (p) => next() < p,
  };
}

// ---------------------------------------------------------------- fixed vocabularies
// Real IANA zones that Node's ICU lists as canonical (Intl.supportedValuesOf('timeZone')).
const ZONES = [
  'Europe/Warsaw', 'Europe/Berlin', 'Europe/London', 'Europe/Paris', 'Europe/Madrid',
  'Europe/Rome', 'Europe/Amsterdam', 'Europe/Brussels', 'Europe/Vienna', 'Europe/Prague',
  'Europe/Stockholm', 'Europe/Oslo', 'Europe/Copenhagen', 'Europe/Helsinki', 'Europe/Lisbon',
  'Europe/Dublin', 'Europe/Athens', 'Europe/Bucharest', 'Europe/Budapest', 'Europe/Zurich',
  'Europe/Istanbul', 'Europe/Vilnius', 'Europe/Riga', 'Europe/Tallinn', 'Europe/Sofia',
  'Asia/Tokyo', 'Asia/Seoul', 'Asia/Shanghai', 'Asia/Singapore', 'Asia/Dubai',
  'Asia/Sakhalin', 'Asia/Bangkok', 'Asia/Jakarta', 'Asia/Manila', 'Australia/Sydney',
  'Australia/Perth', 'Pacific/Auckland', 'America/New_York', 'America/Chicago', 'America/Denver',
  'America/Los_Angeles', 'America/Toronto', 'America/Vancouver', 'America/Mexico_City', 'America/Sao_Paulo',
  'America/Bogota', 'America/Lima', 'Africa/Johannesburg', 'Africa/Cairo', 'Africa/Nairobi',
  'Africa/Lagos', 'America/Santiago',
];
const LANGS = { Europe: 'en', Asia: 'en', Australia: 'en', Pacific: 'en', America: 'en', Africa: 'en' };
const SITE_LANG = { warsaw: 'pl', berlin: 'de', paris: 'fr', madrid: 'es', rome: 'it', vienna: 'de', zurich: 'de', prague: 'cs', lisbon: 'pt', 'sao-paulo': 'pt_BR', 'mexico-city': 'es', bogota: 'es', lima: 'es', santiago: 'es', tokyo: 'ja', seoul: 'ko', shanghai: 'zh' };
const SNOM_MODELS = ['D785', 'D735', 'D385', 'D345', 'D715', '760'];
const FIRST = ['Anna', 'Piotr', 'Maria', 'Jan', 'Katarzyna', 'Tomasz', 'Olga', 'Lukas', 'Emma', 'Noah', 'Sofia', 'Liam', 'Mia', 'Mateo', 'Yuki', 'Hiro', 'Chloe', 'Omar', 'Amara', 'Ivan', 'Elena', 'Pablo', 'Ines', 'Kofi', 'Zara', 'Lars', 'Freya', 'Arjun', 'Mei', 'Diego'];
const LAST = ['Kowalska', 'Nowak', 'Schmidt', 'Martin', 'Garcia', 'Rossi', 'Jansen', 'Peeters', 'Novak', 'Johansson', 'Hansen', 'Virtanen', 'Silva', 'Murphy', 'Papadopoulos', 'Popescu', 'Nagy', 'Muller', 'Yilmaz', 'Tanaka', 'Kim', 'Wang', 'Tan', 'Santos', 'Smith', 'Brown', 'Lopez', 'Okafor', 'Mensah', 'Naidoo'];
const QUEUE_TOPICS = ['sales', 'support', 'billing', 'payments', 'collections', 'retention', 'orders', 'returns', 'vip', 'tech', 'claims', 'onboarding'];
const STRATEGIES = ['ringall', 'leastrecent', 'fewestcalls', 'rrmemory', 'linear', 'wrandom', 'random'];
const HOLIDAYS = [
  { date: '01-01', name: "New Year's Day" },
  { date: '2026-04-06', name: 'Easter Monday' },
  { date: '2026-05-01', name: 'Labour Day' },
  { date: '2026-12-24', name: 'Christmas Eve', hours: '08:00-12:00' },
  { date: '2026-12-25', name: 'Christmas Day' },
  { date: '2026-12-26', name: 'Boxing Day' },
];

const pad = (n, w) => String(n).padStart(w, '0');
const hex2 = (n) => n.toString(16).toUpperCase().padStart(2, '0');
const siteNameOf = (zone) => zone.split('/').pop().toLowerCase().replace(/_/g, '-');

// ---------------------------------------------------------------- the model
/**
 * Builds the project as plain data, split into parts: { root, perSite: [{site, sites, groups, users, queues, supervisors, ivr}] }.
 */
export function buildProject(options = {}) {
  const o = { ...DEFAULTS, ...options };
  if (o.sites > ZONES.length) throw new Error(`at most ${ZONES.length} sites`);
  if (o.users > 90000) throw new Error('at most 90000 users (extensions 10000-99999)');
  if (o.queues > 2000 || o.ivr > 2000) throw new Error('at most 2000 queues and 2000 IVR menus');
  if (o.ivr < o.sites) throw new Error('need at least one IVR menu per site');
  if (o.queues < o.sites) throw new Error('need at least one queue per site');
  const r = prng(o.seed);

  // Number plan (one shared space, no number is a prefix of another):
  //   users 10000-99999 (5 digits), queues 6000-7999 (4 digits), conferences 8000-8099, IVR-less.
  // Outbound patterns start with 0 or are 112/999: none is a prefix of an internal number
  // (users start at 10000 but 112xx would clash with 112, so users start at 20000 when possible).
  const userBase = o.users <= 70000 ? 20000 : 10000;

  const siteNames = ZONES.slice(0, o.sites).map(siteNameOf);
  const usersPerSite = distribute(o.users, o.sites);
  const queuesPerSite = distribute(o.queues, o.sites);
  const ivrPerSite = distribute(o.ivr, o.sites);

  const usedMacs = new Set();
  const newMac = () => {
    for (;;) {
      const n = r.int(0x1000000);
      if (!usedMacs.has(n)) {
        usedMacs.add(n);
        return `00:04:13:${hex2(n >>> 16)}:${hex2((n >>> 8) & 255)}:${hex2(n & 255)}`;
      }
    }
  };

  let ext = userBase;
  let queueExt = 6000;
  let didSerial = 0;
  const newDid = () => `+4822${pad(5000000 + didSerial++ * 7, 7)}`;

  const trunkNames = ['carrier-a', 'carrier-b', 'carrier-c', 'sip-backup'];
  const perSite = [];
  const inbound = [];
  const recordingQueues = [];

  for (let s = 0; s < o.sites; s++) {
    const site = siteNames[s];
    const zone = ZONES[s];
    const lang = SITE_LANG[site] ?? LANGS[zone.split('/')[0]];

    // --- site
    const hours = { 'mon-fri': r.chance(0.5) ? '08:00-18:00' : '08:00-12:00,13:00-17:00' };
    if (r.chance(0.4)) hours.sat = '09:00-13:00';
    const siteObj = {
      description: `${zone.split('/').pop().replace(/_/g, ' ')} office`,
      timezone: zone,
      language: lang,
      hours,
      holidays: HOLIDAYS.filter((_, i) => i === 0 || i === 4 || r.chance(0.5)).map((h) => ({ ...h })),
      override: true,
    };

    // --- groups and users (groups of 20)
    const nUsers = usersPerSite[s];
    const nGroups = Math.max(1, Math.ceil(nUsers / 20));
    const groups = {};
    const groupMembers = [];
    const users = [];
    for (let g = 0; g < nGroups; g++) groupMembers.push([]);
    for (let u = 0; u < nUsers; u++) {
      const g = u % nGroups;
      const e = String(ext++);
      const first = r.pick(FIRST);
      const last = r.pick(LAST);
      const isLead = groupMembers[g].length === 0; // first member of each group supervises it
      const email = `${first.toLowerCase()}.${last.toLowerCase()}.${e}@example.com`;
      const user = { extension: e, name: `${first} ${last}` };
      if (isLead || r.chance(0.3)) user.email = email;
      user.site = site;
      user.group = `${site}-g${pad(g + 1, 2)}`;
      if (isLead) user.roles = ['supervisor', 'agent'];
      else if (r.chance(0.8)) user.roles = ['agent'];
      if (r.chance(0.25)) user.outbound = r.pick(['internal', 'national', 'international']);
      if (isLead) user.voicemail = { email, attach: true };
      const devices = [];
      if (r.chance(0.75)) devices.push({ type: 'snom', model: r.pick(SNOM_MODELS), mac: newMac() });
      if (devices.length === 0 || r.chance(0.2)) devices.push(devices.length ? { type: 'softphone', name: 'laptop' } : { type: 'softphone' });
      user.devices = devices;
      if (r.chance(0.15)) user.mobile = `+4860${pad(1000000 + Number(e), 7)}`;
      if (r.chance(0.2)) user.no_answer = { after: 20 + 5 * r.int(4), then: isLead || r.chance(0.5) ? ['group', 'voicemail'] : ['supervisor', 'voicemail'] };
      if (r.chance(0.1)) user.speed_dials = [{ label: 'Reception', number: '0221234567' }];
      groupMembers[g].push(e);
      users.push(user);
    }
    for (let g = 0; g < nGroups; g++) {
      groups[`${site}-g${pad(g + 1, 2)}`] = {
        site,
        supervisor: `user:${groupMembers[g][0]}`,
        pickup: true,
        ring_timeout: 25,
      };
    }
    const supervisorsOfSite = groupMembers.map((m) => m[0]);

    // --- queues
    const nQueues = queuesPerSite[s];
    const queues = {};
    const queueNames = [];
    const siteExts = groupMembers.flat();
    for (let q = 0; q < nQueues; q++) {
      const name = `${site}-${QUEUE_TOPICS[q % QUEUE_TOPICS.length]}${q >= QUEUE_TOPICS.length ? `-${Math.floor(q / QUEUE_TOPICS.length) + 1}` : ''}`;
      queueNames.push(name);
      // members: 25 % of queues take a whole group as primary; nobody is listed twice
      let primary = [];
      let pool = siteExts;
      if (nGroups > 1 && r.chance(0.25)) {
        const g = r.int(nGroups);
        primary.push(`group:${site}-g${pad(g + 1, 2)}`);
        const inGroup = new Set(groupMembers[g]);
        pool = siteExts.filter((x) => !inGroup.has(x));
      }
      const picked = sample(r, pool, Math.min(pool.length, 8 + r.int(8) + 2 + r.int(4)));
      const nPrimary = Math.min(picked.length, primary.length ? 3 : 8 + r.int(8));
      primary = primary.concat(picked.slice(0, nPrimary).map((x) => `user:${x}`));
      if (primary.length === 0) primary = [`user:${siteExts[0]}`];
      const backup = picked.slice(nPrimary, nPrimary + 2 + r.int(4)).map((x) => `user:${x}`);
      const queue = {
        description: `${QUEUE_TOPICS[q % QUEUE_TOPICS.length]} line, ${site}`,
        extension: String(queueExt++),
        site,
        strategy: r.pick(STRATEGIES),
        members: backup.length ? { primary, backup } : { primary },
        backup_after: 30,
        ring_timeout: 20,
        wrapup: 10,
        max_wait: 300,
        overflow: `voicemail:${supervisorsOfSite[q % supervisorsOfSite.length]}`,
        announce: { position: true, hold_time: r.chance(0.5), every: 60 },
        weight: r.int(10),
      };
      queues[name] = queue;
      if (r.chance(0.1)) recordingQueues.push(`queue:${name}`);
    }

    // --- IVR: a tree per site. Root is reached from the site's inbound route; every other
    // menu hangs under an earlier one (parent index < child index, so no loops).
    const nMenus = ivrPerSite[s];
    const menuNames = [];
    for (let m = 0; m < nMenus; m++) menuNames.push(m === 0 ? `${site}-main` : `${site}-menu${pad(m, 2)}`);
    const children = menuNames.map(() => []);
    for (let m = 1; m < nMenus; m++) {
      // attach to a random earlier menu that still has room for options (max 4 sub-menus each)
      let p;
      do p = r.int(m); while (children[p].length >= 4 && m > 1 && children.slice(0, m).some((c) => c.length < 4));
      children[p].push(m);
    }
    const ivr = {};
    let qi = 0;
    const leafQueue = () => queueNames[qi++ % queueNames.length];
    for (let m = 0; m < nMenus; m++) {
      const options = {};
      let digit = 1;
      for (const c of children[m]) options[String(digit++)] = `ivr:${menuNames[c]}`;
      // every menu gets at least one queue option; leftover queues go to the last menus
      const nq = Math.max(1, Math.min(9 - digit, children[m].length ? 1 : 3));
      for (let k = 0; k < nq && digit <= 8; k++) options[String(digit++)] = `queue:${leafQueue()}`;
      if (m === nMenus - 1) while (qi < queueNames.length && digit <= 8) options[String(digit++)] = `queue:${leafQueue()}`;
      options['0'] = `user:${supervisorsOfSite[m % supervisorsOfSite.length]}`;
      options['9'] = 'repeat';
      ivr[menuNames[m]] = {
        description: m === 0 ? `Main menu, ${site}` : `Sub-menu ${m}, ${site}`,
        prompt: `custom/${site}/${menuNames[m]}`,
        language: lang,
        options,
        timeout: 5,
        retries: 2,
        on_timeout: `queue:${queueNames[0]}`,
        on_invalid: 'hangup',
      };
    }
    // Queues not reachable from an IVR menu still get their own DID below.

    // --- inbound: the site's main number (follow the sun to the next site), plus a DID per queue
    const next = siteNames[(s + 1) % o.sites];
    inbound.push({
      name: `${site} main number`,
      did: [newDid(), newDid()],
      trunk: trunkNames[s % 2],
      open: next !== site ? [{ site, to: `ivr:${site}-main` }, { site: next, to: `ivr:${next}-main` }] : [{ site, to: `ivr:${site}-main` }],
      closed: `voicemail:${supervisorsOfSite[0]}`,
      holiday: 'announcement:holiday',
    });
    for (const qn of queueNames) {
      inbound.push({ name: `${qn} direct`, did: newDid(), open: [{ site, to: `queue:${qn}` }], closed: 'announcement:closed' });
    }

    const supervisors = [{ user: `user:${supervisorsOfSite[0]}`, queues: queueNames.map((q) => `queue:${q}`), modes: ['listen', 'whisper', 'barge'] }];
    perSite.push({ site, sites: { [site]: siteObj }, groups, users, queues, supervisors, ivr });
  }

  // --- root: trunks, outbound, announcements, recording, conferences ...
  const root = {
    version: 1,
    name: 'bench-contact-center',
    description: `Benchmark project: ${o.users} users, ${o.queues} queues, ${o.ivr} IVR menus, ${o.sites} sites (seed ${o.seed}).`,
    secrets: { device_master: '${env:CALLPLAN_DEVICE_MASTER}' },
    defaults: {
      language: 'en',
      codecs: ['opus', 'g722', 'alaw', 'ulaw'],
      no_answer: { after: 25, then: ['voicemail'] },
      outbound_class: 'national',
      voicemail: true,
      pickup_prefix: '*8',
    },
    provisioning: {
      url: 'https://provisioning.example.com/snom',
      ntp: 'pool.ntp.org',
      admin_password: '${env:CALLPLAN_PHONE_ADMIN_PASSWORD}',
      update_policy: 'auto',
    },
    agent_statuses: {
      available: { ready: true },
      break: { ready: false, max_minutes: 15, description: 'Short break' },
      lunch: { ready: false, max_minutes: 45 },
      training: { ready: false },
    },
    trunks: {
      'carrier-a': {
        description: 'Primary carrier',
        auth: 'registration', host: 'sip.carrier-a.example.net', port: 5060, transport: 'udp',
        username: 'cc-bench', password: '${env:CALLPLAN_TRUNK_A_PASSWORD}', from_domain: 'carrier-a.example.net',
        caller_id: '+48225000000', max_channels: 300, codecs: ['alaw', 'g722'], priority: 1, currency: 'EUR',
        prices: [{ prefix: '0', per_minute: 0.012 }, { prefix: '00', per_minute: 0.09 }, { prefix: '05', per_minute: 0.02 }],
      },
      'carrier-b': {
        description: 'Secondary carrier',
        auth: 'registration', host: 'sip.carrier-b.example.net', transport: 'tls', port: 5061,
        username: 'cc-bench-b', password: '${env:CALLPLAN_TRUNK_B_PASSWORD}',
        max_channels: 200, priority: 2, currency: 'EUR',
        prices: [{ prefix: '0', per_minute: 0.01 }, { prefix: '00', per_minute: 0.12 }],
      },
      'carrier-c': {
        description: 'IP-authenticated wholesale carrier',
        auth: 'ip', host: '198.51.100.10', addresses: ['198.51.100.0/28', '203.0.113.7'],
        max_channels: 500, priority: 3, currency: 'EUR', prices: [{ prefix: '00', per_minute: 0.05 }],
      },
      'sip-backup': {
        auth: 'ip', host: '203.0.113.50', addresses: ['203.0.113.50'], priority: 9,
      },
    },
    announcements: {
      closed: { description: 'We are closed', prompt: 'custom/closed', then: 'hangup' },
      holiday: { prompt: 'custom/holiday', then: 'hangup' },
    },
    inbound,
    outbound: {
      routes: {
        emergency: { description: 'Emergency numbers', patterns: ['112', '999'], trunks: ['carrier-a', 'carrier-b', 'sip-backup'], emergency: true },
        national: { patterns: ['_0[1-9]XXXXXXXX'], trunks: ['carrier-a', 'carrier-b', 'carrier-c'], order: 'least-cost', strip: 1, prepend: '+48' },
        international: { patterns: ['_00X.'], trunks: ['carrier-c', 'carrier-a'], order: 'priority', strip: 2, prepend: '+' },
        tollfree: { patterns: ['_0800XXXXXX'], trunks: ['carrier-a'] },
      },
      classes: {
        internal: ['emergency'],
        national: ['emergency', 'national', 'tollfree'],
        international: ['emergency', 'national', 'tollfree', 'international'],
      },
    },
    recording: {
      format: 'wav',
      directory: '/var/spool/asterisk/monitor',
      policies: [
        { name: 'quality', queues: recordingQueues.length ? recordingQueues : [`queue:${Object.keys(perSite[0].queues)[0]}`], directions: ['inbound'], percentage: 20 },
        { name: 'outbound-all', directions: ['outbound'], percentage: 100 },
      ],
      archive: { url: 'ftps://archive.example.com/recordings', username: 'rec', password: '${env:CALLPLAN_ARCHIVE_PASSWORD}', layout: '{yyyy}/{mm}/{dd}/{queue}/{file}', older_than: '30d', verify: 'size', keep_local: false },
    },
    conferences: {},
  };
  for (let c = 0; c < 10; c++) root.conferences[`room-${c + 1}`] = { description: `Meeting room ${c + 1}`, extension: String(8000 + c), max_members: 20, record: c === 0 };
  return { root, perSite, options: o };
}

function distribute(total, parts) {
  const out = [];
  for (let i = 0; i < parts; i++) out.push(Math.floor(total / parts) + (i < total % parts ? 1 : 0));
  return out;
}

function sample(r, arr, k) {
  const copy = arr.slice();
  for (let i = 0; i < k; i++) {
    const j = i + r.int(copy.length - i);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy.slice(0, k);
}

/** The whole project as one object with every section (the single-file layout). */
export function singleDocument(project) {
  const { root, perSite } = project;
  const merge = (key) => Object.assign({}, ...perSite.map((p) => p[key]));
  return {
    version: root.version,
    name: root.name,
    description: root.description,
    nodes: root.nodes,
    secrets: root.secrets,
    defaults: root.defaults,
    provisioning: root.provisioning,
    agent_statuses: root.agent_statuses,
    sites: merge('sites'),
    trunks: root.trunks,
    groups: merge('groups'),
    users: perSite.flatMap((p) => p.users),
    queues: merge('queues'),
    ivr: merge('ivr'),
    announcements: root.announcements,
    inbound: root.inbound,
    outbound: root.outbound,
    recording: root.recording,
    supervisors: perSite.flatMap((p) => p.supervisors),
    conferences: root.conferences,
  };
}

// ---------------------------------------------------------------- YAML emitter
const PLAIN = /^[A-Za-z][A-Za-z0-9_./@-]*(?:(?: |:)[A-Za-z0-9_./@-]+)*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(v) {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v !== 'string') throw new Error(`cannot emit ${typeof v}`);
  if (PLAIN.test(v) && !RESERVED.test(v)) return v;
  return JSON.stringify(v); // a JSON string is a valid double-quoted YAML scalar
}

function key(k) {
  return PLAIN.test(k) && !RESERVED.test(k) ? k : JSON.stringify(k);
}

const isScalar = (v) => v === null || typeof v !== 'object';
const isEmpty = (v) => (Array.isArray(v) ? v.length === 0 : Object.keys(v).length === 0);
const flowable = (v) => Array.isArray(v) && v.every(isScalar) && v.length <= 8;

/** Block-style YAML of a plain object, two-space indent; short scalar lists in flow style. */
export function toYaml(value) {
  const out = [];
  emitMap(value, '', out);
  return out.join('\n') + '\n';
}

function inline(v) {
  if (isScalar(v)) return scalar(v);
  if (isEmpty(v)) return Array.isArray(v) ? '[]' : '{}';
  if (flowable(v)) return `[${v.map(scalar).join(', ')}]`;
  return null;
}

function emitMap(obj, indent, out) {
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    const i = inline(v);
    if (i !== null) out.push(`${indent}${key(k)}: ${i}`);
    else {
      out.push(`${indent}${key(k)}:`);
      if (Array.isArray(v)) emitSeq(v, indent + '  ', out);
      else emitMap(v, indent + '  ', out);
    }
  }
}

function emitSeq(arr, indent, out) {
  for (const v of arr) {
    const i = inline(v);
    if (i !== null) out.push(`${indent}- ${i}`);
    else if (Array.isArray(v)) {
      out.push(`${indent}-`);
      emitSeq(v, indent + '  ', out);
    } else {
      const sub = [];
      emitMap(v, indent + '  ', sub);
      sub[0] = `${indent}- ${sub[0].slice(indent.length + 2)}`;
      out.push(...sub);
    }
  }
}

// ---------------------------------------------------------------- writing
/**
 * Writes the project into dir (emptied first). Returns { files, bytes, rootFile }.
 * opts: { single?: boolean, json?: boolean, ...sizes, seed, amend?: (project) => void }
 * amend may change the project before it is written, e.g. add root.nodes or a trunk and an
 * inbound route a benchmark calls (bench/deploy.js).
 */
export function writeProject(dir, opts = {}) {
  const project = buildProject(opts);
  opts.amend?.(project);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const files = [];
  const write = (rel, text) => {
    const p = join(dir, rel);
    writeFileSync(p, text);
    files.push({ path: rel, bytes: Buffer.byteLength(text) });
  };
  const header = (what) => `# Generated by bench/generate-project.js (seed ${project.options.seed}) - ${what}\n`;

  if (opts.single) {
    write('callplan.yaml', header('single-file layout') + toYaml(singleDocument(project)));
  } else {
    const { root, perSite } = project;
    const rootDoc = {
      version: root.version,
      name: root.name,
      description: root.description,
      include: ['sites/*.yaml', 'users/*.yaml', 'queues/*.yaml', 'ivr/*.yaml'],
      nodes: root.nodes,
      secrets: root.secrets,
      defaults: root.defaults,
      provisioning: root.provisioning,
      agent_statuses: root.agent_statuses,
      trunks: root.trunks,
      announcements: root.announcements,
      inbound: root.inbound,
      outbound: root.outbound,
      recording: root.recording,
      conferences: root.conferences,
    };
    write('callplan.yaml', header('split layout, root file') + toYaml(rootDoc));
    for (const d of ['sites', 'users', 'queues', 'ivr']) mkdirSync(join(dir, d), { recursive: true });
    for (const p of perSite) {
      write(`sites/${p.site}.yaml`, header(`site ${p.site}`) + toYaml({ sites: p.sites }));
      write(`users/${p.site}.yaml`, header(`groups and users of ${p.site}`) + toYaml({ groups: p.groups, users: p.users }));
      write(`queues/${p.site}.yaml`, header(`queues of ${p.site}`) + toYaml({ queues: p.queues, supervisors: p.supervisors }));
      write(`ivr/${p.site}.yaml`, header(`IVR menus of ${p.site}`) + toYaml({ ivr: p.ivr }));
    }
  }
  if (opts.json) write('callplan.json', JSON.stringify(singleDocument(project)));
  return { dir, files, bytes: files.reduce((a, f) => a + f.bytes, 0), rootFile: join(dir, 'callplan.yaml') };
}

// ---------------------------------------------------------------- CLI
function parseArgs(argv) {
  const opts = {};
  let dir;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--single') opts.single = true;
    else if (a === '--json') opts.json = true;
    else if (['--users', '--queues', '--ivr', '--sites', '--seed'].includes(a)) {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${a} needs a positive integer`);
      opts[a.slice(2)] = n;
    } else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/generate-project.js <dir> [--single] [--json] [--users N] [--queues N] [--ivr N] [--sites N] [--seed S]');
      process.exit(0);
    } else if (!a.startsWith('-') && dir === undefined) dir = a;
    else throw new Error(`unknown argument ${a}`);
  }
  if (!dir) throw new Error('usage: node bench/generate-project.js <dir> [--single] [--json] [--users N] [--queues N] [--ivr N] [--sites N] [--seed S]');
  return { dir: resolve(dir), opts };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const { dir, opts } = parseArgs(process.argv.slice(2));
    const res = writeProject(dir, opts);
    console.log(`wrote ${res.files.length} file(s), ${(res.bytes / 1e6).toFixed(2)} MB, into ${dir}`);
  } catch (e) {
    console.error(String(e.message ?? e));
    process.exit(2);
  }
}

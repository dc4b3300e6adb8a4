import type * as In from '../input.js';
import { normalizeMac } from '../mac.js';
import { parseRef, RELATIVE_STEPS, type RelativeStep } from '../refs.js';
import { entries } from '../rules/rule.js';
import { parseSecretRef, type SecretRef } from '../../secrets/refs.js';
import { parseClock, parseDate, parseDays, parseDuration, parseHours, WEEKDAYS, type TimeRange, type Weekday } from '../time.js';
import type * as M from '../types.js';
import { DEFAULTS } from './defaults.js';

/**
 * Raw project (already valid: schema and rules passed) → Model. Pure: the same input gives the
 * same output, key order included, so builds are byte-identical.
 */
export function normalize(raw: In.RawProject): M.Model {
  const language = raw.defaults?.language ?? DEFAULTS.language;
  const sites = sorted(entries(raw.sites).map(([name, s]) => site(name, s, language)));
  const siteLanguage = new Map(sites.map((s) => [s.name, s.language]));
  const groupsRaw = new Map(entries(raw.groups));
  const users = [...(raw.users ?? [])]
    .sort((a, b) => compareExtensions(a.extension, b.extension))
    .map((u) => user(u, raw, groupsRaw, siteLanguage.get(u.site) ?? language));
  const byGroup = new Map<string, string[]>();
  for (const u of users) {
    if (u.group === undefined) continue;
    const list = byGroup.get(u.group);
    if (list) list.push(u.extension);
    else byGroup.set(u.group, [u.extension]);
  }
  const members = (group: string) => byGroup.get(group) ?? [];
  const routes = sorted(entries(raw.outbound?.routes).map(([name, r]) => outboundRoute(name, r)));
  const emergency = routes.filter((r) => r.emergency).map((r) => r.name);

  return {
    version: 1,
    name: raw.name ?? 'callplan',
    ...(raw.description !== undefined && { description: raw.description }),
    defaults: {
      language,
      codecs: [...(raw.defaults?.codecs ?? DEFAULTS.codecs)] as M.Codec[],
      pickupPrefix: raw.defaults?.pickup_prefix ?? DEFAULTS.pickupPrefix,
    },
    secrets: {
      ...(raw.secrets?.file !== undefined && { file: raw.secrets.file }),
      ...optionalSecret('deviceMaster', raw.secrets?.device_master),
      ...optionalSecret('externalDialer', raw.secrets?.external_dialer),
    },
    ...(raw.provisioning && { provisioning: provisioning(raw.provisioning) }),
    nodes: sorted(entries(raw.nodes).map(([name, n]) => node(name, n))),
    sites,
    trunks: sorted(entries(raw.trunks).map(([name, t]) => trunk(name, t))),
    groups: sorted(entries(raw.groups).map(([name, g]) => group(name, g, members(name)))),
    users,
    music: sorted(entries(raw.music).map(([name, m]) => ({ name, ...pick(m, 'description'), directory: m.directory, order: m.order ?? 'alphabetical' }))),
    agentStatuses: sorted(entries(raw.agent_statuses).map(([name, s]) => ({ name, ready: s.ready, ...(s.code !== undefined && { code: s.code }), ...pick(s, 'description'), ...(s.max_minutes !== undefined && { maxMinutes: s.max_minutes }) }))),
    queues: sorted(entries(raw.queues).map(([name, q]) => queue(name, q, members))),
    ivr: sorted(entries(raw.ivr).map(([name, m]) => ivrMenu(name, m))),
    announcements: sorted(entries(raw.announcements).map(([name, a]) => ({ name, ...pick(a, 'description'), prompt: a.prompt, then: target(a.then ?? 'hangup') }))),
    siteRouters: sorted(entries(raw.site_routers).map(([name, r]) => ({ name, ...pick(r, 'description'), ...openSites(r) }))),
    inbound: (raw.inbound ?? []).map(inboundRoute),
    outbound: {
      routes,
      classes: sorted(entries(raw.outbound?.classes).map(([name, list]) => ({ name, routes: [...new Set([...list, ...emergency])].sort() }))),
    },
    recording: recording(raw.recording),
    // Order carries no meaning here, so file order must not change the build.
    supervisors: (raw.supervisors ?? [])
      .map((s) => ({ user: refId(s.user), queues: s.queues.map(refId).sort(), modes: [...(s.modes ?? ['listen', 'whisper', 'barge'])] }))
      .sort((a, b) => compareExtensions(a.user, b.user) || a.queues.join().localeCompare(b.queues.join())),
    conferences: sorted(entries(raw.conferences).map(([name, c]) => conference(name, c))),
    campaigns: sorted(entries(raw.campaigns).map(([name, c]) => campaign(name, c))),
  };
}

function sorted<T extends { name: string }>(list: T[]): T[] {
  return list.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Numeric order for extensions: "200" before "1001". */
function compareExtensions(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function pick<T extends object, K extends keyof T>(obj: T, key: K): Partial<Pick<T, K>> {
  return obj[key] === undefined ? {} : ({ [key]: obj[key] } as Pick<T, K>);
}

function secret(text: string): SecretRef {
  const ref = parseSecretRef(text);
  if (!ref) throw new Error(`normalize: "${text}" is not a secret reference (validation should have refused it)`);
  return ref;
}

function optionalSecret<K extends string>(key: K, text: string | undefined): Partial<Record<K, SecretRef>> {
  return text === undefined ? {} : ({ [key]: secret(text) } as Record<K, SecretRef>);
}

function refId(text: string): string {
  const ref = parseRef(text);
  return ref && 'id' in ref ? ref.id : text;
}

export function target(text: string): M.Target {
  const ref = parseRef(text);
  if (!ref || ref.kind === 'repeat' || ref.kind === 'campaign') throw new Error(`normalize: "${text}" is not a call target`);
  return ref.kind === 'hangup' ? { kind: 'hangup' } : { kind: ref.kind, id: ref.id };
}

function menuTarget(text: string): M.MenuTarget {
  return text === 'repeat' ? { kind: 'repeat' } : target(text);
}

function mustParse<T>(result: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!result.ok) throw new Error(`normalize: ${result.error} (validation should have refused it)`);
  return result.value;
}

function provisioning(p: In.RawProvisioning): M.Provisioning {
  return {
    ...pick(p, 'url'),
    ...pick(p, 'ntp'),
    ...optionalSecret('adminPassword', p.admin_password),
    updatePolicy: p.update_policy ?? 'auto',
    firmware: Object.fromEntries(Object.entries(p.firmware ?? {}).sort(([a], [b]) => a.localeCompare(b))),
  };
}

function node(name: string, n: In.RawNode): M.PbxNode {
  return {
    name,
    role: n.role,
    address: n.address,
    ...(n.public_address !== undefined && { publicAddress: n.public_address }),
    weight: n.weight ?? DEFAULTS.node.weight,
    sipPort: n.sip_port ?? DEFAULTS.node.sipPort,
    amiPort: n.ami_port ?? DEFAULTS.node.amiPort,
    ssh: {
      host: n.ssh?.host ?? n.address,
      port: n.ssh?.port ?? DEFAULTS.node.sshPort,
      user: n.ssh?.user ?? DEFAULTS.node.sshUser,
      ...(n.ssh?.host_key !== undefined && { hostKey: n.ssh.host_key }),
    },
    deploy: {
      root: (n.deploy?.root ?? (n.role === 'kamailio' ? DEFAULTS.node.edgeDeployRoot : DEFAULTS.node.deployRoot)).replace(/(.)\/+$/, '$1'),
      asterisk: (n.deploy?.asterisk ?? DEFAULTS.node.asterisk).trim().split(/\s+/),
      systemctl: (n.deploy?.systemctl ?? DEFAULTS.node.systemctl).trim().split(/\s+/),
      log: n.deploy?.log ?? DEFAULTS.node.asteriskLog,
      ignoreErrors: n.deploy?.ignore_errors ?? [],
      ...(n.role === 'kamailio' && {
        kamcmd: (n.deploy?.kamcmd ?? DEFAULTS.node.kamcmd).trim().split(/\s+/),
        restart: (n.deploy?.restart ?? DEFAULTS.node.kamailioRestart).trim().split(/\s+/),
      }),
    },
    ...(n.role === 'kamailio' && { phones: n.phones ?? 'internal' }),
    ...(n.tls !== undefined && { tls: { port: n.tls.port ?? DEFAULTS.node.tlsPort, certificate: n.tls.certificate, privateKey: n.tls.private_key } }),
  };
}

function site(name: string, s: In.RawSite, language: string): M.Site {
  const hours = Object.fromEntries(WEEKDAYS.map((d) => [d, [] as TimeRange[]])) as Record<Weekday, TimeRange[]>;
  for (const [days, spec] of Object.entries(s.hours ?? {})) {
    for (const day of mustParse(parseDays(days))) hours[day] = mustParse(parseHours(spec));
  }
  const holidays = (s.holidays ?? []).map((h): M.Holiday => {
    const from = mustParse(parseDate(h.date ?? h.from!));
    const to = mustParse(parseDate(h.date ?? h.to!));
    return { ...pick(h, 'name'), from, to, hours: h.hours === undefined ? [] : mustParse(parseHours(h.hours)) };
  });
  return {
    name,
    ...pick(s, 'description'),
    timezone: s.timezone,
    language: s.language ?? language,
    ...pick(s, 'ntp'),
    hours,
    holidays,
    override: s.override ?? false,
  };
}

function trunk(name: string, t: In.RawTrunk): M.Trunk {
  const transport = t.transport ?? DEFAULTS.trunk.transport;
  return {
    name,
    ...pick(t, 'description'),
    auth: t.auth,
    host: t.host,
    port: t.port ?? DEFAULTS.trunk.port[transport],
    transport,
    ...pick(t, 'username'),
    ...optionalSecret('password', t.password),
    ...(t.from_domain !== undefined && { fromDomain: t.from_domain }),
    addresses: [...(t.addresses ?? [])],
    ...(t.caller_id !== undefined && { callerId: t.caller_id }),
    ...(t.max_channels !== undefined && { maxChannels: t.max_channels }),
    codecs: [...(t.codecs ?? DEFAULTS.trunk.codecs)] as M.Codec[],
    priority: t.priority ?? DEFAULTS.trunk.priority,
    ...pick(t, 'currency'),
    prices: (t.prices ?? [])
      .map((p) => ({ prefix: p.prefix, perMinute: p.per_minute }))
      .sort((a, b) => b.prefix.length - a.prefix.length || a.prefix.localeCompare(b.prefix)),
  };
}

function group(name: string, g: In.RawGroup, members: string[]): M.Group {
  return {
    name,
    ...pick(g, 'description'),
    ...pick(g, 'site'),
    ...(g.supervisor !== undefined && { supervisor: refId(g.supervisor) }),
    ...(g.secretary !== undefined && { secretary: refId(g.secretary) }),
    pickup: g.pickup ?? false,
    ringTimeout: g.ring_timeout ?? DEFAULTS.group.ringTimeout,
    members,
  };
}

function user(u: In.RawUser, raw: In.RawProject, groups: Map<string, In.RawGroup>, language: string): M.User {
  const voicemailOn = u.voicemail === undefined ? (raw.defaults?.voicemail ?? DEFAULTS.voicemail) : u.voicemail !== false;
  const vm = typeof u.voicemail === 'object' ? u.voicemail : {};
  const rule = u.no_answer ?? raw.defaults?.no_answer ?? DEFAULTS.noAnswer;
  const g = u.group === undefined ? undefined : groups.get(u.group);
  const steps = (rule.then ?? []).flatMap((step): M.NoAnswerStep[] => {
    if (!(RELATIVE_STEPS as readonly string[]).includes(step)) return [target(step)];
    // A relative step with nobody behind it is skipped (the no-answer-step rule warns about it).
    switch (step as RelativeStep) {
      case 'group':
        return u.group === undefined ? [] : [{ kind: 'group', id: u.group, via: 'group' }];
      case 'supervisor':
        return g?.supervisor ? [{ kind: 'user', id: refId(g.supervisor), via: 'supervisor' }] : [];
      case 'secretary':
        return g?.secretary ? [{ kind: 'user', id: refId(g.secretary), via: 'secretary' }] : [];
      case 'voicemail':
        return voicemailOn ? [{ kind: 'voicemail', id: u.extension, via: 'own-voicemail' }] : [];
    }
  });
  return {
    extension: u.extension,
    name: u.name,
    ...pick(u, 'email'),
    site: u.site,
    ...pick(u, 'group'),
    roles: [...(u.roles ?? [])].sort(),
    language: u.language ?? language,
    ...((u.outbound ?? raw.defaults?.outbound_class) !== undefined && { outboundClass: (u.outbound ?? raw.defaults?.outbound_class)! }),
    voicemail: voicemailOn ? { ...((vm.email ?? u.email) !== undefined && { email: (vm.email ?? u.email)! }), attach: vm.attach ?? true } : null,
    devices: (u.devices ?? []).map((d) => device(u.extension, d)),
    ...pick(u, 'mobile'),
    noAnswer: steps.length > 0 ? { after: rule.after, then: steps } : null,
    maxContacts: { ...DEFAULTS.maxContacts, ...u.max_contacts },
    speedDials: (u.speed_dials ?? []).map((s) => ({ label: s.label, number: s.number })),
    ...(u.keys !== undefined && { keys: u.keys.map(functionKey) }),
  };
}

function functionKey(k: In.RawFunctionKey): M.FunctionKey {
  const label = k.label === undefined ? {} : { label: k.label };
  // The schema's oneOf guarantees exactly one action.
  if (k.blf !== undefined) return { kind: 'blf', user: refId(k.blf), ...label };
  if (k.speed !== undefined) return { kind: 'speed', number: k.speed, ...label };
  if (k.queue !== undefined) return { kind: 'queue', queue: refId(k.queue), ...label };
  if (k.agent !== undefined) return { kind: 'agent', action: k.agent, ...label };
  if (k.status !== undefined) return { kind: 'status', status: k.status, ...label };
  if (k.spy !== undefined) return { kind: 'spy', mode: k.spy, ...label };
  return { kind: 'override', site: k.override!, ...label };
}

function device(extension: string, d: In.RawDevice): M.Device {
  const mac = d.mac === undefined ? undefined : normalizeMac(d.mac);
  return {
    id: `${extension}-${mac ?? d.name ?? 'softphone'}`.toLowerCase(),
    type: d.type,
    ...(d.model !== undefined && { model: d.model.toUpperCase().replace(/^SNOM\s*/, '') }),
    ...(mac !== undefined && { mac }),
    password: d.password === undefined ? { derived: true } : secret(d.password),
  };
}

function queue(name: string, q: In.RawQueue, groupMembers: (group: string) => string[]): M.Queue {
  const seen = new Set<string>();
  const members: M.QueueMember[] = [];
  const add = (refs: string[] | undefined, tier: 'primary' | 'backup') => {
    for (const text of refs ?? []) {
      const ref = parseRef(text)!;
      if (!('id' in ref)) continue;
      const expanded = ref.kind === 'group' ? groupMembers(ref.id).map((ext) => ({ ext, group: ref.id })) : [{ ext: ref.id, group: undefined }];
      for (const { ext, group } of expanded) {
        // Primary is listed first, so someone named twice keeps the better tier.
        if (seen.has(ext)) continue;
        seen.add(ext);
        members.push({ extension: ext, tier, penalty: tier === 'primary' ? 0 : DEFAULTS.queue.backupPenalty, ...(group !== undefined && { group }) });
      }
    }
  };
  add(q.members.primary, 'primary');
  add(q.members.backup, 'backup');
  return {
    name,
    ...pick(q, 'description'),
    ...pick(q, 'extension'),
    ...pick(q, 'site'),
    strategy: q.strategy ?? DEFAULTS.queue.strategy,
    members,
    backupAfter: q.backup_after ?? DEFAULTS.queue.backupAfter,
    ringTimeout: q.ring_timeout ?? DEFAULTS.queue.ringTimeout,
    wrapup: q.wrapup ?? DEFAULTS.queue.wrapup,
    ...(q.max_wait !== undefined && { maxWait: q.max_wait }),
    ...(q.max_callers !== undefined && { maxCallers: q.max_callers }),
    ...(q.overflow !== undefined && { overflow: target(q.overflow) }),
    announce: {
      position: q.announce?.position ?? false,
      holdTime: q.announce?.hold_time ?? false,
      every: q.announce?.every ?? DEFAULTS.queue.announceEvery,
    },
    music: q.music ?? DEFAULTS.queue.music,
    weight: q.weight ?? DEFAULTS.queue.weight,
  };
}

function ivrMenu(name: string, m: In.RawIvrMenu): M.IvrMenu {
  return {
    name,
    ...pick(m, 'description'),
    prompt: m.prompt,
    ...pick(m, 'language'),
    options: Object.entries(m.options)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([digit, to]) => ({ digit, to: menuTarget(to) })),
    timeout: m.timeout ?? DEFAULTS.ivr.timeout,
    retries: m.retries ?? DEFAULTS.ivr.retries,
    onTimeout: target(m.on_timeout ?? 'hangup'),
    onInvalid: target(m.on_invalid ?? 'hangup'),
  };
}

function openSites(r: { open: In.RawOpenSites; closed?: string; holiday?: string }): M.OpenSites {
  const closed = target(r.closed ?? 'hangup');
  return { open: r.open.map((s) => ({ site: s.site, to: target(s.to) })), closed, holiday: r.holiday === undefined ? closed : target(r.holiday) };
}

function inboundRoute(r: In.RawInboundRoute): M.InboundRoute {
  const dids = Array.isArray(r.did) ? [...r.did] : [r.did];
  // The inbound-destination rule guarantees exactly one of `to` and `open`.
  const route: M.InboundRoute['route'] = r.to !== undefined ? { kind: 'direct', to: target(r.to) } : { kind: 'sites', ...openSites({ ...r, open: r.open! }) };
  return { name: r.name ?? dids[0]!, dids, ...pick(r, 'trunk'), route };
}

function outboundRoute(name: string, r: In.RawOutboundRoute): M.OutboundRoute {
  return {
    name,
    ...pick(r, 'description'),
    patterns: [...r.patterns],
    trunks: [...r.trunks],
    order: r.order ?? 'listed',
    strip: r.strip ?? 0,
    prepend: r.prepend ?? '',
    emergency: r.emergency ?? false,
  };
}

function recording(r: In.RawRecording | undefined): M.Recording {
  const a = r?.archive;
  return {
    format: r?.format ?? DEFAULTS.recording.format,
    directory: r?.directory ?? DEFAULTS.recording.directory,
    policies: (r?.policies ?? []).map((p) => ({
      name: p.name,
      queues: (p.queues ?? []).map(refId),
      users: (p.users ?? []).map(refId),
      groups: (p.groups ?? []).map(refId),
      campaigns: (p.campaigns ?? []).map(refId),
      directions: [...(p.directions ?? ['inbound', 'outbound', 'internal'])],
      percentage: p.percentage ?? 100,
    })),
    ...(a && {
      archive: {
        url: a.url,
        ...pick(a, 'username'),
        ...optionalSecret('password', a.password),
        layout: a.layout ?? DEFAULTS.recording.layout,
        olderThan: parseDuration(a.older_than ?? DEFAULTS.recording.olderThan),
        verify: a.verify ?? DEFAULTS.recording.verify,
        keepLocal: a.keep_local ?? false,
        every: parseDuration(a.every ?? DEFAULTS.recording.every),
        ...pick(a, 'ca'),
      },
    }),
  };
}

function conference(name: string, c: In.RawConference): M.Conference {
  return {
    name,
    ...pick(c, 'description'),
    extension: c.extension,
    ...optionalSecret('pin', c.pin),
    ...optionalSecret('adminPin', c.admin_pin),
    maxMembers: c.max_members ?? DEFAULTS.conference.maxMembers,
    record: c.record ?? false,
    music: c.music ?? DEFAULTS.conference.music,
  };
}

function campaign(name: string, c: In.RawCampaign): M.Campaign {
  const d = DEFAULTS.campaign;
  const profile = c.compliance?.profile ?? d.profile;
  const retry = (key: In.RetryOutcome) => {
    const r = c.retries?.[key] ?? d.retries[key];
    return { max: r.max, afterSeconds: parseDuration(r.after ?? d.retries[key].after) };
  };
  return {
    name,
    ...pick(c, 'description'),
    mode: c.mode,
    queue: refId(c.queue),
    ...(c.caller_id !== undefined && { callerId: c.caller_id }),
    ...(c.outbound_class !== undefined && { outboundClass: c.outbound_class }),
    ...(c.holidays_of !== undefined && { holidaysOf: c.holidays_of }),
    ...(c.node !== undefined && { node: c.node }),
    contacts: {
      source: c.contacts.source,
      ...pick(c.contacts, 'file'),
      numbers: [...(c.contacts.numbers ?? d.numbers)],
      ...(c.contacts.timezone_field !== undefined && { timezoneField: c.contacts.timezone_field }),
      ...pick(c.contacts, 'timezone'),
      fields: [...(c.contacts.fields ?? [])],
      numberTypes: Object.fromEntries(Object.entries(c.contacts.number_types ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      ...(c.contacts.priority_field !== undefined && { priorityField: c.contacts.priority_field }),
      doNotCall: [...(c.contacts.do_not_call ?? [])],
    },
    window: {
      from: parseClock(c.window.from)!,
      to: parseClock(c.window.to)!,
      days: mustParse(parseDays(c.window.days ?? d.days)),
      ...pick(c.window, 'override'),
    },
    retries: { noAnswer: retry('no_answer'), busy: retry('busy'), machine: retry('machine'), failed: retry('failed'), abandoned: retry('abandoned') },
    amd: {
      enabled: c.amd?.enabled ?? c.mode === 'predictive',
      onMachine: c.amd?.on_machine ?? 'hangup',
      ...(c.amd?.message !== undefined && { message: c.amd.message }),
      falsePositivePercent: c.amd?.false_positive_percent ?? d.amdFalsePositivePercent,
    },
    abandon: {
      maxPercent: c.abandon?.max_percent ?? d.abandon.maxPercent,
      windowSeconds: parseDuration(c.abandon?.window ?? d.profileWindow[profile]),
      ...(c.abandon?.override !== undefined && { override: c.abandon.override }),
      ...(c.abandon?.message !== undefined && { message: c.abandon.message }),
    },
    compliance: {
      profile,
      off: Object.fromEntries(
        Object.entries(c.compliance?.switch_off ?? {})
          .map(([k, reason]) => [k.replace(/_/g, '-'), reason] as const)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      ),
    },
    callback: { sameAgent: c.callback?.same_agent ?? true, fallbackAfterSeconds: parseDuration(c.callback?.fallback_after ?? d.callbackFallback), then: c.callback?.then ?? 'any-agent' },
    preview: { time: c.preview?.time ?? d.previewTime, allowSkip: c.preview?.allow_skip ?? true },
    progressive: { readTime: c.progressive?.read_time ?? d.readTime },
    predictive: { maxRatio: c.predictive?.max_ratio ?? d.maxRatio, ringTimeout: c.predictive?.ring_timeout ?? d.ringTimeout },
  };
}

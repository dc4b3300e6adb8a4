import type { Device, Model, Queue, User } from '../../model/types.js';
import type { FlattenRules } from './flatten.js';
import { maskUrl, targetText } from './values.js';

/** One line of a semantic change, in the model's words. `before`/`after` absent: the field was not set. */
export interface FieldChange {
  field: string;
  before?: string;
  after?: string;
  text: string;
}

/**
 * What the semantic diff compares: each kind of thing in the model, how one is named, how it is
 * summed up when added or removed, and what is compared by its own rule rather than field by
 * field (queue members, which read as "user 1002: backup → primary in queue payments").
 */
export interface EntityKind<T extends object = object> {
  kind: string;
  items(model: Model): T[];
  id(item: T): string;
  /** Short facts shown when one is added or removed. */
  describe(item: T): string;
  rules?: FlattenRules;
  /** Changes compared by their own rule (fields left out of `rules` with skip). */
  extra?(before: T, after: T, title: string): FieldChange[];
}

type DeviceOf = Device & { user: string };

const kind = <T extends object>(k: EntityKind<T>): EntityKind => k as unknown as EntityKind;

const join = (...parts: (string | false | undefined)[]) => parts.filter(Boolean).join(', ');

/** In the order the summary lists them. */
export const ENTITY_KINDS: readonly EntityKind[] = [
  kind({ kind: 'project', items: (m) => [{ name: m.name, description: m.description, defaults: m.defaults, secrets: m.secrets }], id: () => 'settings', describe: (p) => p.name }),
  kind({ kind: 'node', items: (m) => m.nodes, id: (n) => n.name, describe: (n) => join(n.role, `address ${n.address}`) }),
  kind({ kind: 'site', items: (m) => m.sites, id: (s) => s.name, describe: (s) => join(`timezone ${s.timezone}`, s.description) }),
  kind({ kind: 'trunk', items: (m) => m.trunks, id: (t) => t.name, describe: (t) => join(`auth ${t.auth}`, `host ${t.host}`) }),
  kind<User>({
    kind: 'user',
    items: (m) => m.users,
    id: (u) => u.extension,
    describe: (u) => join(u.name, `site ${u.site}`, u.group && `group ${u.group}`, u.devices.length > 0 && `${u.devices.length} device${u.devices.length === 1 ? '' : 's'}`),
    rules: { skip: ['devices'] },
  }),
  kind<DeviceOf>({
    kind: 'device',
    items: (m) => m.users.flatMap((u) => u.devices.map((d) => ({ ...d, user: u.extension }))),
    id: (d) => d.id,
    describe: (d) => join(d.type === 'snom' ? `SNOM ${d.model}${d.mac ? ` ${d.mac}` : ''}` : 'softphone', `user ${d.user}`),
    rules: { skip: ['id'] },
  }),
  kind({ kind: 'group', items: (m) => m.groups, id: (g) => g.name, describe: (g) => join(g.site && `site ${g.site}`, g.description), rules: { skip: ['members'] } }),
  kind<Queue>({
    kind: 'queue',
    items: (m) => m.queues,
    id: (q) => q.name,
    describe: (q) => join(q.description, `strategy ${q.strategy}`, `${q.members.filter((x) => x.tier === 'primary').length} primary and ${q.members.filter((x) => x.tier === 'backup').length} backup members`),
    rules: { skip: ['members'] },
    extra: queueMembers,
  }),
  kind({ kind: 'IVR menu', items: (m) => m.ivr, id: (i) => i.name, describe: (i) => join(i.description, `prompt ${i.prompt}`, `${i.options.length} options`) }),
  kind({ kind: 'announcement', items: (m) => m.announcements, id: (a) => a.name, describe: (a) => join(`prompt ${a.prompt}`, `then ${targetText(a.then)}`) }),
  kind({ kind: 'site router', items: (m) => m.siteRouters, id: (r) => r.name, describe: (r) => r.open.map((o) => `${o.site} → ${targetText(o.to)}`).join('; ') }),
  kind({
    kind: 'inbound route',
    items: (m) => m.inbound,
    id: (r) => r.name,
    describe: (r) => `did ${r.dids.join(', ')}; ${r.route.kind === 'direct' ? `to ${targetText(r.route.to)}` : `open ${r.route.open.map((o) => o.site).join(' → ')}`}`,
    rules: { inline: ['route'] },
  }),
  kind({ kind: 'outbound route', items: (m) => m.outbound.routes, id: (r) => r.name, describe: (r) => `patterns ${r.patterns.join(', ')}; trunks ${r.trunks.join(', ')}` }),
  kind({ kind: 'permission class', items: (m) => m.outbound.classes, id: (c) => c.name, describe: (c) => `routes ${c.routes.join(', ')}` }),
  kind({ kind: 'conference', items: (m) => m.conferences, id: (c) => c.name, describe: (c) => join(`extension ${c.extension}`, c.description) }),
  kind({ kind: 'campaign', items: (m) => m.campaigns, id: (c) => c.name, describe: (c) => join(c.mode, `queue ${c.queue}`, c.description) }),
  kind({ kind: 'supervisor', items: (m) => m.supervisors, id: (s) => s.user, describe: (s) => `queues ${s.queues.join(', ')}; modes ${s.modes.join(', ')}` }),
  kind({ kind: 'music class', items: (m) => m.music, id: (c) => c.name, describe: (c) => `directory ${c.directory}` }),
  kind({ kind: 'agent status', items: (m) => m.agentStatuses, id: (s) => s.name, describe: (s) => (s.ready ? 'ready' : 'not ready') }),
  kind({ kind: 'recording', items: (m) => [m.recording], id: () => 'settings', describe: (r) => `format ${r.format}` }),
  kind({ kind: 'provisioning', items: (m) => (m.provisioning ? [m.provisioning] : []), id: () => 'settings', describe: (p) => (p.url ? `url ${maskUrl(p.url)}` : 'no url') }),
];

/** Members by extension, compared by tier: the moves a supervisor makes every week. */
function queueMembers(before: Queue, after: Queue, title: string): FieldChange[] {
  const queue = title.replace(/^queue /, '');
  const old = new Map(before.members.map((m) => [m.extension, m]));
  const now = new Map(after.members.map((m) => [m.extension, m]));
  const out: FieldChange[] = [];
  const via = (group?: string) => (group ? ` (through group ${group})` : '');
  for (const [ext, m] of now) {
    const was = old.get(ext);
    if (!was) out.push({ field: `members.${ext}`, after: m.tier, text: `user ${ext} added to queue ${queue} as ${m.tier}${via(m.group)}` });
    else if (was.tier !== m.tier) out.push({ field: `members.${ext}`, before: was.tier, after: m.tier, text: `user ${ext}: ${was.tier} → ${m.tier} in queue ${queue}` });
  }
  for (const [ext, m] of old) {
    if (!now.has(ext)) out.push({ field: `members.${ext}`, before: m.tier, text: `user ${ext} removed from queue ${queue} (was ${m.tier}${via(m.group)})` });
  }
  return out;
}

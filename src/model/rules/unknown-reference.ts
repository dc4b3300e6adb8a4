import type { RawProject } from '../input.js';
import type { KnownNames } from '../project.js';
import { parseRef, RELATIVE_STEPS } from '../refs.js';
import { closest } from '../schema/suggest.js';
import { entries, type Rule } from './rule.js';

type Collection = keyof KnownNames;

const KIND_COLLECTION: Record<string, Collection> = {
  user: 'users',
  voicemail: 'users',
  queue: 'queues',
  ivr: 'ivr',
  group: 'groups',
  conference: 'conferences',
  announcement: 'announcements',
  'site-router': 'site_routers',
  campaign: 'campaigns',
};

const LABEL: Record<Collection, string> = {
  users: 'user',
  sites: 'site',
  trunks: 'trunk',
  groups: 'group',
  queues: 'queue',
  ivr: 'IVR menu',
  announcements: 'announcement',
  conferences: 'conference',
  campaigns: 'campaign',
  agent_statuses: 'agent status',
  music: 'music class',
  site_routers: 'site router',
  nodes: 'node',
  routes: 'outbound route',
  classes: 'permission class',
};

/** A reference to an object the project does not define: a queue member who is not a user, an IVR option to an unknown menu ... */
export const unknownReference: Rule = {
  id: 'unknown-reference',
  description: 'Every reference (user:1001, queue:payments, site, trunk, route, class ...) names an object the project defines.',
  severity: 'error',
  needsEveryFile: true,
  check(ctx) {
    const { raw } = ctx;
    const name = (at: object, key: string | number, value: string | undefined, collection: Collection, path: (string | number)[] = []) => {
      if (value === undefined || ctx.known[collection].has(value)) return;
      const guess = closest(value, [...ctx.known[collection]]);
      ctx.report(
        { at, path: [...path, key] },
        `unknown ${LABEL[collection]} "${value}"`,
        guess ? `Did you mean "${guess}"?` : `Define it under ${collection === 'routes' ? 'outbound.routes' : collection === 'classes' ? 'outbound.classes' : collection}, or fix the name.`,
      );
    };
    const target = (at: object, key: string | number, value: string | undefined, path: (string | number)[] = []) => {
      if (value === undefined) return;
      const ref = parseRef(value);
      if (!ref || !('id' in ref)) return;
      const collection = KIND_COLLECTION[ref.kind];
      if (!collection) return;
      if (!ctx.known[collection].has(ref.id)) {
        const guess = closest(ref.id, [...ctx.known[collection]]);
        ctx.report(
          { at, path: [...path, key] },
          `${value} refers to an unknown ${LABEL[collection]} "${ref.id}"`,
          guess ? `Did you mean ${ref.kind}:${guess}?` : `Define ${LABEL[collection]} "${ref.id}", or point somewhere else.`,
        );
      } else if (ref.kind === 'voicemail' && !hasVoicemail(raw, ref.id)) {
        ctx.report({ at, path: [...path, key] }, `${value}: user ${ref.id} has no voicemail box`, `Give user ${ref.id} voicemail: true, or send the call elsewhere.`);
      }
    };
    const noAnswer = (at: { no_answer?: { then?: string[] } }) => {
      at.no_answer?.then?.forEach((step, i) => {
        if (!(RELATIVE_STEPS as readonly string[]).includes(step)) target(at.no_answer!, i, step, ['then']);
      });
    };

    if (raw.defaults) {
      name(raw.defaults, 'outbound_class', raw.defaults.outbound_class, 'classes');
      noAnswer(raw.defaults);
    }
    for (const user of raw.users ?? []) {
      name(user, 'site', user.site, 'sites');
      name(user, 'group', user.group, 'groups');
      name(user, 'outbound', user.outbound, 'classes');
      noAnswer(user);
    }
    for (const [, group] of entries(raw.groups)) {
      name(group, 'site', group.site, 'sites');
      target(group, 'supervisor', group.supervisor);
      target(group, 'secretary', group.secretary);
    }
    // Asterisk's own class needs no definition.
    const music = (at: object, value: string | undefined) => name(at, 'music', value === 'default' ? undefined : value, 'music');
    for (const [, queue] of entries(raw.queues)) {
      name(queue, 'site', queue.site, 'sites');
      music(queue, queue.music);
      queue.members.primary.forEach((m, i) => target(queue.members, i, m, ['primary']));
      queue.members.backup?.forEach((m, i) => target(queue.members, i, m, ['backup']));
      target(queue, 'overflow', queue.overflow);
    }
    for (const [, menu] of entries(raw.ivr)) {
      for (const [digit, to] of Object.entries(menu.options)) target(menu.options, digit, to);
      target(menu, 'on_timeout', menu.on_timeout);
      target(menu, 'on_invalid', menu.on_invalid);
    }
    for (const [, a] of entries(raw.announcements)) target(a, 'then', a.then);
    const sun = (at: { open: { site: string; to: string }[]; closed?: string; holiday?: string }) => {
      for (const step of at.open) {
        name(step, 'site', step.site, 'sites');
        target(step, 'to', step.to);
      }
      target(at, 'closed', at.closed);
      target(at, 'holiday', at.holiday);
    };
    for (const [, router] of entries(raw.site_routers)) sun(router);
    for (const route of raw.inbound ?? []) {
      name(route, 'trunk', route.trunk, 'trunks');
      target(route, 'to', route.to);
      // The route itself, not a copy: positions are found by object.
      if (route.open) sun(route as typeof route & { open: NonNullable<typeof route.open> });
    }
    for (const [, conf] of entries(raw.conferences)) music(conf, conf.music);
    for (const [, route] of entries(raw.outbound?.routes)) route.trunks.forEach((t, i) => name(route.trunks, i, t, 'trunks'));
    for (const [, routes] of entries(raw.outbound?.classes)) routes.forEach((r, i) => name(routes, i, r, 'routes'));
    for (const policy of raw.recording?.policies ?? []) {
      policy.queues?.forEach((q, i) => target(policy.queues!, i, q));
      policy.users?.forEach((u, i) => target(policy.users!, i, u));
      policy.groups?.forEach((g, i) => target(policy.groups!, i, g));
      policy.campaigns?.forEach((c, i) => target(policy.campaigns!, i, c));
    }
    for (const sup of raw.supervisors ?? []) {
      target(sup, 'user', sup.user);
      sup.queues.forEach((q, i) => target(sup.queues, i, q));
    }
    for (const [, campaign] of entries(raw.campaigns)) {
      target(campaign, 'queue', campaign.queue);
      name(campaign, 'outbound_class', campaign.outbound_class, 'classes');
      name(campaign, 'holidays_of', campaign.holidays_of, 'sites');
    }
  },
};

const voicemailIndex = new WeakMap<RawProject, Map<string, boolean>>();

/** Users have voicemail unless they or the defaults say otherwise. Indexed once per project: rules ask per reference. */
export function hasVoicemail(raw: RawProject, extension: string): boolean {
  let index = voicemailIndex.get(raw);
  if (!index) {
    const fallback = raw.defaults?.voicemail !== false;
    index = new Map((raw.users ?? []).map((u) => [u.extension, u.voicemail === undefined ? fallback : u.voicemail !== false]));
    voicemailIndex.set(raw, index);
  }
  // A user the schema rejected is not in the index: its own errors say enough.
  return index.get(extension) ?? true;
}


import type { FunctionKey, Group, Model, Queue, Site, User } from '../../model/types.js';
import { AGENT_CODES, agentStatusCodes, pickupGroupsOf, type AgentAction } from '../asterisk/dialplan/features.js';
import { hasOverrideFeatures, overrideKey, SPY_CODES } from '../asterisk/dialplan/supervisors.js';
import { dialString, isSupervisor } from '../asterisk/names.js';
import type { SnomModel } from './models.js';

/**
 * The function keys of one phone. Keys callplan writes are read-only on the phone (perm "R"):
 * a BLF or agent key a user reprogrammed would silently stop doing its job. The keys left over
 * are line keys the user may program (perm "!": provisioning sets them only while the user has
 * not changed them), so personal speed dials survive every rebuild.
 */
export interface KeyView {
  idx: number;
  value: string;
  label?: string;
  perm: 'R' | '!';
}

type SpyMode = 'listen' | 'whisper' | 'barge';

/** Lookups shared by every phone of one build. */
export interface KeyContext {
  model: Model;
  users: Map<string, User>;
  groups: Map<string, Group>;
  queues: Map<string, Queue>;
  sites: Map<string, Site>;
  /** Extensions of every queue member. */
  members: Set<string>;
  /** Modes each supervisor is granted on some queue. */
  grants: Map<string, Set<SpyMode>>;
  /** Users who may pick up each other's calls: extension → pickup group. */
  pickup: Map<string, string>;
  overrides: boolean;
  /** Not-ready agent statuses with their phone code (*94N), by code. */
  statuses: { status: string; code: string; description?: string }[];
}

export function keyContext(model: Model): KeyContext {
  const grants = new Map<string, Set<SpyMode>>();
  for (const s of model.supervisors) {
    const set = grants.get(s.user) ?? new Set<SpyMode>();
    for (const m of s.modes) set.add(m);
    grants.set(s.user, set);
  }
  return {
    model,
    users: new Map(model.users.map((u) => [u.extension, u])),
    groups: new Map(model.groups.map((g) => [g.name, g])),
    queues: new Map(model.queues.map((q) => [q.name, q])),
    sites: new Map(model.sites.map((s) => [s.name, s])),
    members: new Set(model.queues.flatMap((q) => q.members.map((m) => m.extension))),
    grants,
    pickup: new Map(pickupGroupsOf(model).flatMap((g) => g.members.map((ext): [string, string] => [ext, g.name]))),
    overrides: hasOverrideFeatures(model),
    statuses: agentStatusCodes(model).map(({ status, code }) => {
      const description = model.agentStatuses.find((st) => st.name === status)?.description;
      return { status, code, ...(description !== undefined && { description }) };
    }),
  };
}

/**
 * The keys a user gets without declaring any, most useful first, cut to what the phone has:
 * agent keys (log in, log out, pause, then one per not-ready agent status in the order of its
 * code: an agent sets break or consultation with one press) for queue members, the granted listen/whisper/barge keys
 * and the own site's override key for supervisors, the user's speed dials, then a BLF key for
 * each colleague of the user's group.
 */
export function automaticKeys(ctx: KeyContext, user: User): FunctionKey[] {
  const keys: FunctionKey[] = [];
  if (ctx.model.queues.length > 0 && (ctx.members.has(user.extension) || user.roles.includes('agent'))) {
    for (const action of ['login', 'logout', 'pause'] as const) keys.push({ kind: 'agent', action });
    for (const { status } of ctx.statuses) keys.push({ kind: 'status', status });
  }
  for (const mode of ['listen', 'whisper', 'barge'] as const) {
    if (ctx.grants.get(user.extension)?.has(mode)) keys.push({ kind: 'spy', mode });
  }
  if (ctx.overrides && isSupervisor(user, ctx.model) && ctx.sites.get(user.site)?.override) keys.push({ kind: 'override', site: user.site });
  for (const s of user.speedDials) keys.push({ kind: 'speed', number: s.number, label: s.label });
  const group = user.group === undefined ? undefined : ctx.groups.get(user.group);
  for (const ext of group?.members ?? []) {
    if (ext !== user.extension && ctx.users.get(ext)!.devices.length > 0) keys.push({ kind: 'blf', user: ext });
  }
  return keys;
}

/** Every key of one phone: the declared or automatic keys, then line keys up to the model's count. */
export function phoneKeys(ctx: KeyContext, user: User, phone: SnomModel, host: string): KeyView[] {
  const keys = (user.keys ?? automaticKeys(ctx, user)).slice(0, phone.functionKeys);
  const views: KeyView[] = keys.map((k, idx) => ({ idx, ...keyView(ctx, user, k, host), perm: 'R' }));
  for (let idx = views.length; idx < phone.functionKeys; idx++) views.push({ idx, value: 'line', perm: '!' });
  return views;
}

/** What the phone does with the key (SNOM's `fkey` value) and what it shows beside it. */
export function keyView(ctx: KeyContext, user: User, key: FunctionKey, host: string): { value: string; label?: string } {
  const words = labels(user.language);
  const label = (fallback: string | undefined) => {
    const text = key.label ?? fallback;
    return text === undefined ? {} : { label: text };
  };
  switch (key.kind) {
    case 'blf': {
      // SNOM's BLF: watch sip:EXT@host; when it rings, pressing dials PREFIX+EXT (pickup).
      const group = ctx.pickup.get(user.extension);
      const pickup = group !== undefined && ctx.pickup.get(key.user) === group && dialString(ctx.users.get(key.user)!) !== '';
      return { value: `blf sip:${key.user}@${host};user=phone${pickup ? `|${ctx.model.defaults.pickupPrefix}` : ''}`, ...label(ctx.users.get(key.user)?.name) };
    }
    case 'speed':
      return { value: `speed ${key.number}`, ...label(key.number) };
    case 'queue':
      return { value: `speed ${ctx.queues.get(key.queue)!.extension!}`, ...label(key.queue) };
    case 'agent':
      return { value: `speed ${AGENT_CODES[key.action]}`, ...label(words[key.action]) };
    case 'status': {
      // Validation refused a status without a code (function-key-reference).
      const status = ctx.statuses.find((st) => st.status === key.status)!;
      return { value: `speed ${status.code}`, ...label(statusLabel(status)) };
    }
    case 'spy':
      return { value: `speed ${SPY_CODES[key.mode]}`, ...label(words[key.mode]) };
    case 'override':
      // Lit while the site is forced open or closed; pressed, it dials the toggle.
      return { value: `blf sip:${overrideKey(key.site)}@${host}`, ...label(words.override(key.site)) };
  }
}

/**
 * A status key's label: the status's description when it fits a key's label (it is in the agents'
 * language: "Przerwa", "Перерыв"), else its name.
 */
function statusLabel(s: { status: string; description?: string }): string {
  return s.description !== undefined && s.description.length <= 16 ? s.description : s.status;
}

type Words = Record<AgentAction | SpyMode, string> & { override: (site: string) => string };

const LABELS: Record<string, Words> = {
  en: { login: 'Log in', logout: 'Log out', pause: 'Pause', listen: 'Listen', whisper: 'Whisper', barge: 'Barge in', override: (s) => `Close ${s}` },
  de: { login: 'Anmelden', logout: 'Abmelden', pause: 'Pause', listen: 'Mithören', whisper: 'Flüstern', barge: 'Aufschalten', override: (s) => `${s} schließen` },
  pl: { login: 'Zaloguj', logout: 'Wyloguj', pause: 'Przerwa', listen: 'Odsłuch', whisper: 'Podpowiedź', barge: 'Wejdź', override: (s) => `Zamknij ${s}` },
  ru: { login: 'Вход', logout: 'Выход', pause: 'Пауза', listen: 'Прослушка', whisper: 'Суфлёр', barge: 'Вмешаться', override: (s) => `Закрыть ${s}` },
};

/** Key labels in the user's language (English when callplan has none for it). */
export function labels(language: string): Words {
  return LABELS[language] ?? LABELS[language.slice(0, 2)] ?? LABELS.en!;
}

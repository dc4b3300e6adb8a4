import { matchesPattern } from '../model/dial-pattern.js';
import type { IvrMenu, Model, OpenSites, Queue, Target, User } from '../model/types.js';
import { trunkOrder } from '../targets/asterisk/dialplan/outbound.js';
import { formatLocal, siteState } from './site-state.js';

/** A call to follow through the model. */
export interface Call {
  /** The number dialled: a DID, an internal extension or an outside number. */
  to: string;
  /** A user's extension (an internal caller), or an outside number / nothing (a caller from a trunk). */
  from?: string;
  at: Date;
  /** Digits the caller presses, one per menu prompt, in order. */
  digits?: string;
  /** Users (extensions) who do not answer. */
  noAnswer?: readonly string[];
  /** Sites a supervisor forced open or closed. */
  overrides?: Readonly<Record<string, 'open' | 'closed'>>;
}

export type Outcome =
  | { kind: 'answered'; by: string }
  | { kind: 'voicemail'; box: string }
  | { kind: 'conference'; room: string }
  | { kind: 'waiting'; queue: string }
  | { kind: 'outbound'; number: string; route: string; trunks: string[] }
  | { kind: 'hangup'; reason: string }
  | { kind: 'refused'; reason: string };

export interface Trace {
  /** What happens, step by step, in words. */
  steps: string[];
  /** Every place the call passes, as typed references (ivr:main, queue:payments, user:1001 ...). */
  reached: string[];
  outcome: Outcome;
}

/** Guards against a loop the validator would refuse anyway; a real call never takes this many steps. */
const MAX_STEPS = 200;

/**
 * The path a call takes, with exactly the meaning the Asterisk target compiles (site state,
 * follow the sun, IVR retries, queue tiers, no-answer steps, trunk order). Pure.
 */
export function trace(model: Model, call: Call): Trace {
  return new Walk(model, call).start();
}

/**
 * Where a call already at `target` goes on (a menu option, an overflow, a no-answer step ...):
 * the same walk from the middle, for analyses of single places.
 */
export function traceFrom(model: Model, target: Target, call: Omit<Call, 'to'>): Trace {
  return new Walk(model, { ...call, to: '' }).startAt(target);
}

/**
 * Overrides the dialplan cannot honour: of sites that do not exist, or that have no supervisor
 * override (the generated site context reads the override only with `override: true`).
 */
export function overrideProblems(model: Model, overrides: Readonly<Record<string, 'open' | 'closed'>> = {}): string[] {
  return Object.keys(overrides).flatMap((name) => {
    const site = model.sites.find((s) => s.name === name);
    if (!site) return [`override of ${name}: there is no site ${name}`];
    return site.override ? [] : [`override of ${name}: the site has no supervisor override (add override: true to site ${name})`];
  });
}

const userIndex = new WeakMap<Model, Map<string, User>>();

/** Users by extension, built once per model: a trace is one call, a benchmark or a grid is thousands. */
function usersOf(model: Model): Map<string, User> {
  let index = userIndex.get(model);
  if (!index) userIndex.set(model, (index = new Map(model.users.map((u) => [u.extension, u]))));
  return index;
}

class Walk {
  private readonly steps: string[] = [];
  private readonly reached: string[] = [];
  private readonly digits: string[];
  private readonly noAnswer: Set<string>;
  private readonly users: Map<string, User>;

  constructor(
    private readonly model: Model,
    private readonly call: Call,
  ) {
    this.digits = [...(call.digits ?? '')];
    this.noAnswer = new Set(call.noAnswer ?? []);
    this.users = usersOf(model);
  }

  start(): Trace {
    const outcome = this.entry();
    return { steps: this.steps, reached: this.reached, outcome };
  }

  startAt(target: Target): Trace {
    const outcome = this.go(target);
    return { steps: this.steps, reached: this.reached, outcome };
  }

  private say(text: string): void {
    if (this.steps.length > MAX_STEPS) throw new Error('trace: the call goes round in a loop');
    this.steps.push(text);
  }

  private reach(ref: string): void {
    this.reached.push(ref);
  }

  private entry(): Outcome {
    const { to, from } = this.call;
    const caller = from === undefined ? undefined : this.users.get(from);
    if (caller) return this.fromUser(caller, to);
    const route = this.model.inbound.find((r) => r.dids.some((d) => d.replace(/^\+/, '') === to.replace(/^\+/, '')));
    if (!route) {
      this.say(`${to} is not one of the project's numbers: a carrier's call to it is refused`);
      return { kind: 'refused', reason: 'not a DID of this project' };
    }
    this.say(`inbound route "${route.name}" (${route.dids.join(', ')})`);
    return route.route.kind === 'direct' ? this.go(route.route.to) : this.followTheSun(route.route);
  }

  private fromUser(caller: User, to: string): Outcome {
    this.say(`from user ${caller.extension} (${caller.name}), permission class ${caller.outboundClass ?? '(none)'}`);
    const user = this.users.get(to);
    if (user) return this.go({ kind: 'user', id: user.extension });
    const queue = this.model.queues.find((q) => q.extension === to);
    if (queue) return this.go({ kind: 'queue', id: queue.name });
    const room = this.model.conferences.find((c) => c.extension === to);
    if (room) return this.go({ kind: 'conference', id: room.name });
    // As the class context includes them: the routes the class grants, emergency routes included, in name order.
    const granted = caller.outboundClass === undefined
      ? this.model.outbound.routes.filter((r) => r.emergency).map((r) => r.name)
      : (this.model.outbound.classes.find((c) => c.name === caller.outboundClass)?.routes ?? []);
    for (const name of granted) {
      const route = this.model.outbound.routes.find((r) => r.name === name)!;
      const pattern = route.patterns.find((p) => matchesPattern(p, to));
      if (pattern) return this.dialOut(to, route.name, pattern);
    }
    this.say(`${to} matches no route that class ${caller.outboundClass ?? '(none)'} may use: refused`);
    return { kind: 'refused', reason: `not permitted for class ${caller.outboundClass ?? '(none)'}` };
  }

  private dialOut(number: string, routeName: string, pattern: string): Outcome {
    const route = this.model.outbound.routes.find((r) => r.name === routeName)!;
    const trunks = trunkOrder(route, new Map(this.model.trunks.map((t) => [t.name, t])), pattern).map((t) => t.name);
    const sent = route.prepend + number.slice(route.strip);
    this.say(`outbound route ${route.name} (${pattern}): ${sent} through ${trunks.join(', then ')} (next trunk on congestion or 503)`);
    this.reach(`route:${route.name}`);
    return { kind: 'outbound', number: sent, route: route.name, trunks };
  }

  private followTheSun(sites: OpenSites): Outcome {
    let first: 'open' | 'closed' | 'holiday' | undefined;
    for (const entry of sites.open) {
      const site = this.model.sites.find((s) => s.name === entry.site)!;
      // As compiled: only a site with override: true reads the supervisor's override.
      const override = site.override ? this.call.overrides?.[site.name] : undefined;
      const { state, local, holiday } = siteState(site, this.call.at, override);
      first ??= state;
      this.say(`site ${site.name}: ${state}${holiday?.name ? ` (${holiday.name})` : ''} at ${formatLocal(local)} ${site.timezone}${override ? ' (supervisor override)' : ''}`);
      if (state === 'open') return this.go(entry.to);
    }
    if (first === 'holiday') {
      this.say('first site on holiday: holiday branch');
      return this.go(sites.holiday);
    }
    this.say('no site open: closed branch');
    return this.go(sites.closed);
  }

  private go(target: Target): Outcome {
    switch (target.kind) {
      case 'hangup':
        this.say('hang up');
        return { kind: 'hangup', reason: 'hangup' };
      case 'user':
        return this.ringUser(this.users.get(target.id)!);
      case 'voicemail':
        this.reach(`voicemail:${target.id}`);
        this.say(`voicemail of ${target.id}`);
        return { kind: 'voicemail', box: target.id };
      case 'queue':
        return this.queue(this.model.queues.find((q) => q.name === target.id)!);
      case 'ivr':
        return this.menu(this.model.ivr.find((m) => m.name === target.id)!);
      case 'group': {
        this.reach(`group:${target.id}`);
        const group = this.model.groups.find((g) => g.name === target.id)!;
        this.say(`ring group ${group.name} for ${group.ringTimeout} s`);
        const answerer = group.members.find((ext) => this.answers(ext));
        if (answerer) return this.answered(answerer);
        return { kind: 'hangup', reason: `nobody in group ${group.name} answered` };
      }
      case 'conference':
        this.reach(`conference:${target.id}`);
        this.say(`conference room ${target.id}`);
        return { kind: 'conference', room: target.id };
      case 'announcement': {
        this.reach(`announcement:${target.id}`);
        const a = this.model.announcements.find((x) => x.name === target.id)!;
        this.say(`announcement ${a.name}: plays ${a.prompt}`);
        return this.go(a.then);
      }
      case 'site-router': {
        this.reach(`site-router:${target.id}`);
        this.say(`site router ${target.id}`);
        return this.followTheSun(this.model.siteRouters.find((r) => r.name === target.id)!);
      }
      case 'external': {
        this.reach(`external:${target.id}`);
        const route = this.model.outbound.routes.find((r) => r.patterns.some((p) => matchesPattern(p, target.id)));
        if (!route) return { kind: 'hangup', reason: `no outbound route matches ${target.id}` };
        return this.dialOut(target.id, route.name, route.patterns.find((p) => matchesPattern(p, target.id))!);
      }
    }
  }

  /** A user who has a device and is not listed as not answering picks up. */
  private answers(extension: string): boolean {
    return !this.noAnswer.has(extension) && (this.users.get(extension)?.devices.length ?? 0) > 0;
  }

  private answered(extension: string): Outcome {
    this.reach(`user:${extension}`);
    this.say(`answered by ${extension} (${this.users.get(extension)!.name})`);
    return { kind: 'answered', by: extension };
  }

  private ringUser(user: User): Outcome {
    this.reach(`user:${user.extension}`);
    const rule = user.noAnswer;
    this.say(`ring user ${user.extension} (${user.name})${rule ? ` for ${rule.after} s` : ''}`);
    if (this.answers(user.extension)) return this.answered(user.extension);
    if (!rule) {
      const reason = user.devices.length === 0 ? `${user.extension} has no device to ring and nowhere to forward` : `${user.extension} rings until the caller hangs up`;
      return { kind: 'hangup', reason };
    }
    for (const step of rule.then) {
      this.say(`no answer: ${step.via ?? step.kind}`);
      if (step.kind === 'user') {
        this.reach(`user:${step.id}`);
        this.say(`ring ${step.id} (${this.users.get(step.id)!.name}) for ${rule.after} s`);
        if (this.answers(step.id)) return this.answered(step.id);
      } else if (step.kind === 'group') {
        const colleagues = this.model.groups.find((g) => g.name === step.id)!.members.filter((m) => m !== user.extension);
        this.say(`ring group ${step.id} (${colleagues.join(', ')}) for ${rule.after} s`);
        const answerer = colleagues.find((ext) => this.answers(ext));
        if (answerer) return this.answered(answerer);
      } else {
        return this.go(step);
      }
    }
    this.say('no step left: hang up');
    return { kind: 'hangup', reason: 'no-answer steps exhausted' };
  }

  private queue(q: Queue): Outcome {
    this.reach(`queue:${q.name}`);
    const primary = q.members.filter((m) => m.tier === 'primary').map((m) => m.extension);
    const backup = q.members.filter((m) => m.tier === 'backup').map((m) => m.extension);
    this.say(`queue ${q.name}: primary ${primary.join(', ') || '(none)'}${backup.length ? `; backup ${backup.join(', ')} after ${q.backupAfter} s` : ''}`);
    // Backups ring only if the caller is still waiting when backup_after comes.
    const backupsRing = q.maxWait === undefined || q.backupAfter < q.maxWait;
    const first = primary.find((ext) => this.answers(ext)) ?? (backupsRing ? backup.find((ext) => this.answers(ext)) : undefined);
    if (first) return this.answered(first);
    if (q.maxWait === undefined) {
      this.say(`nobody answers: the caller waits in ${q.name}`);
      return { kind: 'waiting', queue: q.name };
    }
    this.say(`nobody answers within ${q.maxWait} s: overflow`);
    return this.go(q.overflow ?? { kind: 'hangup' });
  }

  private menu(m: IvrMenu): Outcome {
    this.reach(`ivr:${m.name}`);
    let tries = 0;
    for (;;) {
      this.say(`IVR menu ${m.name}: plays ${m.prompt}, waits ${m.timeout} s for a digit`);
      const digit = this.digits.shift();
      if (digit === undefined) {
        this.say('no digit');
        if (++tries > m.retries) return this.go(m.onTimeout);
        continue;
      }
      const option = m.options.find((o) => o.digit === digit);
      if (!option) {
        this.say(`${digit}: not an option`);
        if (++tries > m.retries) return this.go(m.onInvalid);
        continue;
      }
      this.say(`pressed ${digit}`);
      if (option.to.kind === 'repeat') continue;
      return this.go(option.to);
    }
  }
}

import { ASTERISK_ORDER, asteriskEffects } from './asterisk.js';
import type { Effect } from './effect.js';
import { KAMAILIO_ORDER, kamailioEffects } from './kamailio.js';
import { phoneResyncs } from './phones.js';
import { archiveEffects, dialerEffects, systemdRank } from './systemd.js';
import type { FileChange, NodeReloads, Reload, ReloadPlan } from './types.js';

export type * from './types.js';
export { DIALER_UNIT } from './systemd.js';

export interface PlanReloadsOptions {
  /** The node a build without an edge is for (its `asterisk/`, `dialer/`, `archive/`). Default "pbx". */
  singleNode?: string;
  /** Where the top-level `dialer/` and `archive/` go. Default: every node with `asterisk/` files in `after`, else `singleNode`. */
  pbxHosts?: readonly string[];
  /** The whole new build, to tell which phones a shared SNOM file concerns, and which nodes run Asterisk. */
  after?: ReadonlyMap<string, string>;
}

export const SINGLE_NODE = 'pbx';

/**
 * Changed build files → the least each server needs to take them: reloads in the order to run
 * them, a restart where a change cannot be applied live, the SNOM phones to resync. Pure.
 *
 * Paths are those of the build (docs/plan.md): `asterisk/…` (one node), `nodes/<node>/asterisk/…`,
 * `nodes/<edge>/kamailio/…`, `dialer/…` or `nodes/<node>/dialer/…`, `archive/…`, `snom/…`,
 * `provisioning/…`, `model.json`. Contents are read where a file's parts need different reloads
 * (pjsip.conf, queues.conf, kamailio.cfg); a change without contents gets the safe answer.
 */
export function planReloads(changes: readonly FileChange[], options: PlanReloadsOptions = {}): ReloadPlan {
  const single = options.singleNode ?? SINGLE_NODE;
  const pbxHosts = options.pbxHosts ?? asteriskHosts(options.after, single);
  const effects = new Map<string, Effect[]>();
  const elsewhere: ReloadPlan['elsewhere'] = [];
  const on = (node: string, list: Effect[]) => effects.set(node, [...(effects.get(node) ?? []), ...list]);

  for (const c of changes) {
    if (c.before !== undefined && c.after !== undefined && c.before === c.after) continue;
    const parts = c.path.split('/');
    const [node, tree, rest] = parts[0] === 'nodes' ? [parts[1]!, parts[2], parts.slice(3).join('/')] : [undefined, parts[0], parts.slice(1).join('/')];
    if (tree === 'asterisk') on(node ?? single, asteriskEffects(rest, c.path, c.before, c.after));
    else if (tree === 'kamailio' && node) on(node, kamailioEffects(rest, c.path, c.before, c.after));
    else if (tree === 'dialer') for (const host of node ? [node] : pbxHosts) on(host, dialerEffects(rest, c.path));
    else if (tree === 'archive' && !node) for (const host of pbxHosts) on(host, archiveEffects(rest, c.path));
    else if (tree === 'provisioning' && !node) elsewhere.push({ path: c.path, why: parts[1] === 'dhcp' ? "the site's DHCP server (docs/provisioning.md)" : 'the nginx in front of provision serve (docs/provisioning.md)' });
    else if ((tree === 'snom' || tree === 'model.json') && !node) {
      // snom/: published, then the phones are resynced (below). model.json: a record of what was built, read by nothing.
    } else on(node ?? single, [{ kind: 'restart', service: 'asterisk', why: `${c.path}: not a file callplan builds, so only a restart is sure to apply it` }]);
  }

  const nodes: Record<string, NodeReloads> = {};
  for (const [node, list] of [...effects].sort(([a], [b]) => (a < b ? -1 : 1))) nodes[node] = merge(list);
  const { phones, all } = phoneResyncs(changes, options.after);
  return { nodes, phones, ...(all ? { allPhones: all } : {}), elsewhere };
}

/** One node's effects → its reloads (each command once, reasons gathered, in a safe order) and restart. */
function merge(list: Effect[]): NodeReloads {
  const restartWhy = list.filter((e) => e.kind === 'restart').map((e) => e.why);
  const restartService = list.find((e) => e.kind === 'restart')?.service;
  const byCommand = new Map<string, Reload>();
  for (const e of list) {
    if (e.kind !== 'reload') continue;
    // A restart reads every file of its program: no reload of that program is needed then.
    if (restartService && e.service === restartService) continue;
    const key = `${e.service}|${e.command}`;
    const seen = byCommand.get(key);
    if (seen) {
      if (!seen.why.includes(e.why)) seen.why.push(e.why);
    } else byCommand.set(key, { service: e.service, command: e.command, why: [e.why] });
  }
  // `queue reload all` takes in the rules too, and does parameters and members in one read.
  if (byCommand.has('asterisk|queue reload all')) {
    const all = byCommand.get('asterisk|queue reload all')!;
    for (const part of ['rules', 'parameters', 'members']) {
      const key = `asterisk|queue reload ${part}`;
      const reload = byCommand.get(key);
      if (reload) {
        all.why.push(...reload.why);
        byCommand.delete(key);
      }
    }
  }
  const reloads = [...byCommand.values()].sort((a, b) => rank(a) - rank(b));
  const unaffected = list.flatMap((e) => (e.kind === 'none' ? [{ path: e.path, why: e.why }] : []));
  return { reloads, ...(restartService ? { restart: { service: restartService, why: restartWhy } } : {}), unaffected };
}

const SERVICE_RANK = { asterisk: 0, kamailio: 0, systemd: 1 } as const;

/** Asterisk and Kamailio first (in their own orders), then systemd (daemon-reload before restarts). */
function rank(r: Reload): number {
  const order = r.service === 'asterisk' ? ASTERISK_ORDER : r.service === 'kamailio' ? KAMAILIO_ORDER : [];
  const within = r.service === 'systemd' ? systemdRank(r.command) : order.indexOf(r.command);
  return SERVICE_RANK[r.service] * 1000 + (within < 0 ? 500 : within);
}

function asteriskHosts(after: ReadonlyMap<string, string> | undefined, single: string): string[] {
  const hosts = new Set<string>();
  for (const path of after?.keys() ?? []) {
    const m = /^nodes\/([^/]+)\/asterisk\//.exec(path);
    if (m) hosts.add(m[1]!);
  }
  return hosts.size > 0 ? [...hosts].sort() : [single];
}

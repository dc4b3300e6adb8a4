import type { CheckOptions, Step } from './apply.js';
import { DeployRefused, kindOf, lastApplied, rollBack, type DeployOutcome } from './deploy.js';
import { checkedFiles, type NodeKind } from './node-kind.js';
import { noDrift, type NodeHost } from './node-host.js';
import { changedFiles } from './release.js';
import type { ReloadChange } from './reloads.js';

export interface RollbackOptions {
  node: string;
  /** A release on the host; default: the one applied before the running one. */
  to?: string;
  by: string;
  allowRestart?: boolean;
  lockTimeoutMs?: number;
  restartTimeoutMs?: number;
  now?: () => Date;
  step?: Step;
  check?: CheckOptions;
  /** What the node runs: Asterisk (the default) or the Kamailio edge (edge-kind.ts). */
  kind?: NodeKind;
}

/** The release applied before `applied`, still on the host. */
export function previousRelease(history: readonly { release: string; result: string }[], applied: string | undefined, present: readonly string[]): string | undefined {
  for (const h of [...history].reverse()) if (h.result === 'applied' && h.release !== applied && present.includes(h.release)) return h.release;
  return undefined;
}

/** Switches a node back to an earlier release on it, with the same reloads and checks as a deploy. */
export async function rollbackNode(host: NodeHost, o: RollbackOptions): Promise<DeployOutcome> {
  const step: Step = o.step ?? (() => undefined);
  const now = o.now ?? (() => new Date());
  step('lock');
  const lock = await host.lock({ timeoutMs: o.lockTimeoutMs ?? 60_000, owner: `${o.by} (rollback) since ${now().toISOString()}` });
  try {
    step('inspect');
    const state = await host.state();
    const applied = lastApplied(state.history) ?? state.current;
    const target = o.to ?? previousRelease(state.history, applied, state.releases);
    if (target === undefined) throw new DeployRefused('no-previous', `node ${o.node}: no earlier release to roll back to`, 'callplan status lists the releases on the node; name one with --to.');
    if (!state.releases.includes(target)) throw new DeployRefused('no-previous', `node ${o.node}: no release ${target} on the host (there: ${state.releases.join(', ') || 'none'})`, 'Name one of the releases callplan status lists, or deploy that revision of the project again.');
    const drift = await host.drift(target);
    if (!noDrift(drift)) throw new DeployRefused('drift', `node ${o.node}: release ${target} was changed on the host by hand (${[...drift.changed, ...drift.missing, ...drift.extra].join(', ')})`, 'Deploy the project revision you want instead: it uploads a whole release.');
    const manifest = (await host.manifest(target))!;
    if (applied === target && state.current === target) return { node: o.node, status: 'unchanged', release: target, bytesSent: host.bytesSent };
    const from = applied !== undefined ? await host.manifest(applied) : undefined;
    const changed = changedFiles(from, manifest);
    const kind = kindOf(o);
    const conf = changed.filter((c) => kind.readsBefore(c.path)).map((c) => c.path);
    const before = applied !== undefined && from ? await host.readFiles(applied, conf.filter((p) => p in from.files)) : new Map<string, string>();
    const after = await host.readFiles(target, conf.filter((p) => p in manifest.files));
    const changes: ReloadChange[] = changed.map((c) => {
      const rc: ReloadChange = { path: c.path, kind: c.kind };
      const b = before.get(c.path);
      const a = after.get(c.path);
      if (b !== undefined) rc.before = b;
      if (a !== undefined && (c.kind === 'added' || b !== undefined)) rc.after = a;
      return rc;
    });
    const reloads = kind.planReloads(changes, after);
    if (reloads.restart.length > 0 && !o.allowRestart) throw new DeployRefused('restart', `node ${o.node}: going back to ${target} needs a restart of ${kind.program}: ${reloads.restart.join('; ')}`, 'Roll back with --allow-restart.');
    const files = await checkedFiles(kind, host, target, manifest.files);
    let notInstalled: string[] = [];
    let problems: string[];
    try {
      const done = await kind.apply(host, target, Object.keys(manifest.files), reloads, step);
      notInstalled = done.notInstalled;
      step('check');
      problems = await kind.check(host, files, done);
    } catch (e) {
      problems = [(e as Error).message];
    }
    const deployLike = { node: o.node, files: new Map<string, string>(), by: o.by, step, now, kind, ...(o.check && { check: o.check }) };
    if (problems.length > 0) return await rollBack(host, deployLike, manifest, applied, reloads, problems);
    step('record');
    await host.record({ at: now().toISOString(), action: 'rollback', release: target, result: 'applied', by: o.by, ...(manifest.revision !== undefined && { revision: manifest.revision }) });
    return {
      node: o.node,
      status: 'deployed',
      release: target,
      ...(applied !== undefined && { previous: applied }),
      changes: changedFiles(from, manifest),
      reloads,
      restarted: reloads.restart.length > 0,
      unitsNotInstalled: notInstalled,
      bytesSent: host.bytesSent,
      resynced: [],
    };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

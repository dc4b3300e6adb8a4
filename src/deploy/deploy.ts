import type { ProvisionedPhone } from '../provision/phones.js';
import type { ResyncOutcome } from '../provision/resync.js';
import type { FileTree } from '../targets/target.js';
import { healthProblems, releaseFiles, switchAndReload, type CheckOptions, type Step } from './apply.js';
import { noDrift, type Drift, type HistoryEntry, type HostState, type NodeHost } from './node-host.js';
import { changedFiles, makeManifest, type FileChange, type Manifest } from './release.js';
import { planReloads, type ReloadChange, type ReloadPlan } from './reloads.js';

/**
 * Deploying one node, as a sequence of steps on a NodeHost. Whatever step the process dies in,
 * the host holds whole releases only (uploads go to a temporary folder, are checked, then
 * renamed; `current` changes by one rename), and Asterisk runs the release it last reloaded:
 * the history says which, so the next deploy reloads what differs from it.
 */
export interface DeployOptions {
  node: string;
  /** The node's files (release.ts nodeFiles). */
  files: FileTree;
  revision?: string;
  by: string;
  allowRestart?: boolean;
  /** Overwrite files changed by hand on the host. */
  force?: boolean;
  lockTimeoutMs?: number;
  /** Waiting for Asterisk to come back after a restart. */
  restartTimeoutMs?: number;
  /** The project's SNOM phones; those whose files changed are told to resync. */
  phones?: readonly ProvisionedPhone[];
  resync?: (phones: ProvisionedPhone[]) => Promise<ResyncOutcome[]>;
  keepReleases?: number;
  now?: () => Date;
  step?: Step;
  check?: CheckOptions;
}

/** Nothing was changed on the node: why, and what to do. */
export class DeployRefused extends Error {
  constructor(
    readonly reason: 'drift' | 'restart' | 'no-previous',
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

export type DeployOutcome =
  | { node: string; status: 'unchanged'; release: string; bytesSent: number }
  | {
      node: string;
      status: 'deployed';
      release: string;
      previous?: string;
      changes: FileChange[];
      reloads: ReloadPlan;
      restarted: boolean;
      /** The release's systemd units the host has not installed: their restarts were not run. */
      unitsNotInstalled: string[];
      bytesSent: number;
      resynced: ResyncOutcome[];
      forcedOver?: Drift;
    }
  | { node: string; status: 'rolled-back'; release: string; previous: string; problems: string[]; bytesSent: number }
  | { node: string; status: 'rollback-failed'; release: string; previous?: string; problems: string[]; rollbackProblems: string[]; whatToDo: string; bytesSent: number };

export interface Inspection {
  state: HostState;
  /** What Asterisk runs: the last release applied (or `current` on a host without history). */
  applied?: string;
  appliedManifest?: Manifest;
  drift?: Drift;
  target: Manifest;
  changes: FileChange[];
  reloads: ReloadPlan;
}

export const lastApplied = (history: readonly HistoryEntry[]): string | undefined => [...history].reverse().find((h) => h.result === 'applied')?.release;

/** Reads the node's state and works out the change, touching nothing (also `--dry-run`). */
export async function inspect(host: NodeHost, files: FileTree, meta: { node: string; revision?: string; createdAt: Date }): Promise<Inspection> {
  const target = makeManifest(files, meta);
  const state = await host.state();
  const applied = lastApplied(state.history) ?? state.current;
  const appliedManifest = applied !== undefined && state.releases.includes(applied) ? await host.manifest(applied) : undefined;
  const drift = state.current !== undefined && state.releases.includes(state.current) ? await host.drift(state.current) : undefined;
  const changes = changedFiles(appliedManifest, target);
  const read = applied !== undefined && appliedManifest ? changes.filter((c) => c.kind !== 'added' && c.path.startsWith('asterisk/')).map((c) => c.path) : [];
  const before = read.length ? await host.readFiles(applied!, read) : new Map<string, string>();
  const reloadChanges: ReloadChange[] = changes.map((c) => {
    const rc: ReloadChange = { path: c.path, kind: c.kind };
    const b = before.get(c.path);
    if (b !== undefined) rc.before = b;
    if (c.kind !== 'removed' && /^(asterisk|snom)\//.test(c.path)) rc.after = files.get(c.path)!;
    // Without the old contents a configuration file is judged as a whole (the safe answer).
    if (c.kind !== 'added' && b === undefined && c.path.startsWith('asterisk/')) delete rc.after;
    return rc;
  });
  return { state, ...(applied !== undefined && { applied }), ...(appliedManifest && { appliedManifest }), ...(drift && { drift }), target, changes, reloads: planReloads(reloadChanges, files) };
}

export async function deployNode(host: NodeHost, o: DeployOptions): Promise<DeployOutcome> {
  const step: Step = o.step ?? (() => undefined);
  const now = o.now ?? (() => new Date());
  step('lock');
  const lock = await host.lock({ timeoutMs: o.lockTimeoutMs ?? 60_000, owner: `${o.by} since ${now().toISOString()}` });
  try {
    step('inspect');
    const ins = await inspect(host, o.files, { node: o.node, ...(o.revision !== undefined && { revision: o.revision }), createdAt: now() });
    const { state, target, reloads } = ins;
    const drifted = ins.drift && !noDrift(ins.drift) ? ins.drift : undefined;
    if (drifted && !o.force) {
      const list = [...drifted.changed.map((f) => `${f} (changed)`), ...drifted.missing.map((f) => `${f} (missing)`), ...drifted.extra.map((f) => `${f} (not in the release)`)];
      throw new DeployRefused(
        'drift',
        `node ${o.node}: files of the running release ${state.current} were changed on the host by hand: ${list.join(', ')}`,
        'Put the change into the project (then deploy), or deploy with --force to overwrite them; `callplan status` lists them.',
      );
    }
    const current = state.current;
    if (ins.applied === target.release && current === target.release && !drifted) return { node: o.node, status: 'unchanged', release: target.release, bytesSent: host.bytesSent };
    if (reloads.restart.length > 0 && !o.allowRestart) {
      throw new DeployRefused('restart', `node ${o.node}: this change needs an Asterisk restart: ${reloads.restart.join('; ')}`, 'Deploy with --allow-restart: Asterisk then restarts once no call is up (core restart when convenient).');
    }

    // Upload (unless the release is there and intact), check, rename.
    const exists = state.releases.includes(target.release);
    const intact = exists ? noDrift(await host.drift(target.release)) : false;
    if (!intact) {
      const base = current !== undefined && state.releases.includes(current) ? current : undefined;
      const baseManifest = base === undefined ? undefined : base === ins.applied ? ins.appliedManifest : await host.manifest(base);
      const baseDrift = base === current ? ins.drift : undefined;
      const stale = new Set([...(baseDrift?.changed ?? []), ...(baseDrift?.missing ?? [])]);
      const upload = new Map([...o.files].filter(([p]) => exists || !baseManifest || baseManifest.files[p] !== target.files[p] || stale.has(p)));
      step('upload', `${upload.size} of ${o.files.size} files`);
      const tmp = await host.upload({ manifest: target, upload, ...(base !== undefined && baseManifest && !exists && { base }) });
      step('verify', target.release);
      await host.commit(tmp, target.release, { replace: exists });
    }

    // Switch, reload, check; on failure switch back.
    const previous = ins.applied;
    let problems: string[];
    let restarted = false;
    let notInstalled: string[] = [];
    try {
      const switched = await switchAndReload(host, target.release, o.files.keys(), reloads, step);
      const offset = switched.offset;
      notInstalled = switched.notInstalled;
      if (reloads.restart.length > 0) {
        step('restart', reloads.restart.join('; '));
        await restart(host, o.restartTimeoutMs ?? 300_000, o.check?.sleep);
        restarted = true;
      }
      step('check');
      problems = await healthProblems(host, o.files, offset, o.check);
    } catch (e) {
      problems = [(e as Error).message];
    }
    if (problems.length > 0) return await rollBack(host, { ...o, step, now }, target, previous, reloads, problems);

    step('record');
    await host.record({ at: now().toISOString(), action: 'deploy', release: target.release, result: 'applied', ...(o.revision !== undefined && { revision: o.revision }), by: o.by });
    let resynced: ResyncOutcome[] = [];
    const macs = new Set(reloads.phones);
    const phones = (o.phones ?? []).filter((p) => macs.has(p.mac));
    if (phones.length > 0 && o.resync) {
      step('resync', `${phones.length} phone${phones.length === 1 ? '' : 's'}`);
      resynced = await o.resync(phones);
    }
    step('prune');
    await host.prune({ keep: o.keepReleases ?? 5, protect: [target.release, ...(previous ? [previous] : [])] });
    return {
      node: o.node,
      status: 'deployed',
      release: target.release,
      ...(previous !== undefined && { previous }),
      changes: ins.changes,
      reloads,
      restarted,
      unitsNotInstalled: notInstalled,
      bytesSent: host.bytesSent,
      resynced,
      ...(drifted && { forcedOver: drifted }),
    };
  } finally {
    await lock.release().catch(() => undefined);
  }
}

export async function rollBack(
  host: NodeHost,
  o: DeployOptions & { step: Step; now: () => Date },
  target: Manifest,
  previous: string | undefined,
  reloads: ReloadPlan,
  problems: string[],
): Promise<DeployOutcome> {
  const failed: HistoryEntry = { at: o.now().toISOString(), action: 'deploy', release: target.release, result: 'failed', ...(o.revision !== undefined && { revision: o.revision }), by: o.by, reason: problems.slice(0, 3).join('; ') };
  await host.record(failed).catch(() => undefined);
  if (previous === undefined) {
    return {
      node: o.node,
      status: 'rollback-failed',
      release: target.release,
      problems,
      rollbackProblems: ['no earlier release on this node to go back to (first deploy)'],
      whatToDo: `Asterisk on ${o.node} reads release ${target.release}, which failed its checks. Fix the project and deploy again, or point Asterisk's configuration back at the files it used before callplan.`,
      bytesSent: host.bytesSent,
    };
  }
  o.step('rollback', previous);
  let rollbackProblems: string[];
  try {
    const back = await host.manifest(previous);
    const files = back ? await releaseFiles(host, previous, back) : new Map<string, string>();
    const { offset } = await switchAndReload(host, previous, Object.keys(back?.files ?? {}), reloads, o.step);
    if (reloads.restart.length > 0) await restart(host, o.restartTimeoutMs ?? 300_000, o.check?.sleep);
    rollbackProblems = await healthProblems(host, files, offset, o.check);
  } catch (e) {
    rollbackProblems = [(e as Error).message];
  }
  if (rollbackProblems.length === 0) {
    await host.record({ at: o.now().toISOString(), action: 'auto-rollback', release: previous, result: 'applied', by: o.by, reason: `release ${target.release} failed its checks` }).catch(() => undefined);
    return { node: o.node, status: 'rolled-back', release: target.release, previous, problems, bytesSent: host.bytesSent };
  }
  return {
    node: o.node,
    status: 'rollback-failed',
    release: target.release,
    previous,
    problems,
    rollbackProblems,
    whatToDo: `Check Asterisk on ${o.node} now (asterisk -rx 'core show channels', its log). To go back by hand: callplan rollback --node ${o.node} --to ${previous}; on the host: ln -sfn releases/${previous} current.tmp && mv -T current.tmp current in the release root, then reload (${reloads.commands.join(', ') || 'core reload'}).`,
    bytesSent: host.bytesSent,
  };
}

/** `core restart when convenient` (waits for no calls), then waits until Asterisk answers again with a lower uptime. */
export async function restart(host: NodeHost, timeoutMs: number, sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))): Promise<void> {
  const uptime = async () => Number(/System uptime:\s*(\d+)/.exec(await host.asterisk('core show uptime seconds'))?.[1] ?? NaN);
  const before = await uptime();
  await host.asterisk('core restart when convenient');
  const start = Date.now();
  for (;;) {
    await sleep(500);
    const now = await uptime().catch(() => NaN);
    if (!Number.isNaN(now) && now < before + (Date.now() - start) / 1000 - 1) {
      await host.asterisk('core waitfullybooted');
      return;
    }
    if (Date.now() - start > timeoutMs) throw new Error(`Asterisk did not restart within ${Math.round(timeoutMs / 1000)} s (it waits for calls to end)`);
  }
}

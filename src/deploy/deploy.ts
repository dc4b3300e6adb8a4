import type { ProvisionedPhone } from '../provision/phones.js';
import type { ResyncOutcome } from '../provision/resync.js';
import type { FileTree } from '../targets/target.js';
import { asteriskKind, type CheckOptions, type Step } from './apply.js';
import { noDrift, type Delta, type Drift, type HistoryEntry, type HostState, type NodeHost } from './node-host.js';
import { checkedFiles, type NodeKind } from './node-kind.js';
import { lineDelta } from './delta.js';
import { changedFiles, makeManifest, manifestText, sha256sums, type FileChange, type Manifest } from './release.js';
import type { ReloadChange, ReloadPlan } from './reloads.js';

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
  /** What the node runs: Asterisk (the default) or the Kamailio edge (edge-kind.ts). */
  kind?: NodeKind;
}

/** The kind of node a deploy is for: Asterisk unless the options name another. */
export const kindOf = (o: Pick<DeployOptions, 'kind' | 'restartTimeoutMs' | 'check'>): NodeKind =>
  o.kind ?? asteriskKind({ ...(o.restartTimeoutMs !== undefined && { restartTimeoutMs: o.restartTimeoutMs }), ...(o.check && { check: o.check }) });

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
  /** Old contents of changed files, read from the applied release (those the reload plan reads by parts). */
  before: ReadonlyMap<string, string>;
}

export const lastApplied = (history: readonly HistoryEntry[]): string | undefined => [...history].reverse().find((h) => h.result === 'applied')?.release;

/** Reads the node's state and works out the change, touching nothing (also `--dry-run`). */
export async function inspect(host: NodeHost, files: FileTree, meta: { node: string; revision?: string; createdAt: Date }, kind: Pick<NodeKind, 'readsBefore' | 'planReloads'> = asteriskKind()): Promise<Inspection> {
  const target = makeManifest(files, meta);
  const state = await host.state();
  const applied = lastApplied(state.history) ?? state.current;
  const appliedManifest = applied !== undefined && state.releases.includes(applied) ? await host.manifest(applied) : undefined;
  const drift = state.current !== undefined && state.releases.includes(state.current) ? await host.drift(state.current) : undefined;
  const changes = changedFiles(appliedManifest, target);
  const read = applied !== undefined && appliedManifest ? changes.filter((c) => c.kind !== 'added' && kind.readsBefore(c.path)).map((c) => c.path) : [];
  const before = read.length ? await host.readFiles(applied!, read) : new Map<string, string>();
  const reloadChanges: ReloadChange[] = changes.map((c) => {
    const rc: ReloadChange = { path: c.path, kind: c.kind };
    const b = before.get(c.path);
    if (b !== undefined) rc.before = b;
    if (c.kind !== 'removed' && (kind.readsBefore(c.path) || c.path.startsWith('snom/'))) rc.after = files.get(c.path)!;
    // Without the old contents a file read by parts is judged as a whole (the safe answer).
    if (c.kind !== 'added' && b === undefined && kind.readsBefore(c.path)) delete rc.after;
    return rc;
  });
  return { state, ...(applied !== undefined && { applied }), ...(appliedManifest && { appliedManifest }), ...(drift && { drift }), target, changes, reloads: kind.planReloads(reloadChanges, files), before };
}

export async function deployNode(host: NodeHost, o: DeployOptions): Promise<DeployOutcome> {
  const step: Step = o.step ?? (() => undefined);
  const now = o.now ?? (() => new Date());
  const kind = kindOf(o);
  step('lock');
  const lock = await host.lock({ timeoutMs: o.lockTimeoutMs ?? 60_000, owner: `${o.by} since ${now().toISOString()}` });
  try {
    step('inspect');
    const ins = await inspect(host, o.files, { node: o.node, ...(o.revision !== undefined && { revision: o.revision }), createdAt: now() }, kind);
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
      throw new DeployRefused('restart', `node ${o.node}: this change needs a restart of ${kind.program}: ${reloads.restart.join('; ')}`, kind.restartHint);
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
      // Files whose base copy deploy has read (for the reloads) go as their edits, and so does the manifest.
      const deltas = base !== undefined && base === ins.applied && baseManifest && !exists ? asDeltas(upload, ins.before, stale, baseManifest, target) : new Map<string, Delta>();
      const patched = [...deltas.keys()].filter((p) => !MANIFEST_FILES.includes(p)).length;
      step('upload', `${upload.size + patched} of ${o.files.size} files${patched ? ` (${patched} as their changed lines)` : ''}`);
      const tmp = await host.upload({ manifest: target, upload, ...(base !== undefined && baseManifest && !exists && { base }), deltas });
      step('verify', target.release);
      await host.commit(tmp, target.release, { replace: exists });
    }

    // Switch, reload, check; on failure switch back.
    const previous = ins.applied;
    let problems: string[];
    let restarted = false;
    let notInstalled: string[] = [];
    try {
      const applied = await kind.apply(host, target.release, o.files.keys(), reloads, step);
      ({ notInstalled, restarted } = applied);
      step('check');
      problems = await kind.check(host, new Map(kind.checkedFiles.flatMap((f) => (o.files.has(f) ? [[f, o.files.get(f)!]] : []))), applied);
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
      whatToDo: `${kindOf(o).program} on ${o.node} reads release ${target.release}, which failed its checks. Fix the project and deploy again, or point its configuration back at the files it used before callplan.`,
      bytesSent: host.bytesSent,
    };
  }
  o.step('rollback', previous);
  const kind = kindOf(o);
  let rollbackProblems: string[];
  try {
    const back = await host.manifest(previous);
    const files = back ? await checkedFiles(kind, host, previous, back.files) : new Map<string, string>();
    const applied = await kind.apply(host, previous, Object.keys(back?.files ?? {}), reloads, o.step);
    rollbackProblems = await kind.check(host, files, applied);
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
    whatToDo: `Check ${kind.program} on ${o.node} now (${kind.firstLook}). To go back by hand: callplan rollback --node ${o.node} --to ${previous}; on the host: ln -sfn releases/${previous} current.tmp && mv -T current.tmp current in the release root, then ${reloads.restart.length ? 'restart it' : `reload (${reloads.commands.join(', ') || 'everything'})`}.`,
    bytesSent: host.bytesSent,
  };
}

const MANIFEST_FILES = ['manifest.json', 'SHA256SUMS'];

/**
 * The changed files (taken out of `upload`) and the manifest files worth sending as their edits
 * against the base release: those whose base contents are known and not changed by hand.
 */
function asDeltas(upload: Map<string, string>, before: ReadonlyMap<string, string>, stale: ReadonlySet<string>, base: Manifest, target: Manifest): Map<string, Delta> {
  const out = new Map<string, Delta>();
  const add = (path: string, was: string, now: string) => {
    const script = lineDelta(was, now);
    if (script !== undefined) out.set(path, { script, content: now });
    return script !== undefined;
  };
  for (const [path, content] of upload) {
    const was = before.get(path);
    if (was !== undefined && !stale.has(path) && add(path, was, content)) upload.delete(path);
  }
  add('manifest.json', manifestText(base), manifestText(target));
  add('SHA256SUMS', sha256sums(base), sha256sums(target));
  return out;
}

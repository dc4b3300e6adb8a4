import { checkHealth, errorText, expectations, HEALTH_COMMANDS, HEALTH_KINDS, logErrors, missingObjects, SHOW_ONE, type HealthOutputs } from './health.js';
import type { NodeHost } from './node-host.js';
import type { Applied, NodeKind } from './node-kind.js';
import { planReloads, releaseUnits, type ReloadPlan } from './reloads.js';

/**
 * Making Asterisk run a release that is already on the host: switch `current`, reload what the
 * change needs (or restart), check the node. The Asterisk kind of node (node-kind.ts), shared by
 * deploy, its automatic rollback and `rollback`.
 */
export interface Step {
  (name: StepName, detail?: string): void;
}
export type StepName = 'connect' | 'lock' | 'inspect' | 'upload' | 'verify' | 'switch' | 'reload' | 'restart' | 'check' | 'rollback' | 'record' | 'resync' | 'prune' | 'drain' | 'wait' | 'undrain';

/** The files the health check reads. */
export const CHECKED_FILES = ['asterisk/pjsip.conf', 'asterisk/queues.conf', 'asterisk/extensions.conf'];

export interface CheckOptions {
  /** How long the log must stay still before it is read (Asterisk logs from its own thread). */
  settleMs?: number;
  /** Upper bound on waiting for the log to settle. */
  settleLimitMs?: number;
  /** Parts of ERROR lines that are the host's business (the node's deploy.ignore_errors). */
  ignoreErrors?: readonly string[];
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * How much of the log before the switch counts as what Asterisk logged anyway: a node taking calls
 * logs hundreds of kilobytes a second (at verbose 5), and the errors of its last reload must still
 * be in it. Only ERROR lines leave the host (NodeHost.logErrors).
 */
const BASELINE_BYTES = 64_000_000;

/**
 * Waits until the log stops growing (bounded), then returns the errors logged since `offset` and
 * (in up to 64 MB of log) before it.
 */
export async function settledLog(host: NodeHost, offset: number, o: CheckOptions = {}): Promise<{ before: string; after: string }> {
  const sleep = o.sleep ?? realSleep;
  const step = o.settleMs ?? 300;
  let size = await host.logSize();
  for (let waited = 0; waited < (o.settleLimitMs ?? 3_000); waited += step) {
    await sleep(step);
    const next = await host.logSize();
    if (next === size) break;
    size = next;
  }
  const after = await host.logErrors(offset);
  // A log smaller than the offset was rotated: all of it is new.
  if (size < offset) return { before: '', after };
  return { before: await host.logErrors(Math.max(0, offset - BASELINE_BYTES), offset), after };
}

/** At most this many objects of a kind missing from a listing are looked at one by one; more are missing. */
const SECOND_LOOK = 10;

/**
 * Problems of a node running `files`: ERROR lines logged since `offset` that Asterisk had not
 * logged before the switch (an error it logs at every reload, such as a config file of a module
 * callplan does not configure, is the host's, not the release's), and objects missing.
 */
export async function healthProblems(host: NodeHost, files: ReadonlyMap<string, string>, offset: number, o: CheckOptions = {}): Promise<string[]> {
  const { before, after } = await settledLog(host, offset, o);
  const known = new Set(logErrors(before).map(errorText));
  const ignored = (l: string) => (o.ignoreErrors ?? []).some((part) => l.includes(part));
  const fresh = [...new Set(logErrors(after).filter((l) => !known.has(errorText(l)) && !ignored(l)).map((l) => l.trim()))];
  const problems = fresh.map((l) => `Asterisk logged: ${l}`);
  const outputs = {} as HealthOutputs;
  for (const [kind, command] of Object.entries(HEALTH_COMMANDS) as Array<[keyof HealthOutputs, string]>) outputs[kind] = await host.asterisk(command);
  // A listing of 20,000 contexts can leave one out (taken while a long reload settles, or cut in
  // Asterisk's remote console: bench/results/deploy.md): a few missing are asked for one by one.
  const expected = expectations(files);
  const missing = missingObjects(expected, outputs);
  for (const kind of HEALTH_KINDS) {
    if (missing[kind].length > SECOND_LOOK) continue;
    for (const name of missing[kind]) outputs[kind] += `\n${await host.asterisk(SHOW_ONE[kind](name)).catch(() => '')}`;
  }
  return [...problems, ...checkHealth(expected, outputs)];
}

/**
 * Switches to `release` and runs its reloads: Asterisk's (none when it is to restart), then the
 * systemd ones for the release's units. Returns the log offset from before the switch, and the
 * units the host has not installed (their commands not run).
 */
export async function switchAndReload(host: NodeHost, release: string, files: Iterable<string>, reloads: ReloadPlan, step: Step): Promise<{ offset: number; notInstalled: string[] }> {
  const offset = await host.logSize();
  const commands = reloads.restart.length > 0 ? [] : reloads.commands;
  step('switch', release);
  const all = [...commands, ...reloads.units.map((u) => (u.action === 'restart' ? `systemctl restart ${u.unit}` : 'systemctl daemon-reload'))];
  if (all.length) step('reload', all.join(', '));
  const { notInstalled } = await host.activate(release, { asterisk: commands, ...(reloads.units.length && { systemd: { commands: reloads.units, units: releaseUnits(files) } }) });
  return { offset, notInstalled };
}

/** `core restart when convenient` (waits for no calls), then waits until Asterisk answers again with a lower uptime. */
export async function restart(host: NodeHost, timeoutMs: number, sleep: (ms: number) => Promise<void> = realSleep): Promise<void> {
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

export function asteriskKind(o: { restartTimeoutMs?: number; check?: CheckOptions } = {}): NodeKind {
  return {
    program: 'Asterisk',
    firstLook: "asterisk -rx 'core show channels', its log",
    restartHint: 'Deploy with --allow-restart: Asterisk then restarts once no call is up (core restart when convenient).',
    // Without the old contents a configuration file is judged as a whole (the safe answer).
    readsBefore: (path) => path.startsWith('asterisk/'),
    planReloads,
    async apply(host, release, files, reloads, step): Promise<Applied> {
      const { offset, notInstalled } = await switchAndReload(host, release, files, reloads, step);
      if (reloads.restart.length === 0) return { offset, notInstalled, restarted: false };
      step('restart', `Asterisk once no call is up: ${reloads.restart.join('; ')}`);
      await restart(host, o.restartTimeoutMs ?? 300_000, o.check?.sleep);
      return { offset, notInstalled, restarted: true };
    },
    checkedFiles: CHECKED_FILES,
    check: (host, files, applied) => healthProblems(host, files, applied.offset, o.check),
  };
}

import type { Step } from './apply.js';
import type { NodeHost } from './node-host.js';
import type { ReloadChange, ReloadPlan } from './reloads.js';

/**
 * What differs between deploying an Asterisk node and the Kamailio edge: the files whose old
 * contents the reload plan reads, the reloads, how a switched release is applied (reloads, or a
 * restart), and what the check after it looks at. The rest of a deploy — lock, upload, verify,
 * switch, switch back on failure, history — is the same for both (deploy.ts). asteriskKind is in
 * apply.ts, kamailioKind in edge-kind.ts.
 */
export interface NodeKind {
  /** The program the node runs, for messages ("Asterisk", "Kamailio"). */
  readonly program: string;
  /** Where an operator looks first when the node is in doubt (a command, its log). */
  readonly firstLook: string;
  /** What to do about a change only a restart applies (deploy refuses it without --allow-restart). */
  readonly restartHint: string;
  /** Whether the reload plan needs this changed file's old contents (read from the host). */
  readsBefore(path: string): boolean;
  planReloads(changes: readonly ReloadChange[], after: ReadonlyMap<string, string>): ReloadPlan;
  /** Switches `current` to `release` and applies it: its reloads, or a restart when the plan needs one. */
  apply(host: NodeHost, release: string, files: Iterable<string>, reloads: ReloadPlan, step: Step): Promise<Applied>;
  /** The files of a release the check reads. */
  readonly checkedFiles: readonly string[];
  /** What is wrong with the node now running `files` (those of checkedFiles); empty when healthy. */
  check(host: NodeHost, files: ReadonlyMap<string, string>, applied: Applied): Promise<string[]>;
}

export interface Applied {
  /** Where the program's log stood before the switch: the check reads what was logged after it. */
  offset: number;
  /** The release's systemd units the host has not installed (their commands not run). */
  notInstalled: string[];
  restarted: boolean;
}

/** The files of `release` the check reads, from the host. */
export async function checkedFiles(kind: NodeKind, host: NodeHost, release: string, present: Record<string, string>): Promise<Map<string, string>> {
  return host.readFiles(release, kind.checkedFiles.filter((f) => f in present));
}

import type { UnitCommand } from './reloads.js';
import type { Manifest } from './release.js';

/**
 * Everything deploy, rollback and status do on one node, as a small interface: shell-host.ts
 * implements it with commands over SSH, test/helpers/fake-host.ts in memory. Layout on the host,
 * under the node's release root:
 *
 *   releases/<hash>/        one folder per release: the files, manifest.json, SHA256SUMS
 *   releases/.tmp-<hash>-*  a release being uploaded (never read; removed by the next deploy)
 *   current -> releases/<hash>   what Asterisk's configuration reads (switched by one rename)
 *   history.jsonl           one line per deploy or rollback: what Asterisk was made to run
 *   .lock                   flock(1): held by a deploy for as long as its SSH connection lives
 */
export interface HistoryEntry {
  at: string;
  action: 'deploy' | 'rollback' | 'auto-rollback';
  release: string;
  /** applied: Asterisk runs it (reloaded, healthy); failed: switched back from it. */
  result: 'applied' | 'failed';
  revision?: string;
  by?: string;
  reason?: string;
}

export interface HostState {
  /** The release `current` points at. */
  current?: string;
  /** Release folders present (not the temporary ones). */
  releases: string[];
  /** Oldest first. */
  history: HistoryEntry[];
}

export interface Drift {
  /** Files whose content is not what the manifest says. */
  changed: string[];
  missing: string[];
  /** Files the manifest does not list. */
  extra: string[];
}

export const noDrift = (d: Drift): boolean => d.changed.length + d.missing.length + d.extra.length === 0;

/** Another deploy holds the host's lock (and did not let go within the wait). */
export class LockedError extends Error {
  constructor(readonly node: string, readonly holder: string | undefined, waitedMs: number) {
    super(`node ${node} is locked by another deploy${holder ? ` (${holder})` : ''}; waited ${Math.round(waitedMs / 1000)} s`);
  }
}

/** The host answered something deploy cannot go on with (a failed command, a bad release). */
export class HostError extends Error {}

/** A file sent as its edits (delta.ts) against the base release's copy, and what it must come out as. */
export interface Delta {
  script: string;
  content: string;
}

/** What runs on the host right after `current` is switched. */
export interface Activation {
  /** Asterisk CLI commands (reloads), each run once the one before has finished. */
  asterisk?: readonly string[];
  /** Kamailio RPC methods (`dispatcher.reload` …), run with the edge's deploy.kamcmd. */
  kamailio?: readonly string[];
  /** Restart Kamailio with the edge's deploy.restart (instead of its RPCs: a restart reads every file). */
  restartKamailio?: boolean;
  systemd?: { commands: readonly UnitCommand[]; units: readonly string[] };
}

export interface NodeHost {
  readonly name: string;
  readonly bytesSent: number;
  lock(o: { timeoutMs: number; owner: string }): Promise<{ release(): Promise<void> }>;
  state(): Promise<HostState>;
  manifest(release: string): Promise<Manifest | undefined>;
  /** One file of a release (undefined when absent). */
  readFile(release: string, path: string): Promise<string | undefined>;
  /** Several files of a release in one go (those absent are left out). */
  readFiles(release: string, paths: readonly string[]): Promise<Map<string, string>>;
  drift(release: string): Promise<Drift>;
  /**
   * Puts a release on the host under a temporary name: the files of `base` (a release there)
   * copied, then `upload` written over them, `deltas` (path → delta.ts script, against the base's
   * copy; manifest.json and SHA256SUMS may be among them) applied and checked, files the manifest
   * does not list removed, and the manifest. A delta that does not give the file the manifest
   * names is sent again whole. Returns the temporary name.
   */
  upload(o: { manifest: Manifest; upload: ReadonlyMap<string, string>; base?: string; deltas?: ReadonlyMap<string, Delta> }): Promise<string>;
  /**
   * Checks every file of the temporary release against its manifest, then renames it to
   * releases/<hash>; with `replace`, a release folder of that name (found changed by hand) is
   * moved aside first and removed after.
   */
  commit(temporary: string, release: string, o?: { replace?: boolean }): Promise<void>;
  /**
   * Points `current` at a release (one atomic rename of a symlink), then runs what `then` names,
   * in order: the Asterisk reloads, Kamailio's RPCs or its restart, then the systemd commands for
   * the release's units that are installed on the host (`units`: the release's unit files), as
   * one unit on the host: once started it finishes even if deploy's connection is cut, so the
   * node never stays between two releases. Returns the units not installed, whose commands were
   * not run.
   */
  activate(release: string, then: Activation): Promise<{ notInstalled: string[] }>;
  record(entry: HistoryEntry): Promise<void>;
  /** Removes temporary uploads and releases beyond the newest `keep` (never those in `protect`). */
  prune(o: { keep: number; protect: string[] }): Promise<void>;
  /** Runs an Asterisk CLI command; throws when Asterisk cannot be reached. */
  asterisk(command: string): Promise<string>;
  logSize(): Promise<number>;
  /**
   * The ERROR lines of Asterisk's log from byte `from` up to byte `to` (default: its end), or of
   * the whole log when it is smaller than `from` (rotated meanwhile). Filtered on the host: a busy
   * node's log grows by megabytes a minute, and only its errors are checked.
   */
  logErrors(from: number, to?: number): Promise<string>;
  close(): Promise<void>;
}

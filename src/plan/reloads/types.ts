/**
 * What applying a new build needs on each server, as `planReloads` returns it (src/plan/reloads/).
 * `deploy` runs it; `plan` prints it.
 */

/** Which program on the server a command is for, which says how to run it. */
export type ReloadService =
  /** An Asterisk CLI command: `asterisk -rx '<command>'` (or the AMI action Command). */
  | 'asterisk'
  /** A Kamailio RPC method: `kamcmd -s unix:/run/kamailio/kamailio_ctl <command>`. */
  | 'kamailio'
  /** A shell command run as root on the host (systemctl for the dialer daemon and the archive timer). */
  | 'systemd';

export interface Reload {
  service: ReloadService;
  command: string;
  /** Why, one line per changed thing, starting with the file: `asterisk/queues.conf: members of payments changed`. */
  why: string[];
}

export interface Restart {
  service: 'asterisk' | 'kamailio';
  /** What cannot be applied live, one line each. */
  why: string[];
}

export interface NodeReloads {
  /** In the order to run them. Empty when nothing on the node needs one. */
  reloads: Reload[];
  /**
   * Present when a change cannot be applied live. The restart reads every file of that service,
   * so its reloads are left out of `reloads`.
   */
  restart?: Restart;
  /** Changed files that need nothing run: the program reads them again by itself, or they are records only. */
  unaffected: { path: string; why: string }[];
}

export interface PhoneResync {
  /** MAC address as the build names files: 12 upper-case hex digits. */
  mac: string;
  why: string[];
}

export interface ReloadPlan {
  /** By node name (the key `singleNode` for a build without an edge). Nodes without changed files are absent. */
  nodes: Record<string, NodeReloads>;
  /** SNOM phones to send `check-sync` once their files are published (provision resync --mac). */
  phones: PhoneResync[];
  /** Present when a shared SNOM file changed and the full new build was not given to say whose phones it concerns. */
  allPhones?: { why: string[] };
  /** Changed files for servers callplan does not deploy to (DHCP, nginx): installed by hand. */
  elsewhere: { path: string; why: string }[];
}

/** One changed file of the build: `before` absent when the file is new, `after` absent when it is gone. */
export interface FileChange {
  path: string;
  before?: string;
  after?: string;
}

/** Process exit codes, documented in the README (section "Exit codes"); a test keeps the two in step. */
export const EXIT = {
  ok: 0,
  /** The project has errors (or warnings with --strict). */
  invalid: 1,
  /** Bad flags or arguments, or a path that does not exist. */
  usage: 2,
  /** deploy, rollback: a node failed its checks after the switch and was switched back to its previous release. */
  deployRolledBack: 3,
  /** deploy, rollback: a node failed its checks and switching back failed too (the report says what to do). */
  deployNotRolledBack: 4,
  /** import: some rows were skipped (the others were imported, or would be with --dry-run); the report names each. */
  importSkipped: 5,
  /** recordings archive: some selected recordings were not archived and verified (each is named; their local files are kept). */
  archiveIncomplete: 6,
  /** recordings archive: could not run at all (server unreachable, login refused, TLS failure, the folder locked by another run); nothing was touched. */
  archiveNotRun: 7,
  /** provision resync: some chosen phones were not registered, or Asterisk refused their NOTIFY (each is named); the others were notified. */
  resyncIncomplete: 8,
  /** provision resync: Asterisk's manager could not be reached or refused the login; nothing was sent. */
  resyncNotRun: 9,
  /** plan --detailed-exitcode: the build differs from the one compared with (0 then means no changes). */
  planChanges: 10,
  /** deploy, rollback, status, plan against the nodes: a node was not touched (plan: could not be read): its host key refused, unreachable, locked by another deploy, files changed by hand (without --force), a restart needed (without --allow-restart), or the upload failed its checks. */
  deployNotStarted: 11,
  /** dialer load: some rows were skipped (each is named with its line and reasons), the others loaded. */
  loadSkipped: 12,
  /** dialer status / top: the daemon's API could not be reached, or refused the token. */
  apiUnreachable: 13,
  /** dialer run could not start (or stopped): no or a bad campaigns.json, the master secret or the API token not set, its state directory unusable or owned by another live daemon, the API's port taken. */
  dialerNotStarted: 14,
  /** dialer run: Asterisk's manager refused the dialer's login (manager.conf not deployed, or another master secret). */
  dialerLoginRefused: 15,
  /** A bug in callplan itself. */
  internal: 70,
} as const;

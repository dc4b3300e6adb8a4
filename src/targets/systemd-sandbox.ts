/**
 * The sandbox directives every systemd unit callplan writes shares (the dialer daemon, the
 * recordings archive), so a hardening fix lands in all of them. Each unit adds what is its own
 * around these: the paths it may write, the addresses it may reach, RemoveIPC= (not for a unit
 * that runs as Asterisk's user: it would remove Asterisk's IPC objects when the unit stops).
 * `systemd-analyze verify` checks every unit in the tests.
 */

/** The host's kernel, devices, clock, hostname and other users' homes out of reach. */
export const HOST_PROTECTION: readonly string[] = [
  'ProtectHome=yes',
  'PrivateTmp=yes',
  'PrivateDevices=yes',
  'PrivateMounts=yes',
  'ProtectKernelTunables=yes',
  'ProtectKernelModules=yes',
  'ProtectKernelLogs=yes',
  'ProtectControlGroups=yes',
  'ProtectClock=yes',
  'ProtectHostname=yes',
];

/** No new namespaces, realtime scheduling, set-uid files or personality changes. */
export const PROCESS_RESTRICTIONS: readonly string[] = ['RestrictNamespaces=yes', 'RestrictRealtime=yes', 'RestrictSUIDSGID=yes', 'LockPersonality=yes'];

/** No capabilities, and only the system calls a Node.js service makes. */
export const NODE_SYSCALL_FILTER: readonly string[] = [
  'CapabilityBoundingSet=',
  'AmbientCapabilities=',
  'SystemCallArchitectures=native',
  'SystemCallFilter=@system-service',
  'SystemCallFilter=~@privileged @resources',
  'SystemCallErrorNumber=EPERM',
  "# No MemoryDenyWriteExecute=: Node's JIT compiler needs writable executable memory.",
];

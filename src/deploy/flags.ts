import { Flags } from '@oclif/core';

/** Flags deploy, rollback and status share: which nodes, how to reach them. */
export const nodeFlags = {
  node: Flags.string({ description: 'An Asterisk node of the project (repeatable; deploy, rollback and status also take the Kamailio edge). Default: the only Asterisk node.', multiple: true }),
  all: Flags.boolean({ description: 'Every Asterisk node, one at a time (a failure stops the roll), and for deploy, rollback and status the Kamailio edge (deploy: last; rollback: first).', default: false }),
  identity: Flags.string({ char: 'i', description: 'SSH private key file. Default: the ssh-agent at SSH_AUTH_SOCK. Passwords are never used.' }),
  'known-hosts': Flags.string({ description: "known_hosts file for nodes without ssh.host_key in the model. Default: ~/.ssh/known_hosts." }),
  'connect-timeout': Flags.integer({ description: 'Milliseconds to wait for each SSH connection.', default: 15_000, min: 100 }),
};

export const lockFlags = {
  'lock-timeout': Flags.integer({ description: "Seconds to wait for another deploy's lock on a node before giving up (exit 11).", default: 60, min: 0 }),
  'allow-restart': Flags.boolean({ description: 'Allow a change that cannot be reloaded live (a PJSIP transport: Asterisk restarts once no call is up; kamailio.cfg: the edge restarts).', default: false }),
};

/** Deploy behind a Kamailio edge (src/deploy/roll.ts). */
export const drainFlags = {
  'drain-timeout': Flags.integer({
    description: "Behind a Kamailio edge: seconds to wait for a drained node's calls to end before deploying it anyway (reloads drop no call; a restart still waits for the last one).",
    default: 300,
    min: 0,
  }),
  'no-drain': Flags.boolean({ description: 'Behind a Kamailio edge: deploy without taking each node out of rotation first (as without an edge), e.g. when the edge cannot be reached.', default: false }),
};

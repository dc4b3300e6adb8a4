import type { Duplex } from 'node:stream';

/**
 * The thin edge between deploy's logic and a host: run one command (optionally feeding it
 * stdin), get its exit code and output. The SSH transport implements it (ssh.ts); everything
 * deploy does on a host is a command built by shell-node.ts.
 */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Remote {
  /** A one-line description for messages: user@host:port. */
  readonly name: string;
  /** Bytes sent to the host so far (commands and stdin), for reports and the benchmark. */
  readonly bytesSent: number;
  run(command: string, o?: { stdin?: Buffer | string; timeoutMs?: number }): Promise<CommandResult>;
  /**
   * Starts a command that keeps running while the connection is open (the host lock): resolves
   * once its first output line arrives (returned), rejects when it exits first.
   */
  hold(command: string, o: { timeoutMs: number }): Promise<{ firstLine: string; release(): Promise<void> }>;
  /** A TCP connection from the host to host:port there (e.g. Asterisk's manager on its loopback). */
  forward(host: string, port: number): Promise<Duplex>;
  close(): Promise<void>;
}

/** The host could not be reached, refused us, or a command could not be run (not: exited non-zero). */
export class RemoteError extends Error {}

/** Quotes one word for a POSIX shell. */
export function sh(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

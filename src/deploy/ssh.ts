import { readFileSync } from 'node:fs';
import { Client, type ClientChannel } from 'ssh2';
import { verifyHostKey, type HostKeyVerdict } from './host-key.js';
import { RemoteError, type CommandResult, type Remote } from './remote.js';

/** The host showed a key that is not pinned or known: nothing was sent. */
export class HostKeyError extends RemoteError {
  constructor(readonly verdict: Extract<HostKeyVerdict, { ok: false }>) {
    super(verdict.message);
  }
}

export interface SshOptions {
  host: string;
  port: number;
  user: string;
  /** SHA256:… pinned in the model; when set, known_hosts is not consulted. */
  hostKey?: string;
  /** known_hosts file (default ~/.ssh/known_hosts). */
  knownHostsFile?: string;
  /** Private key file; otherwise the agent at SSH_AUTH_SOCK. Never a password. */
  identity?: string;
  agent?: string;
  timeoutMs?: number;
}

/**
 * Connects with ssh2. The host key is judged inside the handshake (hostVerifier), before the
 * client authenticates or opens a channel, so a refused key means nothing at all was sent.
 * Authentication is by key or agent only.
 */
export function connectSsh(o: SshOptions): Promise<Remote> {
  const name = `${o.user}@${o.host}:${o.port}`;
  let knownHosts: string | undefined;
  if (o.hostKey === undefined) {
    const file = o.knownHostsFile ?? `${process.env.HOME ?? ''}/.ssh/known_hosts`;
    try {
      knownHosts = readFileSync(file, 'utf8');
    } catch {
      knownHosts = '';
    }
  }
  let privateKey: Buffer | undefined;
  if (o.identity !== undefined) {
    try {
      privateKey = readFileSync(o.identity);
    } catch (e) {
      return Promise.reject(new RemoteError(`cannot read the SSH key ${o.identity}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
    }
  }
  const agent = o.agent ?? process.env.SSH_AUTH_SOCK;
  if (!privateKey && !agent) return Promise.reject(new RemoteError(`no SSH key for ${name}: give --identity FILE or run an ssh-agent (SSH_AUTH_SOCK)`));

  return new Promise((resolve, reject) => {
    const client = new Client();
    let refused: HostKeyError | undefined;
    let settled = false;
    let sent = 0;
    client.on('error', (e: Error & { level?: string }) => {
      if (settled) return;
      settled = true;
      if (refused) return reject(refused);
      const what = e.level === 'client-authentication' ? `${name} refused our key (${e.message}); is it in the user's authorized_keys?` : `cannot connect to ${name}: ${e.message}`;
      reject(new RemoteError(what));
    });
    client.on('ready', () => {
      settled = true;
      resolve(remote);
    });
    const remote: Remote = {
      name,
      get bytesSent() {
        return sent;
      },
      run(command, ro = {}) {
        return new Promise<CommandResult>((res, rej) => {
          client.exec(command, (err, stream: ClientChannel) => {
            if (err) return rej(new RemoteError(`${name}: cannot run a command: ${err.message}`));
            sent += Buffer.byteLength(command);
            const out: Buffer[] = [];
            const errs: Buffer[] = [];
            let timer: NodeJS.Timeout | undefined;
            if (ro.timeoutMs) timer = setTimeout(() => {
              stream.close();
              rej(new RemoteError(`${name}: no answer within ${ro.timeoutMs} ms to: ${command.slice(0, 120)}`));
            }, ro.timeoutMs);
            stream.on('data', (d: Buffer) => out.push(d));
            stream.stderr.on('data', (d: Buffer) => errs.push(d));
            stream.on('close', (code: number | null) => {
              clearTimeout(timer);
              res({ code: code ?? 255, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(errs).toString('utf8') });
            });
            if (ro.stdin !== undefined) {
              sent += Buffer.byteLength(ro.stdin);
              stream.end(ro.stdin);
            } else stream.end();
          });
        });
      },
      hold(command, ho) {
        return new Promise((res, rej) => {
          client.exec(command, (err, stream: ClientChannel) => {
            if (err) return rej(new RemoteError(`${name}: cannot run a command: ${err.message}`));
            sent += Buffer.byteLength(command);
            let out = '';
            let errText = '';
            let done = false;
            const timer = setTimeout(() => {
              if (done) return;
              done = true;
              stream.close();
              rej(new RemoteError(`${name}: no answer within ${ho.timeoutMs} ms to: ${command.slice(0, 120)}`));
            }, ho.timeoutMs + 5_000);
            stream.stderr.on('data', (d: Buffer) => (errText += d.toString()));
            stream.on('data', (d: Buffer) => {
              out += d.toString();
              const nl = out.indexOf('\n');
              if (nl < 0 || done) return;
              done = true;
              clearTimeout(timer);
              const closed = new Promise<void>((r) => stream.once('close', () => r()));
              res({
                firstLine: out.slice(0, nl),
                release: async () => {
                  stream.end();
                  await Promise.race([closed, new Promise((r) => setTimeout(r, 5_000))]);
                },
              });
            });
            stream.on('close', (code: number | null) => {
              if (done) return;
              done = true;
              clearTimeout(timer);
              rej(Object.assign(new RemoteError(`${name}: ${errText.trim() || out.trim() || `exit code ${code}`}`), { code, output: out + errText }));
            });
          });
        });
      },
      forward: (host, port) =>
        new Promise((res, rej) => {
          client.forwardOut('127.0.0.1', 0, host, port, (err, stream) => (err ? rej(new RemoteError(`${name}: cannot reach ${host}:${port} from the host: ${err.message}`)) : res(stream)));
        }),
      close: () =>
        new Promise<void>((r) => {
          client.once('close', () => r());
          client.end();
          setTimeout(r, 2_000).unref();
        }),
    };
    client.connect({
      host: o.host,
      port: o.port,
      username: o.user,
      ...(privateKey ? { privateKey } : { agent }),
      tryKeyboard: false,
      readyTimeout: o.timeoutMs ?? 15_000,
      hostVerifier: (key: Buffer) => {
        const verdict = verifyHostKey({ host: o.host, port: o.port, key, ...(o.hostKey !== undefined ? { pinned: o.hostKey } : { knownHosts: knownHosts ?? '', knownHostsFile: o.knownHostsFile ?? '~/.ssh/known_hosts' }) });
        if (!verdict.ok) refused = new HostKeyError(verdict);
        return verdict.ok;
      },
    });
  });
}

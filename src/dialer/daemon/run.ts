import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseSecretRef, secretValues } from '../../secrets/refs.js';
import { derivedSecret } from '../../secrets/resolve.js';
import { CAMPAIGNS_FILE, CampaignsFileError, parseCampaignsFile, type CampaignsFile } from '../campaigns-file.js';
import { openDialerState, type DialerState } from '../runtime/open.js';
import { ApiTokenError, loadApiToken } from '../api/auth.js';
import { runtimeBackend } from '../api/runtime-backend.js';
import { DEFAULT_API_PORT, startDialerApi } from '../api/server.js';
import { AmiSession } from './ami-session.js';
import { DialerDaemon } from './daemon.js';

/** The daemon cannot start: no or a bad campaigns.json, the master secret not set, the state unusable. */
export class DaemonSetupError extends Error {}

export interface RunOptions {
  /** A build directory (holding dialer/campaigns.json), or the campaigns.json itself. */
  build: string;
  stateDir: string;
  env: Readonly<Record<string, string | undefined>>;
  /** The YAML secrets file a `${secret:...}` master is read from (default: the one campaigns.json names). */
  secretsFile?: string;
  log(line: string): void;
  /** How often every campaign is decided, ms (default 100). */
  tickMs?: number;
  /** The HTTP API: where it listens (127.0.0.1:8089 by default; port 0 picks a free one), or false for none. */
  api?: { host?: string; port?: number; tokenFile?: string; version?: string } | false;
  /** Manager connection timeouts and backoff, ms (tests shorten them). */
  timeoutMs?: number;
  backoff?: { initialMs: number; maxMs: number };
}

export interface RunningDaemon {
  readonly daemon: DialerDaemon;
  readonly state: DialerState;
  /** Where the API listens, when it does. */
  readonly apiUrl?: string;
  /** Resolves when the daemon stopped: after stop(), or on a fatal error (rejects). */
  readonly done: Promise<void>;
  stop(): Promise<void>;
}

export function readCampaigns(build: string): { file: CampaignsFile; where: string } {
  const where = build.endsWith('.json') ? build : path.join(build, CAMPAIGNS_FILE);
  if (!existsSync(where)) throw new DaemonSetupError(`${where}: no such file; give the directory \`callplan build\` wrote (for a project with campaigns), or the campaigns.json in it`);
  try {
    return { file: parseCampaignsFile(readFileSync(where, 'utf8'), where), where };
  } catch (e) {
    if (e instanceof CampaignsFileError) throw new DaemonSetupError(e.message);
    throw e;
  }
}

/** The manager's secret, derived where the daemon runs from the master secret campaigns.json names (never stored in it). */
export function managerSecret(file: CampaignsFile, env: Readonly<Record<string, string | undefined>>, secretsFile?: string): string {
  const ref = parseSecretRef(file.ami.masterSecret);
  if (!ref) throw new DaemonSetupError(`campaigns.json: ami.masterSecret ${JSON.stringify(file.ami.masterSecret)} is not a secret reference; rebuild it`);
  let values = secretValues(env);
  if (ref.source === 'secret') {
    const f = secretsFile ?? file.ami.secretsFile;
    if (f === undefined || !existsSync(f)) throw new DaemonSetupError(`the master secret is \${secret:${ref.name}}, but the secrets file ${f ?? '(none named)'} is not there; pass --secrets-file`);
    let data: unknown;
    try {
      data = parseYaml(readFileSync(f, 'utf8'));
    } catch {
      throw new DaemonSetupError(`${f}: not YAML (one NAME: value per line)`);
    }
    values = secretValues(env, (data ?? {}) as Record<string, unknown>);
  }
  const master = values.get(ref);
  if (master === undefined || master === '') {
    throw new DaemonSetupError(`${file.ami.masterSecret} (secrets.device_master) is not set: the manager's secret is derived from it${ref.source === 'env' ? ` (systemd: put ${ref.name}=... in /etc/callplan/dialer.env)` : ''}`);
  }
  return derivedSecret(master, file.ami.purpose);
}

/**
 * Starts the daemon: reads campaigns.json, opens the durable state (one runtime per campaign),
 * connects to the manager (reconnecting with backoff), reconciles every unfinished attempt, then
 * decides every `tickMs` and whenever an agent becomes ready. A refused login is fatal (the
 * secret is wrong: retrying cannot help); a lost connection is not.
 */
export async function startDaemon(o: RunOptions): Promise<RunningDaemon> {
  const { file } = readCampaigns(o.build);
  const secret = managerSecret(file, o.env, o.secretsFile);
  let token: string | undefined;
  if (o.api !== false) {
    try {
      token = loadApiToken({ ...o.env } as NodeJS.ProcessEnv, o.api?.tokenFile);
    } catch (e) {
      if (e instanceof ApiTokenError) throw new DaemonSetupError(`${e.message} (the daemon's HTTP API needs it; --no-api runs without the API)`);
      throw e;
    }
  }
  let state: DialerState;
  try {
    state = openDialerState(o.stateDir, file.campaigns.map((c) => c.settings));
  } catch (e) {
    throw new DaemonSetupError(`the dialer's state in ${o.stateDir} cannot be opened: ${(e as Error).message}`);
  }
  let session: AmiSession | undefined;
  const daemon = new DialerDaemon({ file, runtimes: state.runtimes, manager: { get connected() { return session?.connected ?? false; }, action: (f) => session!.action(f), list: (f) => session!.list(f) }, log: o.log });
  let finish!: () => void;
  let fail!: (e: Error) => void;
  const done = new Promise<void>((res, rej) => {
    finish = res;
    fail = rej;
  });
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return done;
    stopped = true;
    daemon.stop();
    clearInterval(timer);
    await api?.close().catch(() => undefined);
    await session?.stop();
    state.close();
    finish();
    return done;
  };
  const fatal = (e: Error) => {
    if (stopped) return;
    void stop().catch(() => undefined);
    fail(e);
  };
  session = new AmiSession({
    host: file.ami.host,
    port: file.ami.port,
    username: file.ami.username,
    secret,
    timeoutMs: o.timeoutMs ?? 5_000,
    ...(o.backoff && { backoff: o.backoff }),
    log: o.log,
    onEvent: (e) => {
      try {
        daemon.onEvent(e);
      } catch (err) {
        fatal(err as Error);
      }
    },
    onConnect: () => daemon.onConnect(),
  });
  let api: { url: string; close(): Promise<void> } | undefined;
  try {
    await session.startOrRefused();
    if (o.api !== false && token !== undefined) {
      const live = {
        agents: () => daemon.agentsLive(),
        callsInProgress: (c: string) => daemon.calls.views(c).length,
        subscribe: (l: Parameters<DialerDaemon['onCallEvent']>[0]) => daemon.onCallEvent(l),
        agentReasons: () => daemon.agentReasons(),
        setAgentState: (agent: string, change: Parameters<DialerDaemon['setAgentState']>[1]) => daemon.setAgentState(agent, change),
      };
      api = await startDialerApi({ backend: runtimeBackend(state, live), token, host: o.api?.host ?? '127.0.0.1', port: o.api?.port ?? DEFAULT_API_PORT, ...(o.api?.version !== undefined && { version: o.api.version }) });
      o.log(`HTTP API on ${api.url} (bearer token required)`);
    }
  } catch (e) {
    await session.stop();
    state.close();
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new DaemonSetupError(`the HTTP API cannot listen: ${(e as Error).message}`);
    throw e;
  }
  timer = setInterval(() => void daemon.tick().catch((e: Error) => fatal(e)), o.tickMs ?? 100);
  o.log(`dialing ${file.campaigns.length} campaign(s) of ${file.project}: ${file.campaigns.map((c) => `${c.name} (${c.settings.mode})`).join(', ')}`);
  return { daemon, state, done, stop, ...(api && { apiUrl: api.url }) };
}


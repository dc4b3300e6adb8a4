import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, normalize } from 'node:path';
import { CHROOT, requireE2ePrerequisites } from './env.js';
import { processAlive, releasePorts, reservePorts } from './ports.js';

/**
 * A real Asterisk (from the chroot test/e2e/install.sh caches) with its own config, run, log,
 * spool and db folders inside the chroot, listening only on 127.0.0.1 ports reserved for it.
 */

export interface AsteriskPorts {
  /** For the caller's PJSIP transport(s): bind=127.0.0.1:<sip>. */
  sip: number;
  /** For a manager.conf the caller may write (bindaddr=127.0.0.1, port=<ami>). */
  ami: number;
  /** For an http.conf the caller may write (bindaddr=127.0.0.1, bindport=<http>). */
  http: number;
  /** RTP range the harness writes to rtp.conf (unless the caller gives its own rtp.conf). */
  rtpStart: number;
  rtpEnd: number;
}

export interface AsteriskContext {
  ports: AsteriskPorts;
  /** Host path of the instance folder. */
  dir: string;
  /** The same folder as Asterisk sees it inside the chroot (for paths written into configs). */
  chrootDir: string;
}

/** Config files by name relative to the config dir (`pjsip.conf`, `extensions.conf`, `sub/x.conf`). */
export type ConfigFiles = Record<string, string>;

export interface AsteriskOptions {
  /** The config files, or a function of the reserved ports and folders returning them. */
  configs: ConfigFiles | ((ctx: AsteriskContext) => ConfigFiles);
  /** A short label for the instance folder (e.g. the test file's name). */
  name?: string;
  /** Modules not to load, in addition to the harness's list. */
  noload?: string[];
  /**
   * Modules that must be running, e.g. ['app_queue.so']: start-up fails with the log's reason when
   * one is not (app_queue, app_amd, app_confbridge decline to load without their config file).
   */
  requireModules?: string[];
  /** Bound on start-up, default 30 s. */
  bootTimeoutMs?: number;
}

export interface Asterisk {
  readonly ports: AsteriskPorts;
  /** Host path of the instance folder: etc/ (configs), log/full, spool/, lib/ (astdb), run/. */
  readonly dir: string;
  readonly chrootDir: string;
  readonly pid: number;
  /** Runs a CLI command (`asterisk -rx`) and returns its output; throws when Asterisk cannot be reached. */
  rx(command: string, timeoutMs?: number): Promise<string>;
  /** The full log so far (notices, warnings, errors, verbose up to 5, DTMF). */
  log(): string;
  /** Waits until the log (from character `from` on) matches, returns the match; bounded. */
  waitForLog(pattern: RegExp | string, options?: { timeoutMs?: number; from?: number }): Promise<RegExpMatchArray>;
  /**
   * Rewrites config files, then reloads them: the given command(s), or for each file the usual one
   * (`module reload pbx_config.so` for extensions.conf, `module reload res_pjsip.so` for pjsip.conf, ...).
   * Returns the commands' output. Reloads can half-apply: check log() for errors after it.
   */
  reload(files: ConfigFiles, command?: string | string[]): Promise<string>;
  /** Stops Asterisk (core stop now, then SIGKILL if needed) and removes its folder; idempotent. */
  stop(): Promise<void>;
}

const INSTANCES = '/run/callplan-e2e';
const PORT_BLOCK = 64; // sip, ami, http, spare, then 60 RTP ports
const HARNESS_FILES = new Set(['asterisk.conf', 'logger.conf']);

/** Slow, noisy, or listening (often on 0.0.0.0) and not needed by callplan's configs. */
const NOLOAD = [
  'chan_iax2.so',
  'pbx_dundi.so',
  'chan_console.so',
  'chan_unistim.so',
  'chan_motif.so',
  'res_xmpp.so',
  'app_jack.so',
  'res_hep.so',
  'res_hep_pjsip.so',
  'res_hep_rtcp.so',
  'res_snmp.so',
  'res_statsd.so',
  'res_stun_monitor.so',
  'res_resolver_unbound.so',
  'res_timing_pthread.so',
  'res_http_websocket.so',
  'res_http_post.so',
  'res_http_media_cache.so',
  'res_pjsip_transport_websocket.so',
  'res_websocket_client.so',
  'chan_websocket.so',
  'res_ari.so',
  'res_ari_applications.so',
  'res_ari_asterisk.so',
  'res_ari_bridges.so',
  'res_ari_channels.so',
  'res_ari_device_states.so',
  'res_ari_endpoints.so',
  'res_ari_events.so',
  'res_ari_model.so',
  'res_ari_playbacks.so',
  'res_ari_recordings.so',
  'res_ari_sounds.so',
  'app_stasis.so', // needs res_ari
  'res_stasis_broadcast.so',
  'app_stasis_broadcast.so',
  'res_prometheus.so',
  'res_phoneprov.so',
  'res_pjsip_phoneprov_provider.so',
  'res_aeap.so',
  'res_speech_aeap.so',
  'res_stir_shaken.so',
  'res_pjsip_stir_shaken.so',
  'res_geolocation.so',
  'res_pjsip_geolocation.so',
  'res_calendar.so',
  'res_calendar_caldav.so',
  'res_calendar_ews.so',
  'res_calendar_exchange.so',
  'res_calendar_icalendar.so',
  'res_config_ldap.so',
  'res_config_pgsql.so',
  'res_config_odbc.so',
  'res_odbc.so',
  'res_odbc_transaction.so',
  'func_odbc.so',
  'app_voicemail_odbc.so',
  'cdr_odbc.so',
  'cdr_adaptive_odbc.so',
  'cdr_pgsql.so',
  'cdr_radius.so',
  'cdr_tds.so',
  'cel_odbc.so',
  'cel_pgsql.so',
  'cel_radius.so',
  'cel_tds.so',
  'res_smdi.so',
  'pbx_lua.so',
];

/** The reload command for a config file, when the caller does not name one. */
const RELOADS: Record<string, string> = {
  'extensions.conf': 'module reload pbx_config.so',
  'pjsip.conf': 'module reload res_pjsip.so',
  'queues.conf': 'module reload app_queue.so',
  'queuerules.conf': 'module reload app_queue.so',
  'musiconhold.conf': 'module reload res_musiconhold.so',
  'manager.conf': 'manager reload',
  'rtp.conf': 'module reload res_rtp_asterisk.so',
  'features.conf': 'module reload features',
  'voicemail.conf': 'module reload app_voicemail.so',
  'amd.conf': 'module reload app_amd.so',
  'confbridge.conf': 'module reload app_confbridge.so',
};

let counter = 0;
const running = new Map<number, ChildProcess>();
process.on('exit', () => {
  for (const child of running.values()) child.kill('SIGKILL');
});

export async function startAsterisk(options: AsteriskOptions): Promise<Asterisk> {
  requireE2ePrerequisites();
  pruneStaleInstances();
  const label = (options.name ?? 'ast').replace(/[^A-Za-z0-9_-]/g, '').slice(0, 24) || 'ast';
  const id = `${label}-${process.pid}-${++counter}`;
  const chrootDir = `${INSTANCES}/${id}`;
  const dir = `${CHROOT}${chrootDir}`;
  const base = await reservePorts(PORT_BLOCK);
  const ports: AsteriskPorts = { sip: base, ami: base + 1, http: base + 2, rtpStart: base + 4, rtpEnd: base + PORT_BLOCK - 1 };
  const conf = `${chrootDir}/etc/asterisk.conf`;
  const logFile = `${dir}/log/full`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let exitInfo: string | undefined;
  let output = '';
  let stopping: Promise<void> | undefined;

  const rx = (command: string, timeoutMs = 10_000): Promise<string> =>
    new Promise((resolve, reject) => {
      execFile(
        'chroot',
        [CHROOT, 'asterisk', '-C', conf, '-rx', command],
        { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          if (error) reject(new Error(`asterisk -rx '${command}' failed: ${error.message}\n${stdout}${stderr}`.trim()));
          else resolve(stdout);
        },
      );
    });

  const log = (): string => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      if (child && exitInfo === undefined) {
        await rx('core stop now', 5_000).catch(() => undefined);
        if (!(await settles(exited, 5_000))) {
          child.kill('SIGKILL');
          await settles(exited, 5_000);
        }
      }
      if (child?.pid) running.delete(child.pid);
      releasePorts(base, PORT_BLOCK);
      if (!process.env.CALLPLAN_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    })());

  try {
    for (const sub of ['etc', 'run', 'log', 'spool', 'lib', 'cache']) mkdirSync(`${dir}/${sub}`, { recursive: true });
    writeFileSync(`${dir}/owner`, `${process.pid}\n`);
    const ctx: AsteriskContext = { ports, dir, chrootDir };
    const files = typeof options.configs === 'function' ? options.configs(ctx) : options.configs;
    const defaults: ConfigFiles = {
      'modules.conf': modulesConf([...NOLOAD, ...(options.noload ?? [])]),
      'rtp.conf': `[general]\nrtpstart=${ports.rtpStart}\nrtpend=${ports.rtpEnd}\n`,
    };
    writeConfigs(dir, { ...defaults, ...files }, true);
    writeConfigs(dir, { 'asterisk.conf': asteriskConf(chrootDir), 'logger.conf': LOGGER_CONF }, false);

    // setpriv: the kernel kills Asterisk if this test process dies without stopping it.
    const proc = spawn('setpriv', ['--pdeathsig', 'KILL', 'chroot', CHROOT, 'asterisk', '-C', conf, '-f', '-n'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', (code, signal) => resolve(void (exitInfo = `exit code ${code}, signal ${signal}`))));
    proc.once('error', (e) => void (exitInfo = `spawn error: ${e.message}`));
    const collect = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
    proc.stdout!.on('data', collect);
    proc.stderr!.on('data', collect);
    if (proc.pid) {
      running.set(proc.pid, proc);
      writeFileSync(`${dir}/owner`, `${process.pid} ${proc.pid}\n`);
    }

    // Ready when the CLI answers `core waitfullybooted`; bounded, polling only until the socket exists.
    const deadline = Date.now() + (options.bootTimeoutMs ?? 30_000);
    for (;;) {
      if (exitInfo !== undefined) throw new Error(`Asterisk exited during start-up (${exitInfo})`);
      if (existsSync(`${dir}/run/asterisk.ctl`)) {
        const left = deadline - Date.now();
        const ok = await rx('core waitfullybooted', Math.max(left, 1_000)).then(
          (out) => /fully booted/i.test(out),
          () => false,
        );
        if (ok) break;
      }
      if (Date.now() > deadline) throw new Error(`Asterisk was not fully booted within ${options.bootTimeoutMs ?? 30_000} ms`);
      await delay(25);
    }
    const missing: string[] = [];
    for (const m of options.requireModules ?? []) {
      const out = await rx(`module show like ${m}`);
      const line = out.split('\n').find((l) => l.startsWith(`${m} `));
      if (!line || !/\s(?<!Not )Running\s/.test(line)) missing.push(m);
    }
    if (missing.length) throw new Error(`modules not running: ${missing.join(', ')} (see the log tail for why)`);
  } catch (e) {
    const tail = log().split('\n').slice(-40).join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n--- Asterisk output ---\n${output}\n--- log tail ---\n${tail}`);
  }

  return {
    ports,
    dir,
    chrootDir,
    pid: child.pid!,
    rx,
    log,
    async waitForLog(pattern, { timeoutMs = 10_000, from = 0 } = {}) {
      const re = typeof pattern === 'string' ? new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : pattern;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = log().slice(from).match(re);
        if (m) return m;
        if (Date.now() > deadline) throw new Error(`Asterisk log did not match ${re} within ${timeoutMs} ms`);
        await delay(50);
      }
    },
    async reload(files, command) {
      writeConfigs(dir, files, true);
      const commands = command === undefined ? [...new Set(Object.keys(files).map((f) => RELOADS[f] ?? 'core reload'))] : [command].flat();
      let out = '';
      for (const c of commands) out += await rx(c, 20_000);
      return out;
    },
    stop,
  };
}

function writeConfigs(dir: string, files: ConfigFiles, fromCaller: boolean): void {
  for (const [name, content] of Object.entries(files)) {
    const rel = normalize(name);
    if (rel.startsWith('/') || rel.startsWith('..')) throw new Error(`config file name must be relative: ${name}`);
    if (fromCaller && HARNESS_FILES.has(rel)) throw new Error(`${rel} is written by the harness; do not pass it`);
    mkdirSync(dirname(`${dir}/etc/${rel}`), { recursive: true });
    writeFileSync(`${dir}/etc/${rel}`, content);
  }
}

function asteriskConf(d: string): string {
  return `[directories]
astetcdir => ${d}/etc
astrundir => ${d}/run
astlogdir => ${d}/log
astspooldir => ${d}/spool
astdbdir => ${d}/lib
astcachedir => ${d}/cache

[options]
runuser = root
rungroup = root
verbose = 5
nocolor = yes
hideconnect = yes
`;
}

const LOGGER_CONF = `[general]
dateformat = %F %T.%3q

[logfiles]
full => notice,warning,error,verbose,dtmf
`;

function modulesConf(noload: string[]): string {
  return `[modules]\nautoload = yes\n${noload.map((m) => `noload => ${m}\n`).join('')}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves true when `p` settles within `ms`, false otherwise. */
function settles(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.then(() => true),
    new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

/** Removes instance folders whose test process died without stopping its Asterisk. */
function pruneStaleInstances(): void {
  const root = `${CHROOT}${INSTANCES}`;
  if (!existsSync(root)) return;
  for (const name of readdirSync(root)) {
    const dir = `${root}/${name}`;
    let owner: number | undefined;
    let pid: number | undefined;
    try {
      [owner, pid] = readFileSync(`${dir}/owner`, 'utf8').trim().split(/\s+/).map(Number);
    } catch {
      continue; // being created right now, or not ours
    }
    if (!owner || processAlive(owner)) continue;
    if (pid && processAlive(pid)) {
      let cmdline = '';
      try {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        // gone
      }
      if (cmdline.includes(`${INSTANCES}/${name}/`)) process.kill(pid, 'SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

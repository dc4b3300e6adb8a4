import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import { DaemonSetupError, startDaemon } from '../../dialer/daemon/run.js';
import { stateDir } from '../../dialer/state/database.js';
import { AmiLoginRefused } from '../../provision/ami.js';

export default class DialerRunCommand extends BaseCommand {
  static override summary = 'Run the pacing dialer: place the campaigns\' calls through Asterisk.';
  static override description = `The long-running daemon beside Asterisk. It reads the campaigns from the build (dialer/campaigns.json, written by \`callplan build\` for a project with campaigns), connects to Asterisk's manager on loopback as the callplan-dialer user (its secret derived from secrets.device_master, which must be set where it runs), reconnecting with backoff, and drives every campaign with the pacing core the simulator measures: every 100 ms and whenever an agent becomes ready it decides, writes each attempt to its state directory, then originates it into the campaign's context. On start it reconciles every attempt a previous run left unfinished from Asterisk's channels and the outcomes its dialplan recorded. SIGTERM (or Ctrl-C) stops placing calls; calls already placed go on in Asterisk and the next start follows them. See docs/dialer.md.

It also serves the HTTP API (tasks, callbacks, pause and resume, statistics, the call-event stream, /metrics, /openapi.json) on 127.0.0.1:8089 with the bearer token from $CALLPLAN_DIALER_API_TOKEN (or --token-file); --no-api runs without it.

Exit codes: 0 stopped by a signal; 14 could not start (no or a bad campaigns.json, the master secret or the API token not set, the state directory unusable, the API port taken); 15 Asterisk's manager refused the login (manager.conf not deployed, or another master secret); 2 usage error.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> build',
    '<%= config.bin %> <%= command.id %> /srv/callplan/build --state /var/lib/callplan-dialer',
    '<%= config.bin %> <%= command.id %> build/nodes/pbx-krk --secrets-file /etc/callplan/secrets.yaml',
  ];
  static override args = {
    path: Args.string({ description: 'The build directory (holding dialer/campaigns.json), or that campaigns.json.', default: '.' }),
  };
  static override flags = {
    state: Flags.string({ description: 'State directory (SQLite). Default: $CALLPLAN_DIALER_STATE, else /var/lib/callplan-dialer.' }),
    'secrets-file': Flags.string({ description: 'The YAML secrets file a ${secret:NAME} master secret is read from (default: the one campaigns.json names).' }),
    tick: Flags.integer({ description: 'Milliseconds between decisions.', default: 100, min: 10, max: 10_000 }),
    'api-host': Flags.string({ description: 'Address the HTTP API listens on (loopback unless you say otherwise).', default: '127.0.0.1' }),
    'api-port': Flags.integer({ description: 'Port of the HTTP API.', default: 8089, min: 0, max: 65535 }),
    'token-file': Flags.string({ description: 'File holding the API bearer token (default: $CALLPLAN_DIALER_API_TOKEN, $CALLPLAN_DIALER_API_TOKEN_FILE, or the systemd credential api-token).' }),
    api: Flags.boolean({ description: 'Serve the HTTP API (tasks, callbacks, pause, statistics, events, /metrics).', default: true, allowNo: true }),
  };

  async run(): Promise<object> {
    const { args, flags } = await this.parse(DialerRunCommand);
    const log = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
    let running;
    try {
      running = await startDaemon({ build: args.path, stateDir: stateDir(flags.state), env: process.env, ...(flags['secrets-file'] && { secretsFile: flags['secrets-file'] }), log, tickMs: flags.tick, api: flags.api ? { host: flags['api-host'], port: flags['api-port'], version: this.config.version, ...(flags['token-file'] && { tokenFile: flags['token-file'] }) } : false });
    } catch (e) {
      if (e instanceof DaemonSetupError) {
        this.logToStderr(`callplan: ${e.message}`);
        return this.exit(EXIT.dialerNotStarted);
      }
      if (e instanceof AmiLoginRefused) {
        this.logToStderr(`callplan: ${e.message}. Deploy the build's manager.conf, and run the dialer with the same secrets.device_master.`);
        return this.exit(EXIT.dialerLoginRefused);
      }
      throw e;
    }
    const stop = (signal: string) => {
      log(`${signal}: no new calls; the calls placed go on in Asterisk`);
      void running.stop();
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
    try {
      await running.done;
    } catch (e) {
      this.logToStderr(`callplan: the dialer stopped: ${(e as Error).message}`);
      return this.exit(EXIT.dialerNotStarted);
    }
    log('stopped');
    return { stopped: true };
  }
}

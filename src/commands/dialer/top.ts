import { Flags } from '@oclif/core';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseCommand, UsageError } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import { ApiTokenError, loadApiToken } from '../../dialer/api/auth.js';
import { apiUrl, ApiUnreachableError, fetchStats } from '../../dialer/status/client.js';
import { formatStats } from '../../dialer/status/render.js';

export default class DialerTopCommand extends BaseCommand {
  static override summary = "The dialer's live state, refreshed: agents and states, calls per campaign, abandon rate against target, dial level.";
  static override description = `Like dialer status, refreshed every --interval seconds until interrupted (Ctrl-C). On a terminal the screen is redrawn in place; otherwise (a pipe, a log) each refresh is printed as plain lines after a time stamp. A refresh that cannot reach the API says so and the view keeps trying.

Exit codes: 0 stopped (Ctrl-C, or after --count refreshes); 13 the first request could not reach the API or the token was refused; 2 usage.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --interval 5', '<%= config.bin %> <%= command.id %> --count 3 > snapshot.txt'];
  static override flags = {
    url: Flags.string({ description: "The dialer API's address (default: $CALLPLAN_DIALER_API_URL, else http://127.0.0.1:8089)." }),
    'token-file': Flags.string({ description: 'File holding the API token (default: $CALLPLAN_DIALER_API_TOKEN, else $CALLPLAN_DIALER_API_TOKEN_FILE).' }),
    interval: Flags.string({ description: 'Seconds between refreshes.', default: '2' }),
    count: Flags.integer({ description: 'Stop after this many refreshes (default: until interrupted).', min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DialerTopCommand);
    const interval = Number(flags.interval);
    if (!Number.isFinite(interval) || interval < 0.2 || interval > 3600) throw new UsageError(`--interval ${flags.interval}: give seconds from 0.2 to 3600`);
    let token: string;
    try {
      token = loadApiToken(process.env, flags['token-file']);
    } catch (e) {
      if (!(e instanceof ApiTokenError)) throw e;
      this.logToStderr(`callplan: ${e.message}`);
      return this.exit(EXIT.apiUnreachable);
    }
    const url = apiUrl(flags.url);
    const tty = process.stdout.isTTY === true;
    let stopped = false;
    const stop = () => (stopped = true);
    process.once('SIGINT', stop);
    try {
      for (let n = 0; !stopped && (flags.count === undefined || n < flags.count); n++) {
        if (n > 0) await sleep(interval * 1000);
        if (stopped) break;
        let body: string;
        try {
          body = formatStats(await fetchStats(url, token));
        } catch (e) {
          if (!(e instanceof ApiUnreachableError)) throw e;
          if (n === 0) {
            this.logToStderr(`callplan: ${e.message}`);
            return this.exit(EXIT.apiUnreachable);
          }
          body = `${e.message}; trying again\n`;
        }
        const stamp = `${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}  ${url}  (every ${interval}s${tty ? ', Ctrl-C to stop' : ''})\n`;
        // A terminal gets the view redrawn in place (cursor home, clear); anything else plain lines.
        process.stdout.write(tty ? `\x1b[H\x1b[2J${stamp}\n${body}` : `${stamp}${body}\n`);
      }
    } finally {
      process.removeListener('SIGINT', stop);
    }
  }
}

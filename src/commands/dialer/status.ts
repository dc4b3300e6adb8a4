import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import type { LiveStats } from '../../dialer/api/backend.js';
import { ApiTokenError, loadApiToken } from '../../dialer/api/auth.js';
import { apiUrl, ApiUnreachableError, fetchStats } from '../../dialer/status/client.js';
import { formatStats } from '../../dialer/status/render.js';

export default class DialerStatusCommand extends BaseCommand {
  static override summary = "The dialer's live state, once: agents, calls per campaign, abandon rate against target, dial level.";
  static override description = `Asks the running dialer daemon's API (GET /v1/stats) and prints agents by state, then per campaign: running or paused, calls up, dial level, answer rate, abandon rate over the regulated window against its target (OVER when above), and contacts; then each agent with state, reason and time in it.

The API is at --url (default $CALLPLAN_DIALER_API_URL, else http://127.0.0.1:8089); its token is read like the daemon reads it: CALLPLAN_DIALER_API_TOKEN, or the file named by CALLPLAN_DIALER_API_TOKEN_FILE or --token-file.

Exit codes: 0 ok; 13 the API could not be reached, or refused the token; 2 usage.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --url http://10.0.0.5:8089 --token-file /etc/callplan/dialer-api-token --format json'];
  static override flags = {
    url: Flags.string({ description: "The dialer API's address (default: $CALLPLAN_DIALER_API_URL, else http://127.0.0.1:8089)." }),
    'token-file': Flags.string({ description: 'File holding the API token (default: $CALLPLAN_DIALER_API_TOKEN, else $CALLPLAN_DIALER_API_TOKEN_FILE).' }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<LiveStats> {
    const { flags } = await this.parse(DialerStatusCommand);
    let stats: LiveStats;
    try {
      stats = await fetchStats(apiUrl(flags.url), loadApiToken(process.env, flags['token-file']));
    } catch (e) {
      if (e instanceof ApiUnreachableError || e instanceof ApiTokenError) {
        this.logToStderr(`callplan: ${e.message}`);
        return this.exit(EXIT.apiUnreachable);
      }
      throw e;
    }
    process.stdout.write(flags.format === 'json' ? JSON.stringify(stats, null, 2) + '\n' : formatStats(stats));
    return stats;
  }
}

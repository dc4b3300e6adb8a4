import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { overrideProblems, trace, type Trace } from '../callflow/trace.js';
import { checkProject } from '../project/check.js';

export default class TraceCommand extends BaseCommand {
  static override summary = 'Show the path a call takes through the project, step by step.';
  static override description = `Follows one call through the model with exactly the meaning the Asterisk target compiles: the DID, each site's business hours and holidays in its own time zone (or a supervisor override), the follow-the-sun choice, IVR menus and the digits pressed, queues (primary members first, backups after backup_after), no-answer forwarding, overflow, voicemail or hang-up; for a user's outside call, the permission class and the trunks in the order they are tried, or the refusal.

A call from a user's extension (--from 1001) is internal or outbound; any other caller comes from a carrier.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/sales-ru-follow-the-sun --to +78003014560 --at 2026-11-25T20:00+03:00',
    '<%= config.bin %> <%= command.id %> examples/payment-center-by --to +375172001000 --digits 2',
    '<%= config.bin %> <%= command.id %> . --from 1002 --to 1001 --no-answer 1001 --format json',
    '<%= config.bin %> <%= command.id %> . --from 1002 --to 0070012345',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    to: Flags.string({ description: 'The number dialled: a DID, an extension or an outside number.', required: true }),
    from: Flags.string({ description: "The caller: a user's extension, or an outside number." }),
    at: BaseCommand.atFlag('When, as an ISO time with its offset (2026-11-25T20:00+03:00). Default: now.'),
    digits: Flags.string({ description: 'Digits pressed at the IVR prompts, in order (e.g. 21).', default: '' }),
    'no-answer': Flags.string({ description: 'A user who does not answer (1001 or user:1001); repeat for several.', multiple: true, default: [] }),
    override: Flags.string({ description: 'A site forced by a supervisor: SITE=open or SITE=closed; repeat for several.', multiple: true, default: [] }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<Trace> {
    const { args, flags } = await this.parse(TraceCommand);
    const at = this.parseAt(flags.at);
    const overrides: Record<string, 'open' | 'closed'> = {};
    for (const o of flags.override) {
      const m = /^([a-z0-9_-]+)=(open|closed)$/.exec(o);
      if (!m) throw new UsageError(`--override ${o}: write SITE=open or SITE=closed`);
      overrides[m[1]!] = m[2] as 'open' | 'closed';
    }
    const { diagnostics, model } = checkProject(args.path, { env: process.env });
    if (!model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    const problems = overrideProblems(model, overrides);
    if (problems.length > 0) throw new UsageError(`--override: ${problems.join('; ')}`);
    const result = trace(model, { to: flags.to, from: flags.from, at, digits: flags.digits, noAnswer: flags['no-answer'].map((u) => u.replace(/^user:/, '')), overrides });
    if (flags.format === 'json') process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    else process.stdout.write([...result.steps.map((s, i) => `${String(i + 1).padStart(2)}. ${s}`), `=> ${describe(result.outcome)}`, ''].join('\n'));
    return result;
  }
}

function describe(o: Trace['outcome']): string {
  switch (o.kind) {
    case 'answered':
      return `answered by user:${o.by}`;
    case 'voicemail':
      return `voicemail:${o.box}`;
    case 'conference':
      return `conference:${o.room}`;
    case 'waiting':
      return `waits in queue:${o.queue}`;
    case 'outbound':
      return `dials ${o.number} through ${o.trunks.join(' → ')} (route ${o.route})`;
    case 'hangup':
      return `hangup (${o.reason})`;
    case 'refused':
      return `refused (${o.reason})`;
  }
}

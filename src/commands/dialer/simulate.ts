import { writeFileSync } from 'node:fs';
import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../../cli/base-command.js';
import { EXIT } from '../../cli/exit-codes.js';
import { formatDiagnostics } from '../../diagnostics/formatters/index.js';
import { compare, formatComparison, type Comparison } from '../../dialer/simulate/compare.js';
import { contenders } from '../../dialer/simulate/contenders.js';
import { campaignScenario } from '../../dialer/simulate/from-campaign.js';
import { htmlReport } from '../../dialer/simulate/report.js';
import { World } from '../../dialer/simulate/world.js';
import { checkProject } from '../../project/check.js';

export default class DialerSimulateCommand extends BaseCommand {
  static override summary = 'Simulate a campaign under every pacing policy and compare them.';
  static override description = `Runs a seeded simulation of the campaign — its agents with their own talk and wrap-up times and breaks, callees who answer, ring, are busy or are machines, AMD, the trunk — once per policy: progressive, a fixed ratio, VICIdial's adaptive methods, Issabel's predictor, callplan's predictive pacing, and the statistical oracle (the same pacing told the true parameters). The table shows what each did: calls, live answers, abandoned calls over the profile's window, occupancy, agents' wait, contacts reached, callbacks kept, and how much of the gap between progressive and the oracle it closed. The simulator checks the compliance profile itself and lists every rule a policy broke.

The same seed gives the same output, byte for byte.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/debt-collection-pl --campaign early-arrears',
    '<%= config.bin %> <%= command.id %> . --campaign renewals --agents 20 --hours 4 --answer-rate 0.15 --talk 240 --seed 7',
    '<%= config.bin %> <%= command.id %> . --campaign renewals --shift 120:2 --report simulation.html',
    '<%= config.bin %> <%= command.id %> . --campaign renewals --policies progressive,ours,oracle --format json',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    campaign: Flags.string({ description: 'The campaign to simulate (required when the project has several).' }),
    agents: Flags.integer({ description: "Agents logged in (default: the primary members of the campaign's queue).", min: 1, max: 2000 }),
    hours: Flags.string({ description: 'Hours of calling a day (at most the calling window).', default: '8' }),
    days: Flags.integer({ description: 'Calling days.', default: 1, min: 1, max: 60 }),
    seed: Flags.integer({ description: 'Seed of the simulated world.', default: 1 }),
    'answer-rate': Flags.string({ description: 'Share of calls a mobile number answers (landlines 0.8 times that), before the hour-of-day profile.', default: '0.35' }),
    talk: Flags.integer({ description: 'Mean talk time, seconds.', default: 120, min: 5 }),
    wrap: Flags.integer({ description: "Mean wrap-up time, seconds (default: the queue's wrap-up, at least 10).", min: 0 }),
    ring: Flags.integer({ description: 'Mean time callees take to answer, seconds.', default: 11, min: 1 }),
    amd: Flags.boolean({ description: "Answering-machine detection (default: the campaign's).", allowNo: true }),
    shift: Flags.string({ description: 'A sudden change of the answer rate: MINUTES:FACTOR (e.g. 120:2 doubles it two hours in); repeat for several.', multiple: true, default: [] }),
    leave: Flags.string({ description: 'Share of agents who log out for good halfway through the first day (e.g. 0.25).', default: '0' }),
    'trunk-channels': Flags.integer({ description: "Channels of the trunk (default: the campaign's trunks' max_channels, if set).", min: 1 }),
    policies: Flags.string({ description: 'Only these policies, comma-separated (ids as in the table; progressive and oracle are always run for the gap).' }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
    report: Flags.string({ description: 'Also write a self-contained HTML report with charts to this file.' }),
  };

  async run(): Promise<Comparison> {
    const { args, flags } = await this.parse(DialerSimulateCommand);
    const number = (name: string, text: string, min: number, max: number) => {
      const x = Number(text);
      if (!Number.isFinite(x) || x < min || x > max) throw new UsageError(`--${name} ${text}: give a number from ${min} to ${max}`);
      return x;
    };
    const hours = number('hours', flags.hours, 0.25, 24);
    const answerRate = number('answer-rate', flags['answer-rate'], 0.01, 0.95);
    const leaveShare = number('leave', flags.leave, 0, 1);
    const shifts = flags.shift.map((s) => {
      const m = /^(\d+(?:\.\d+)?):(\d+(?:\.\d+)?)$/.exec(s);
      if (!m) throw new UsageError(`--shift ${s}: write MINUTES:FACTOR, e.g. 120:2`);
      return { atMinutes: Number(m[1]), factor: Number(m[2]) };
    });
    const { diagnostics, model } = checkProject(args.path, { env: process.env });
    if (!model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    const names = model.campaigns.map((c) => c.name);
    if (names.length === 0) throw new UsageError('the project has no campaigns to simulate');
    if (flags.campaign === undefined && names.length > 1) throw new UsageError(`name the campaign with --campaign (one of: ${names.join(', ')})`);
    const campaign = model.campaigns.find((c) => c.name === (flags.campaign ?? names[0]));
    if (!campaign) throw new UsageError(`--campaign ${flags.campaign}: no such campaign (there are: ${names.join(', ')})`);
    let list = contenders();
    if (flags.policies !== undefined) {
      const wanted = new Set(['progressive', 'oracle', ...flags.policies.split(',').map((p) => p.trim())]);
      const unknown = [...wanted].filter((w) => !list.some((c) => c.id === w));
      if (unknown.length > 0) throw new UsageError(`--policies: unknown ${unknown.join(', ')} (there are: ${list.map((c) => c.id).join(', ')})`);
      list = list.filter((c) => wanted.has(c.id));
    }
    const sc = campaignScenario(model, campaign, {
      seed: flags.seed,
      hours,
      days: flags.days,
      answerRate,
      talkSeconds: flags.talk,
      ringSeconds: flags.ring,
      shifts,
      leaveShare,
      ...(flags.agents !== undefined && { agents: flags.agents }),
      ...(flags.wrap !== undefined && { wrapSeconds: flags.wrap }),
      ...(flags.amd !== undefined && { amd: flags.amd }),
      ...(flags['trunk-channels'] !== undefined && { trunkChannels: flags['trunk-channels'] }),
    });
    const result = compare(new World(sc), list, { series: flags.report !== undefined });
    if (flags.report !== undefined) writeFileSync(flags.report, htmlReport(result));
    if (flags.format === 'json') {
      const { rows, ...rest } = result;
      process.stdout.write(JSON.stringify({ ...rest, rows: rows.map(({ series: _series, ...r }) => r) }, null, 2) + '\n');
    } else process.stdout.write(formatComparison(result));
    return result;
  }
}

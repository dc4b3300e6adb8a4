import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { planAgainstRevision } from '../plan/against-git.js';
import { GitBaseError } from '../plan/git-base.js';
import type { Plan } from '../plan/plan.js';
import { renderJson } from '../plan/render/json.js';
import { renderMarkdown } from '../plan/render/markdown.js';
import { renderText } from '../plan/render/text.js';

const RENDER = { text: renderText, json: renderJson, markdown: renderMarkdown } as const;

export default class PlanCommand extends BaseCommand {
  static override summary = 'Show what applying the build would change: in the model, in reloads per node, in files.';
  static override description = `Builds the project and the same project at another git revision (--against), and prints what changed: first in the model's own words (users, devices, queues, IVR menus, routes, trunks, campaigns, sites ... added, removed and changed field by field), then the reloads each node needs and any change that cannot be applied live (a restart), the SNOM phones that will resync, then the unified diff of every generated file.

No secret is needed and none is ever shown: both builds use a stand-in per secret reference, and every line of a diff that holds a password, PIN, HA1 or credentials is masked. The revision is exported with git archive (the working tree is untouched); PATH is taken relative to the root of its repository.

Exit codes: 0 (with --detailed-exitcode: no changes), 10 with --detailed-exitcode when there are changes, 1 when either side has errors, 2 usage error (unknown revision, not in a git repository).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/payment-center-by --against origin/main',
    '<%= config.bin %> <%= command.id %> . --against HEAD~1 --format markdown > plan.md',
    '<%= config.bin %> <%= command.id %> . --against origin/main --detailed-exitcode --format json',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    against: Flags.string({ description: 'The git revision to compare with (a branch, tag or commit, e.g. origin/main).' }),
    format: Flags.option({
      options: ['text', 'json', 'markdown'] as const,
      default: 'text' as const,
      description: 'text for people, json for tools, markdown for a pull-request comment (file diffs folded).',
    })(),
    'detailed-exitcode': Flags.boolean({ description: 'Exit 10 when there are changes (0 when none), so scripts can tell the two apart.', default: false }),
  };

  async run(): Promise<Plan> {
    const { args, flags } = await this.parse(PlanCommand);
    if (!flags.against) throw new UsageError('plan: give --against REV (e.g. --against origin/main) to compare with the project at that git revision');
    let result;
    try {
      result = await planAgainstRevision(args.path, flags.against);
    } catch (e) {
      if (e instanceof GitBaseError) throw new UsageError(e.message);
      throw e;
    }
    if (!result.ok) {
      if (result.side === 'base') this.logToStderr(`callplan: the project at ${result.against} has errors, so there is nothing to compare with:`);
      process.stderr.write(formatDiagnostics(result.diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    // Warnings go to stderr, so a redirected plan (a PR comment) holds the plan only.
    if (result.diagnostics.length > 0) process.stderr.write(formatDiagnostics(result.diagnostics, 'text'));
    process.stdout.write(RENDER[flags.format](result.plan, result.source));
    if (flags['detailed-exitcode'] && result.plan.changed) this.exit(EXIT.planChanges);
    return result.plan;
  }
}

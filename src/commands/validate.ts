import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { checkProject } from '../project/check.js';
import { analyseProject } from '../project/analyse.js';

export default class Validate extends BaseCommand {
  static override summary = 'Check a project against the schema and the semantic rules.';
  static override description = `Reads callplan.yaml and every file it includes, and reports every problem at once: YAML syntax, the JSON Schema, then the semantic rules (duplicate extensions, dangling references, IVR loops, weak secrets, calling windows ...), then the call-flow analyses of a valid project (a 7×24 coverage grid per number with its holes, dead ends, branches never taken, the toll-fraud check of the generated dialplan), each with file:line:column, rule id and a hint.

Exit codes: 0 valid (warnings allowed), 1 problems found, 2 usage error.
Secrets are checked for strength only when their values are at hand (environment or secrets file).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/payment-center-by',
    '<%= config.bin %> <%= command.id %> . --format github',
    '<%= config.bin %> <%= command.id %> callplan.yaml --format json --strict',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    format: BaseCommand.formatFlag,
    at: BaseCommand.atFlag('Start of the week (and of the year of holidays) the call-flow analyses look at, as an ISO time with its offset. Default: now.'),
    strict: Flags.boolean({ description: 'Treat warnings as errors (exit 1).', default: false }),
  };

  async run(): Promise<{ valid: boolean; diagnostics: Diagnostic[] }> {
    const { args, flags } = await this.parse(Validate);
    const checked = checkProject(args.path, { env: process.env });
    const diagnostics = sortDiagnostics([...checked.diagnostics, ...analyseProject(checked, this.parseAt(flags.at))]);
    process.stdout.write(formatDiagnostics(diagnostics, flags.format));
    const valid = !hasErrors(diagnostics) && !(flags.strict && diagnostics.length > 0);
    if (!valid) this.exit(EXIT.invalid);
    return { valid, diagnostics };
  }
}

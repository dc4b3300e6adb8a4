import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { OutputDirError, writeTree } from '../build/write-tree.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { checkProject } from '../project/check.js';
import { compileAll } from '../targets/index.js';

export default class Build extends BaseCommand {
  static override summary = 'Validate a project and write the generated files.';
  static override description = `Validates first and writes nothing when the project has errors. The output directory is replaced as a whole, so it always holds one complete build. Building twice gives byte-identical files.

For now the build holds model.json (the normalized model); the Asterisk, Kamailio, SNOM and dialer files are added by their targets.`;
  static override examples = ['<%= config.bin %> <%= command.id %> examples/payment-center-by --out build', '<%= config.bin %> <%= command.id %> . --out /tmp/pbx --format json'];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'Output directory (replaced as a whole).', default: 'build' }),
    format: BaseCommand.formatFlag,
  };

  async run(): Promise<{ files: string[] }> {
    const { args, flags } = await this.parse(Build);
    const { diagnostics, model } = checkProject(args.path, { env: process.env });
    if (diagnostics.length > 0) process.stderr.write(formatDiagnostics(diagnostics, flags.format));
    if (hasErrors(diagnostics) || !model) this.exit(EXIT.invalid);
    const files = compileAll(model!);
    try {
      writeTree(flags.out, files);
    } catch (e) {
      if (e instanceof OutputDirError) throw new UsageError(e.message);
      throw e;
    }
    this.log(`wrote ${files.size} file${files.size === 1 ? '' : 's'} to ${flags.out}`);
    return { files: [...files.keys()] };
  }
}

import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { flowGraph, renderDot, renderMermaid } from '../callflow/graph.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { checkProject } from '../project/check.js';

export default class Graph extends BaseCommand {
  static override summary = 'Draw the inbound call flow: numbers, hours, menus, queues, overflow, voicemail.';
  static override description = `Mermaid (GitHub renders it in pull requests and READMEs), Graphviz DOT, or SVG rendered in-process (Graphviz compiled to WebAssembly: no browser, no system binary).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples/payment-center-by --format mermaid',
    '<%= config.bin %> <%= command.id %> examples/sales-ru-follow-the-sun --site sakhalin --format svg > flow.svg',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    site: Flags.string({ description: 'Only the numbers whose calls can go to this site.' }),
    format: Flags.option({ options: ['mermaid', 'dot', 'svg'] as const, default: 'mermaid' as const, description: 'Diagram format.' })(),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Graph);
    const { diagnostics, model } = checkProject(args.path, { env: process.env });
    if (!model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    if (flags.site !== undefined && !model.sites.some((s) => s.name === flags.site)) throw new UsageError(`--site ${flags.site}: no such site (${model.sites.map((s) => s.name).join(', ')})`);
    const graph = flowGraph(model, flags.site);
    if (flags.format === 'mermaid') process.stdout.write(renderMermaid(graph));
    else if (flags.format === 'dot') process.stdout.write(renderDot(graph));
    else {
      // Loaded only here: the WebAssembly module is large and no other command needs it.
      const { instance } = await import('@viz-js/viz');
      process.stdout.write((await instance()).renderString(renderDot(graph), { format: 'svg' }));
    }
  }
}

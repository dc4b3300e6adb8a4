import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { nodeFlags } from '../deploy/flags.js';
import { formatOutcome, type NodeFailure } from '../deploy/report.js';
import { NodeSelectionError, openNode, selectNodes } from '../deploy/session.js';
import { formatStatusText, nodeStatus, type NodeStatus } from '../deploy/status.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { checkProject } from '../project/check.js';
import { refusal } from '../deploy/report.js';

export default class Status extends BaseCommand {
  static override summary = 'The release each node runs (the Asterisk nodes and the Kamailio edge), its age and source revision, and drift: files changed on the host by hand.';
  static override description = `Reads each node's release root over SSH (the same host key checks as deploy): the current release, the one Asterisk was last made to run (they differ after a deploy cut short: deploy again), when and from which git revision it was deployed and by whom, the other releases kept on the node (rollback --to), and every file of the current release whose content is not what was deployed (changed, missing, or not part of the release). deploy refuses to overwrite such files without --force.

Exit codes: 0 every node was read; 11 a node could not be read (host key refused, unreachable); 1 the project has errors; 2 usage error.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --all --format json'];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file: it names the nodes.', default: '.' }),
  };
  static override flags = {
    ...nodeFlags,
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<object> {
    const { args, flags } = await this.parse(Status);
    const { diagnostics, model } = checkProject(args.path, { env: process.env });
    if (hasErrors(diagnostics) || !model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    let nodes;
    try {
      nodes = selectNodes(model, { node: flags.node, all: flags.all || !flags.node?.length }, { edge: true });
    } catch (e) {
      if (e instanceof NodeSelectionError) throw new UsageError(e.message);
      throw e;
    }
    const statuses: NodeStatus[] = [];
    const failures: NodeFailure[] = [];
    for (const node of nodes) {
      try {
        const opened = await openNode(node, flags);
        try {
          statuses.push(await nodeStatus(opened.host, node.name));
        } finally {
          await opened.host.close();
        }
      } catch (e) {
        failures.push(refusal(node.name, e) as NodeFailure);
      }
    }
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ nodes: statuses, unreachable: failures }, null, 2)}\n`);
    else {
      if (statuses.length) process.stdout.write(formatStatusText(statuses));
      for (const f of failures) process.stdout.write(formatOutcome(f, 'read'));
    }
    if (failures.length) return this.exit(EXIT.deployNotStarted);
    return { nodes: statuses };
  }
}

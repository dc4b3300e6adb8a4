import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { lockFlags, nodeFlags } from '../deploy/flags.js';
import { formatOutcome, worst, type NodeResult } from '../deploy/report.js';
import { rollbackNode } from '../deploy/rollback.js';
import { kamailioKind } from '../deploy/edge-kind.js';
import { NodeSelectionError, onNode, openEdgeNode, openNode, runNodes, selectNodes, whoAmI } from '../deploy/session.js';
import { hasErrors } from '../diagnostics/diagnostic.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { checkProject } from '../project/check.js';

export default class Rollback extends BaseCommand {
  static override summary = 'Switch nodes (Asterisk, or the Kamailio edge) back to an earlier release still on them, with the same reloads and checks as a deploy.';
  static override description = `Without --to, goes back to the release applied before the one running (callplan status lists the releases on each node). The release is checked against its manifest first (a release changed by hand is refused), then switched to atomically and reloaded with the least reloads, and the node checked; if the check fails, the node is switched back again.

Exit codes: 0 rolled back (or already running that release); 3 the release failed its checks and the node runs what it ran before; 4 that failed too; 11 a node was not touched (no earlier release, host key refused, unreachable, locked); 1 the project has errors; 2 usage error.`;
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --node pbx-1 --to 3f2a9c0d1e4b5a67'];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file: it names the nodes.', default: '.' }),
  };
  static override flags = {
    ...nodeFlags,
    ...lockFlags,
    to: Flags.string({ description: 'The release to go back to (its 16-digit name, from callplan status).' }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<object> {
    const { args, flags } = await this.parse(Rollback);
    if (flags.to !== undefined && !/^[0-9a-f]{16}$/.test(flags.to)) throw new UsageError(`--to ${flags.to}: a release is named by 16 hex digits (callplan status lists them)`);
    const { diagnostics, model } = checkProject(args.path, { env: process.env });
    if (hasErrors(diagnostics) || !model) {
      process.stderr.write(formatDiagnostics(diagnostics, 'text'));
      return this.exit(EXIT.invalid);
    }
    let nodes;
    try {
      // The edge first, the mirror of deploy: its lists must not keep routing to what the nodes are about to lose.
      nodes = selectNodes(model, { node: flags.node, all: flags.all }, { edge: true }).sort((a, b) => Number(b.role === 'kamailio') - Number(a.role === 'kamailio'));
    } catch (e) {
      if (e instanceof NodeSelectionError) throw new UsageError(e.message);
      throw e;
    }
    const by = whoAmI();
    const results = await runNodes<NodeResult>(nodes, flags.format === 'text' && process.stdout.isTTY === true, async (node, step) => {
      const options = { node: node.name, ...(flags.to !== undefined && { to: flags.to }), by, allowRestart: flags['allow-restart'], lockTimeoutMs: flags['lock-timeout'] * 1000, step };
      const result =
        node.role === 'kamailio'
          ? await onNode(node, step, () => openEdgeNode(node, flags), (o) => rollbackNode(o.host, { ...options, kind: kamailioKind(o.rpc) }))
          : await onNode(node, step, () => openNode(node, flags), (o) => rollbackNode(o.host, { ...options, check: { ignoreErrors: node.deploy.ignoreErrors } }));
      return { result, goOn: result.status === 'deployed' || result.status === 'unchanged' };
    }, flags.format === 'json' ? process.stderr : process.stdout);
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ nodes: results }, null, 2)}\n`);
    else for (const r of results) process.stdout.write(formatOutcome(r, 'rolled back to'));
    const code = worst(results, { rolledBack: EXIT.deployRolledBack, notRolledBack: EXIT.deployNotRolledBack, refused: EXIT.deployNotStarted });
    if (code !== 0) return this.exit(code);
    return { nodes: results };
  }
}

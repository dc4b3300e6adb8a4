import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { drainFlags, lockFlags, nodeFlags } from '../deploy/flags.js';
import { BuildDirError, prepareDeploy, ProjectNotReady, type Prepared } from '../deploy/prepare.js';
import { worst } from '../deploy/report.js';
import { runDeploy } from '../deploy/run-deploy.js';
import { gitRevision, NodeSelectionError, whoAmI } from '../deploy/session.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';

export default class Deploy extends BaseCommand {
  static override summary = 'Deploy the build to the Asterisk nodes over SSH: upload, verify, switch atomically, reload the least, check, roll back on failure.';
  static override description = `Builds the project (or takes --build DIR) and, node by node: connects over SSH (the host key must be pinned in the model, ssh.host_key, or listed in known_hosts; key or agent authentication only), takes the node's lock, uploads the node's release (only the files that differ from the one running) to a temporary folder named by the release's content hash, checks every file's SHA-256 on the host, renames it into releases/, then switches the current symlink with one rename and runs the least reloads the changed files need (module reload res_pjsip.so, app_queue's, the dialplan last), each once the one before has finished. A change Asterisk cannot apply live (a PJSIP transport) is refused unless --allow-restart.

After the switch it checks the node: no new ERROR in Asterisk's log, and every endpoint, queue, dialplan context and registration of the release present. On failure it switches back to the previous release and reloads it (exit 3; 4 when that fails too, with what to do). Files changed on the host by hand are reported and never overwritten without --force. SNOM phones whose files changed are told to resync (through the node's manager, over the SSH connection). Asterisk's configuration must read the files of <deploy.root>/current/asterisk (see docs/deploy.md).

Behind a Kamailio edge (a node with role: kamailio) the nodes are deployed one at a time, each taken out of rotation first: over SSH to the edge, kamcmd dispatcher.set_state (deploy.kamcmd) drains it, deploy waits until its calls have ended (core show channels count) or --drain-timeout passes, deploys and checks it, and puts it back. The first node that is not deployed stops the roll; the nodes after it are not touched. A node rolled back automatically goes back in rotation on its previous release; one whose rollback failed stays drained. A node already running the release is not drained. --no-drain deploys without the edge.

With --all (or --node <edge>) the edge's own files follow, after every node: its release (nodes/<edge>/kamailio/) under the edge's deploy.root, applied with the RPCs plan names (tls.reload, permissions.addressReload, dispatcher.reload; a node drained by hand stays drained) or, for kamailio.cfg, a restart with deploy.restart (--allow-restart), then checked (Kamailio answers, its dispatcher routes to the release's nodes) and switched back on failure. A node that is not deployed stops the roll before the edge.

Exit codes: 0 deployed (or nothing to do); 3 a node failed its checks and was rolled back; 4 it could not be rolled back; 11 a node was not touched (host key refused, unreachable, locked, drift, restart needed, upload failed its checks); 1 the project has errors or a secret is missing; 2 usage error.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --dry-run',
    '<%= config.bin %> <%= command.id %> . --node pbx-1 --identity ~/.ssh/deploy_ed25519',
    '<%= config.bin %> <%= command.id %> --all --known-hosts .ci/known_hosts',
    '<%= config.bin %> <%= command.id %> --build build --all --allow-restart',
    '<%= config.bin %> <%= command.id %> --all --drain-timeout 600',
  ];
  static override args = {
    path: Args.string({ description: 'Project directory (holding callplan.yaml) or a single YAML file.', default: '.' }),
  };
  static override flags = {
    ...nodeFlags,
    ...lockFlags,
    ...drainFlags,
    build: Flags.string({ description: 'Deploy this build directory (callplan build --out) instead of building the project; the project still names the nodes.' }),
    force: Flags.boolean({ description: 'Overwrite files changed on a node by hand (drift).', default: false }),
    'dry-run': Flags.boolean({ description: 'Show what would change on each node, change nothing.', default: false }),
    format: Flags.option({ options: ['text', 'json'] as const, default: 'text' as const, description: 'text for people, json for tools.' })(),
  };

  async run(): Promise<object> {
    const { args, flags } = await this.parse(Deploy);
    const prepared = prepareOrExit(this, args.path, flags, undefined, { edge: true });
    if (!prepared) return this.exit(EXIT.invalid);
    const revision = gitRevision(prepared.rootDir ?? '.');
    const run = await runDeploy({
      prepared,
      project: args.path,
      revision,
      by: whoAmI(),
      flags,
      tty: flags.format === 'text' && process.stdout.isTTY === true,
      progress: flags.format === 'json' ? process.stderr : process.stdout,
    });
    if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ dryRun: flags['dry-run'], revision: revision ?? null, nodes: run.results.map(({ text: _t, ...r }) => r), skipped: run.skipped }, null, 2)}\n`);
    else process.stdout.write(run.text);
    const code = worst(run.results, { rolledBack: EXIT.deployRolledBack, notRolledBack: EXIT.deployNotRolledBack, refused: EXIT.deployNotStarted });
    if (code !== 0) return this.exit(code);
    return { nodes: run.results };
  }
}

/**
 * The checked project, its nodes and its build; undefined (after saying why on stderr) when it
 * has errors or a secret is missing. Shared with `plan` against the nodes.
 */
export function prepareOrExit(cmd: { logToStderr(m: string): void }, path: string, flags: { node?: string[]; all?: boolean; build?: string }, then = 'Nothing was deployed.', o: { edge?: boolean } = {}): Prepared | undefined {
  try {
    return prepareDeploy(path, flags, process.env, o);
  } catch (e) {
    if (e instanceof NodeSelectionError || e instanceof BuildDirError) throw new UsageError(e.message);
    if (!(e instanceof ProjectNotReady)) throw e;
    if (e.diagnostics.length) process.stderr.write(formatDiagnostics(e.diagnostics, 'text'));
    else cmd.logToStderr(`callplan: ${e.message}. ${then}`);
    return undefined;
  }
}

import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import type { Step } from '../deploy/apply.js';
import { deployNode, DeployRefused, type DeployOptions } from '../deploy/deploy.js';
import { planAgainstNode } from '../deploy/dry-run.js';
import type { EdgeHost } from '../deploy/edge-host.js';
import { drainFlags, lockFlags, nodeFlags } from '../deploy/flags.js';
import { deploymentOn, roll, type RollReport } from '../deploy/roll.js';
import { formatRoll } from '../deploy/roll-report.js';
import { LockedError, HostError } from '../deploy/node-host.js';
import { BuildDirError, prepareDeploy, ProjectNotReady, type Prepared } from '../deploy/prepare.js';
import { nodeFiles } from '../deploy/release.js';
import { RemoteError } from '../deploy/remote.js';
import { formatInspection, formatOutcome, worst, type NodeFailure, type NodeResult } from '../deploy/report.js';
import { gitRevision, NodeSelectionError, openEdge, openNode, resyncOverSsh, runNodes, whoAmI, type OpenedNode } from '../deploy/session.js';
import { HostKeyError } from '../deploy/ssh.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { provisionedPhones } from '../provision/phones.js';
import { secretResolver } from '../secrets/resolve.js';
import { AMI_PROVISION_USER } from '../targets/asterisk/names.js';
import type { PbxNode } from '../model/types.js';
import type { Plan } from '../plan/plan.js';
import { nodeUri } from '../targets/kamailio/lists.js';
import type { FileTree } from '../targets/target.js';
import { edges } from '../targets/topology.js';
import { renderText } from '../plan/render/text.js';

export default class Deploy extends BaseCommand {
  static override summary = 'Deploy the build to the Asterisk nodes over SSH: upload, verify, switch atomically, reload the least, check, roll back on failure.';
  static override description = `Builds the project (or takes --build DIR) and, node by node: connects over SSH (the host key must be pinned in the model, ssh.host_key, or listed in known_hosts; key or agent authentication only), takes the node's lock, uploads the node's release (only the files that differ from the one running) to a temporary folder named by the release's content hash, checks every file's SHA-256 on the host, renames it into releases/, then switches the current symlink with one rename and runs the least reloads the changed files need (dialplan reload, module reload res_pjsip.so, app_queue ...). A change Asterisk cannot apply live (a PJSIP transport) is refused unless --allow-restart.

After the switch it checks the node: no new ERROR in Asterisk's log, and every endpoint, queue, dialplan context and registration of the release present. On failure it switches back to the previous release and reloads it (exit 3; 4 when that fails too, with what to do). Files changed on the host by hand are reported and never overwritten without --force. SNOM phones whose files changed are told to resync (through the node's manager, over the SSH connection). Asterisk's configuration must read the files of <deploy.root>/current/asterisk (see docs/deploy.md).

Behind a Kamailio edge (a node with role: kamailio) the nodes are deployed one at a time, each taken out of rotation first: over SSH to the edge, kamcmd dispatcher.set_state (deploy.kamcmd) drains it, deploy waits until its calls have ended (core show channels count) or --drain-timeout passes, deploys and checks it, and puts it back. The first node that is not deployed stops the roll; the nodes after it are not touched. A node rolled back automatically goes back in rotation on its previous release; one whose rollback failed stays drained. A node already running the release is not drained. --no-drain deploys without the edge.

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
    const prepared = prepareOrExit(this, args.path, flags);
    if (!prepared) return this.exit(EXIT.invalid);
    const { model, secrets, rootDir, nodes, files } = prepared;
    const revision = gitRevision(rootDir ?? '.');
    const by = whoAmI();
    const phones = provisionedPhones(model);
    const { resolver, missing } = secretResolver(model, secrets);
    const amiSecret = phones.length > 0 ? resolver.derived(`ami:${AMI_PROVISION_USER}`) : '';
    const canResync = phones.length > 0 && missing().length === 0;
    const tty = flags.format === 'text' && process.stdout.isTTY === true;
    const progress = flags.format === 'json' ? process.stderr : process.stdout;
    const options = (node: PbxNode, mine: FileTree, forward: OpenedNode['forward'], step: Step): Omit<DeployOptions, 'step'> => ({
      node: node.name,
      files: mine,
      ...(revision !== undefined && { revision }),
      by,
      allowRestart: flags['allow-restart'],
      force: flags.force,
      lockTimeoutMs: flags['lock-timeout'] * 1000,
      phones,
      check: { ignoreErrors: node.deploy.ignoreErrors },
      ...(canResync && { resync: safeResync(resyncOverSsh(forward, node, amiSecret), (m) => step('resync', m)) }),
    });

    // Behind an edge: one node at a time, out of rotation while it is deployed (src/deploy/roll.ts).
    const edge = edges(model)[0];
    if (edge && !flags['dry-run'] && !flags['no-drain']) {
      let edgeHost: EdgeHost;
      try {
        edgeHost = await openEdge(edge, flags);
      } catch (e) {
        const r = refusal(edge.name, e);
        if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ dryRun: false, revision: revision ?? null, nodes: [], edge: r, skipped: nodes.map((n) => n.name) }, null, 2)}\n`);
        else process.stdout.write(`${formatOutcome({ ...r, message: `cannot reach the edge to drain the nodes: ${r.message}` })}callplan: nothing was deployed (--no-drain deploys without the edge)\n`);
        return this.exit(EXIT.deployNotStarted);
      }
      let report: RollReport;
      try {
        report = await roll(
          nodes.map((n) => ({ ...n, destination: nodeUri(n) })),
          {
            edge: edgeHost,
            drainTimeoutMs: flags['drain-timeout'] * 1000,
            async open(node, step) {
              const mine = nodeFiles(files, node.name);
              if (![...mine.keys()].some((p) => p.startsWith('asterisk/'))) return { node: node.name, status: 'refused', message: 'the build has no asterisk/ files for this node' };
              step('connect', `${node.ssh.user}@${node.ssh.host}:${node.ssh.port}`);
              let opened: OpenedNode;
              try {
                opened = await openNode(node, flags);
              } catch (e) {
                return refusal(node.name, e);
              }
              try {
                return await deploymentOn(opened.host, options(node, mine, opened.forward, step), refusal);
              } catch (e) {
                await opened.host.close();
                return refusal(node.name, e);
              }
            },
          },
          (ns, job) => runNodes(ns, tty, job, progress),
        );
      } finally {
        await edgeHost.close();
      }
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ dryRun: false, revision: revision ?? null, nodes: report.results, skipped: report.skipped }, null, 2)}\n`);
      else process.stdout.write(formatRoll(report, edge.name));
      const code = worst(report.results, { rolledBack: EXIT.deployRolledBack, notRolledBack: EXIT.deployNotRolledBack, refused: EXIT.deployNotStarted });
      if (code !== 0) return this.exit(code);
      return { nodes: report.results };
    }

    const results = await runNodes<NodeResult & { text?: string; plan?: Plan }>(nodes, tty, async (node, step) => {
      const mine = nodeFiles(files, node.name);
      if (![...mine.keys()].some((p) => p.startsWith('asterisk/'))) return { result: { node: node.name, status: 'refused', message: 'the build has no asterisk/ files for this node' }, goOn: false };
      step('connect', `${node.ssh.user}@${node.ssh.host}:${node.ssh.port}`);
      let opened;
      try {
        opened = await openNode(node, flags);
      } catch (e) {
        return { result: refusal(node.name, e), goOn: false };
      }
      try {
        if (flags['dry-run']) {
          step('inspect');
          const np = await planAgainstNode(opened.host, { node: node.name, files: mine, model, project: args.path, ...(revision !== undefined && { revision }) });
          const text = `${renderText(np.plan, np.source)}${formatInspection(node.name, np.inspection)}`;
          return { result: { node: node.name, status: 'unchanged', release: np.inspection.target.release, bytesSent: 0, text, plan: np.plan }, goOn: true };
        }
        const outcome = await deployNode(opened.host, { ...options(node, mine, opened.forward, step), step });
        return { result: outcome, goOn: outcome.status === 'deployed' || outcome.status === 'unchanged' };
      } catch (e) {
        return { result: refusal(node.name, e), goOn: false };
      } finally {
        await opened.host.close();
      }
    }, progress);

    if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ dryRun: flags['dry-run'], revision: revision ?? null, nodes: results.map(({ text: _t, ...r }) => r) }, null, 2)}\n`);
    else for (const r of results) process.stdout.write(r.text ?? formatOutcome(r));
    if (results.length < nodes.length) this.logToStderr(`callplan: stopped the roll: ${nodes.slice(results.length).map((n) => n.name).join(', ')} not deployed`);
    const code = worst(results, { rolledBack: EXIT.deployRolledBack, notRolledBack: EXIT.deployNotRolledBack, refused: EXIT.deployNotStarted });
    if (code !== 0) return this.exit(code);
    return { nodes: results };
  }
}

/** A node left untouched: why, in one line, and what to do. Anything else is a bug (rethrown). */
export function refusal(node: string, e: unknown): NodeFailure {
  if (e instanceof HostKeyError) return { node, status: 'refused', message: e.message, hint: e.verdict.hint };
  if (e instanceof DeployRefused) return { node, status: 'refused', message: e.message, hint: e.hint };
  if (e instanceof LockedError) return { node, status: 'refused', message: e.message, hint: 'Wait for the other deploy to finish (--lock-timeout to wait longer); a deploy that died lets go of the lock with its connection.' };
  if (e instanceof RemoteError || e instanceof HostError) return { node, status: 'refused', message: e.message };
  throw e;
}

/** A resync that fails is reported, not a failed deploy: the phones fetch their files at their next boot anyway. */
function safeResync(run: ReturnType<typeof resyncOverSsh>, say: (m: string) => void): ReturnType<typeof resyncOverSsh> {
  return async (phones) => {
    try {
      return await run(phones);
    } catch (e) {
      say(`failed: ${(e as Error).message}; run callplan provision resync on the node`);
      return [];
    }
  };
}

/**
 * The checked project, its nodes and its build; undefined (after saying why on stderr) when it
 * has errors or a secret is missing. Shared with `plan` against the nodes.
 */
export function prepareOrExit(cmd: { logToStderr(m: string): void }, path: string, flags: { node?: string[]; all?: boolean; build?: string }, then = 'Nothing was deployed.'): Prepared | undefined {
  try {
    return prepareDeploy(path, flags, process.env);
  } catch (e) {
    if (e instanceof NodeSelectionError || e instanceof BuildDirError) throw new UsageError(e.message);
    if (!(e instanceof ProjectNotReady)) throw e;
    if (e.diagnostics.length) process.stderr.write(formatDiagnostics(e.diagnostics, 'text'));
    else cmd.logToStderr(`callplan: ${e.message}. ${then}`);
    return undefined;
  }
}

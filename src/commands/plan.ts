import { Args, Flags } from '@oclif/core';
import { BaseCommand, UsageError } from '../cli/base-command.js';
import { EXIT } from '../cli/exit-codes.js';
import { planAgainstNode, type NodePlan } from '../deploy/dry-run.js';
import { nodeFlags } from '../deploy/flags.js';
import { noDrift } from '../deploy/node-host.js';
import { nodeFiles } from '../deploy/release.js';
import { formatInspection } from '../deploy/report.js';
import { gitRevision, openNode, type ConnectFlags } from '../deploy/session.js';
import { formatDiagnostics } from '../diagnostics/formatters/index.js';
import { planAgainstRevision } from '../plan/against-git.js';
import { GitBaseError } from '../plan/git-base.js';
import type { Plan } from '../plan/plan.js';
import { renderJson } from '../plan/render/json.js';
import { MARKDOWN_LIMIT, renderMarkdown } from '../plan/render/markdown.js';
import { renderText } from '../plan/render/text.js';
import { refusal } from '../deploy/report.js';
import { prepareOrExit } from './deploy.js';

interface NodePlanFlags extends ConnectFlags {
  node?: string[];
  all: boolean;
  build?: string;
  format: keyof typeof RENDER;
  'detailed-exitcode': boolean;
}

const RENDER = { text: renderText, json: renderJson, markdown: renderMarkdown } as const;

export default class PlanCommand extends BaseCommand {
  static override summary = 'Show what applying the build would change: in the model, in reloads per node, in files.';
  static override description = `Builds the project and compares it with what runs on the nodes (their release manifests, read over SSH as deploy does; the default) or with the same project at another git revision (--against, offline: what a pull request changes). It prints what changed: first in the model's own words (users, devices, queues, IVR menus, routes, trunks, campaigns, sites ... added, removed and changed field by field), then the reloads each node needs and any change that cannot be applied live (a restart), the SNOM phones that will resync, then the unified diff of every generated file.

Secrets are never shown: every line of a diff that holds a password, PIN, HA1 or credentials is masked. With --against no secret is needed (both builds use a stand-in per secret reference); the revision is exported with git archive (the working tree is untouched) and PATH is taken relative to the root of its repository. Against the nodes the build needs its secrets (the hosts' files hold them), the host keys are checked as for deploy, and files changed on a node by hand (drift) are shown; nothing is locked or changed. Without --node, every Asterisk node.

Exit codes: 0 (with --detailed-exitcode: no changes), 10 with --detailed-exitcode when there are changes (on any node), 1 when either side has errors or a secret is missing, 2 usage error (unknown revision, not in a git repository), 11 a node could not be read (host key refused, unreachable).`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> . --identity ~/.ssh/deploy_ed25519',
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
    ...nodeFlags,
    all: Flags.boolean({ description: 'Every Asterisk node (the default without --node).', default: false }),
    build: Flags.string({ description: 'Against the nodes: compare this build directory (callplan build --out) instead of building the project.' }),
  };

  async run(): Promise<Plan> {
    const { args, flags } = await this.parse(PlanCommand);
    if (!flags.against) return this.againstNodes(args.path, flags);
    const nodeOnly = (['node', 'all', 'build', 'identity', 'known-hosts'] as const).filter((f) => flags[f] !== undefined && flags[f] !== false);
    if (nodeOnly.length) throw new UsageError(`plan: --${nodeOnly[0]} is for a plan against the nodes; with --against the base is the project at that revision`);
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

  /** Plan against the release each node runs, read over SSH: deploy --dry-run in plan's formats. */
  private async againstNodes(path: string, flags: NodePlanFlags): Promise<Plan> {
    const prepared = prepareOrExit(this, path, { ...flags, all: flags.all || !flags.node?.length }, 'Set them (environment or secrets file) to compare with the nodes, whose files hold them; or plan against a git revision with --against, which needs none.');
    if (!prepared) return this.exit(EXIT.invalid);
    const revision = gitRevision(prepared.rootDir ?? '.');
    const plans: NodePlan[] = [];
    let unread = false;
    for (const node of prepared.nodes) {
      let opened;
      try {
        opened = await openNode(node, flags);
        plans.push(await planAgainstNode(opened.host, { node: node.name, files: nodeFiles(prepared.files, node.name), model: prepared.model, project: path, ...(revision !== undefined && { revision }) }));
      } catch (e) {
        const r = refusal(node.name, e);
        this.logToStderr(`callplan: ${node.name}: cannot read its release: ${r.status === 'refused' ? r.message : ''}${r.status === 'refused' && r.hint ? `\n  hint: ${r.hint}` : ''}`);
        unread = true;
      } finally {
        await opened?.host.close();
      }
    }
    process.stdout.write(renderNodePlans(plans, flags.format, path));
    if (unread) return this.exit(EXIT.deployNotStarted);
    const changed = plans.some((p) => p.plan.changed);
    if (flags['detailed-exitcode'] && changed) this.exit(EXIT.planChanges);
    return { ...plans[0]!.plan, changed };
  }
}

/** One plan per node, one after the other; JSON as one document listing the nodes. */
export function renderNodePlans(plans: readonly NodePlan[], format: keyof typeof RENDER, project: string): string {
  if (format === 'json') {
    const nodes = plans.map((p) => ({ node: p.node, against: p.source.against, drift: driftOf(p) ?? null, ...p.plan }));
    return `${JSON.stringify({ project, nodes }, null, 2)}\n`;
  }
  if (format === 'markdown') {
    const share = Math.floor(MARKDOWN_LIMIT / Math.max(1, plans.length));
    return plans.map((p) => `${renderMarkdown(p.plan, p.source, share)}${driftNote(p)}`).join('\n');
  }
  return plans.map((p) => `${renderText(p.plan, p.source)}${formatInspection(p.node, p.inspection)}`).join('\n');
}

function driftOf(p: NodePlan): string[] | undefined {
  const d = p.inspection.drift;
  return d && !noDrift(d) ? [...d.changed, ...d.missing, ...d.extra] : undefined;
}

function driftNote(p: NodePlan): string {
  const files = driftOf(p);
  return files ? `\n> [!CAUTION]\n> **${p.node}: files changed on the host by hand** (deploy refuses without --force): ${files.map((f) => `\`${f}\``).join(', ')}\n` : '';
}

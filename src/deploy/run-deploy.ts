import type { PbxNode } from '../model/types.js';
import type { Plan } from '../plan/plan.js';
import { renderText } from '../plan/render/text.js';
import { provisionedPhones } from '../provision/phones.js';
import { secretResolver } from '../secrets/resolve.js';
import { AMI_PROVISION_USER } from '../targets/asterisk/names.js';
import { nodeUri } from '../targets/kamailio/lists.js';
import type { FileTree } from '../targets/target.js';
import { edges } from '../targets/topology.js';
import type { Step } from './apply.js';
import { deployNode, DeployRefused, inspect, type DeployOptions } from './deploy.js';
import { planAgainstNode } from './dry-run.js';
import { edgePlanning, kamailioKind } from './edge-kind.js';
import type { EdgeHost } from './edge-host.js';
import { HostError, LockedError } from './node-host.js';
import type { Prepared } from './prepare.js';
import { edgeFiles, nodeFiles } from './release.js';
import { RemoteError } from './remote.js';
import { formatInspection, formatOutcome, refusal, type NodeFailure, type NodeResult } from './report.js';
import { deploymentOn, roll } from './roll.js';
import { formatRoll } from './roll-report.js';
import { onNode, openEdge, openEdgeNode, openNode, resyncOverSsh, runNodes, type ConnectFlags, type OpenedNode } from './session.js';
import { HostKeyError } from './ssh.js';

/**
 * `callplan deploy` past its flags: the Asterisk nodes first — rolled one at a time behind the
 * Kamailio edge (roll.ts), or one after the other — then, when the edge is selected and every
 * node before it is deployed, the edge's own release (edge-kind.ts). The edge goes last: a new
 * node must run its release before the edge routes calls to it, a new carrier's trunk must exist
 * before the edge lets its calls in, and `dispatcher.reload` would undo the roll's drains.
 */
export interface DeployFlags extends ConnectFlags {
  'allow-restart': boolean;
  force: boolean;
  'lock-timeout': number;
  'drain-timeout': number;
  'no-drain': boolean;
  'dry-run': boolean;
}

export interface DeployRun {
  results: Array<NodeResult & { plan?: Plan; text?: string }>;
  /** Selected nodes not touched because an earlier one failed. */
  skipped: string[];
  /** The report for people. */
  text: string;
}

export interface DeployContext {
  prepared: Prepared;
  project: string;
  revision: string | undefined;
  by: string;
  flags: DeployFlags;
  tty: boolean;
  /** Where progress lines go (stderr when stdout is for JSON). */
  progress: { write(s: string): unknown };
}

const goesOn = (r: NodeResult) => r.status === 'deployed' || r.status === 'unchanged';

export async function runDeploy(c: DeployContext): Promise<DeployRun> {
  const asterisk = c.prepared.nodes.filter((n) => n.role === 'asterisk');
  const edge = c.prepared.nodes.find((n) => n.role === 'kamailio');
  const first = c.flags['dry-run'] ? await dryRun(c, asterisk) : await deployNodes(c, asterisk);
  let { results, skipped } = first;
  if (edge && results.length === asterisk.length && results.every(goesOn)) {
    results = [...results, ...(await runNodes<NodeResult & { text?: string }>([edge], c.tty, (node, step) => deployEdge(c, node, step), c.progress))];
  } else if (edge) skipped = [...skipped, edge.name];
  const text = first.rolledAt
    ? formatRoll({ results: results.filter((r) => r.node !== edge?.name), skipped }, first.rolledAt) + results.filter((r) => r.node === edge?.name).map((r) => r.text ?? formatOutcome(r)).join('')
    : results.map((r) => r.text ?? formatOutcome(r)).join('') + (first.note ?? '') + (skipped.length && !first.note ? `roll stopped: not touched: ${skipped.join(', ')}\n` : '');
  return { results, skipped, text };
}

/** The Asterisk nodes' part of a run, before the edge's. */
interface NodesRun {
  results: Array<NodeResult & { plan?: Plan; text?: string }>;
  skipped: string[];
  /** The edge the nodes were rolled behind (drained one at a time), if they were. */
  rolledAt?: string;
  /** A last line instead of the roll's summary. */
  note?: string;
}

/** The Asterisk nodes: rolled behind the edge unless --no-drain, else one after the other. */
async function deployNodes(c: DeployContext, nodes: readonly PbxNode[]): Promise<NodesRun> {
  const { prepared, flags } = c;
  const edge = edges(prepared.model)[0];
  if (nodes.length === 0) return { results: [], skipped: [] };
  if (edge && !flags['no-drain']) {
    let edgeHost: EdgeHost;
    try {
      edgeHost = await openEdge(edge, flags);
    } catch (e) {
      const r = { ...refusal(edge.name, e) };
      r.message = `cannot reach the edge to drain the nodes: ${r.message}`;
      return { results: [r], skipped: nodes.map((n) => n.name), note: 'callplan: nothing was deployed (--no-drain deploys without the edge)\n' };
    }
    try {
      const report = await roll(
        nodes.map((n) => ({ ...n, destination: nodeUri(n) })),
        {
          edge: edgeHost,
          drainTimeoutMs: flags['drain-timeout'] * 1000,
          async open(node, step) {
            const mine = asteriskFiles(prepared.files, node);
            if ('status' in mine) return mine;
            step('connect', `${node.ssh.user}@${node.ssh.host}:${node.ssh.port}`);
            let opened: OpenedNode;
            try {
              opened = await openNode(node, flags);
            } catch (e) {
              return refusal(node.name, e);
            }
            try {
              return await deploymentOn(opened.host, nodeOptions(c, node, mine, opened.forward, step), refusal);
            } catch (e) {
              await opened.host.close();
              return refusal(node.name, e);
            }
          },
        },
        (ns, job) => runNodes(ns, c.tty, job, c.progress),
      );
      return { ...report, rolledAt: edge.name };
    } finally {
      await edgeHost.close();
    }
  }
  const results = await runNodes<NodeResult>(
    nodes,
    c.tty,
    async (node, step) => {
      const mine = asteriskFiles(prepared.files, node);
      const result = 'status' in mine ? mine : await onNode(node, step, () => openNode(node, flags), (o) => deployNode(o.host, { ...nodeOptions(c, node, mine, o.forward, step), step }));
      return { result, goOn: goesOn(result) };
    },
    c.progress,
  );
  return { results, skipped: nodes.slice(results.length).map((n) => n.name) };
}

/** `--dry-run`: plan against each node, touching nothing (the edge: its release, changes and RPCs). */
async function dryRun(c: DeployContext, nodes: readonly PbxNode[]): Promise<NodesRun> {
  const { prepared, flags } = c;
  const edge = edges(prepared.model)[0];
  const results = await runNodes<NodeResult & { text?: string; plan?: Plan }>(
    nodes,
    c.tty,
    async (node, step) => {
      const mine = asteriskFiles(prepared.files, node);
      const result =
        'status' in mine
          ? mine
          : await onNode(node, step, () => openNode(node, flags), async (o) => {
              step('inspect');
              const np = await planAgainstNode(o.host, { node: node.name, files: mine, model: prepared.model, project: c.project, ...(c.revision !== undefined && { revision: c.revision }) });
              const i = np.inspection;
              const switches = !(i.applied === i.target.release && i.state.current === i.target.release);
              const drain = edge && !flags['no-drain'] && switches ? `  behind ${edge.name}: would be taken out of rotation while it is deployed (until its calls end, at most ${flags['drain-timeout']} s), then put back\n` : '';
              const text = `${renderText(np.plan, np.source)}${formatInspection(node.name, i)}${drain}`;
              return { node: node.name, status: 'unchanged' as const, release: i.target.release, bytesSent: 0, text, plan: np.plan };
            });
      return { result, goOn: goesOn(result) };
    },
    c.progress,
  );
  return { results, skipped: nodes.slice(results.length).map((n) => n.name) };
}

/** The edge's release: deployed (flags as for a node), or with --dry-run inspected. */
async function deployEdge(c: DeployContext, edge: PbxNode, step: Step): Promise<{ result: NodeResult & { text?: string }; goOn: boolean }> {
  const files = edgeFiles(c.prepared.files, edge.name);
  if (files.size === 0) return { result: { node: edge.name, status: 'refused', message: `the build has no nodes/${edge.name}/kamailio/ files` }, goOn: false };
  const result = await onNode(edge, step, () => openEdgeNode(edge, c.flags), async (o): Promise<NodeResult & { text?: string }> => {
    if (c.flags['dry-run']) {
      step('inspect');
      const i = await inspect(o.host, files, { node: edge.name, ...(c.revision !== undefined && { revision: c.revision }), createdAt: new Date() }, edgePlanning);
      const changes = i.changes.map((ch) => `  ${ch.kind === 'added' ? '+' : ch.kind === 'removed' ? '-' : '~'} ${ch.path}`).join('\n');
      const reloads = i.reloads.restart.length ? `restart (${i.reloads.restart.join('; ')})` : i.reloads.commands.join(', ') || 'none';
      const text = `${edge.name} (Kamailio edge): ${i.changes.length} file(s) changed${changes ? `:\n${changes}` : ''}\n  reloads: ${reloads}\n${formatInspection(edge.name, i)}`;
      return { node: edge.name, status: 'unchanged', release: i.target.release, bytesSent: 0, text };
    }
    return deployNode(o.host, { node: edge.name, files, ...(c.revision !== undefined && { revision: c.revision }), by: c.by, allowRestart: c.flags['allow-restart'], force: c.flags.force, lockTimeoutMs: c.flags['lock-timeout'] * 1000, step, kind: kamailioKind(o.rpc) });
  });
  return { result, goOn: goesOn(result) };
}

/** A node's own files, or why it has none (a build without them cannot be deployed there). */
function asteriskFiles(build: FileTree, node: PbxNode): FileTree | NodeFailure {
  const mine = nodeFiles(build, node.name);
  if (![...mine.keys()].some((p) => p.startsWith('asterisk/'))) return { node: node.name, status: 'refused', message: 'the build has no asterisk/ files for this node' };
  return mine;
}

function nodeOptions(c: DeployContext, node: PbxNode, mine: FileTree, forward: OpenedNode['forward'], step: Step): Omit<DeployOptions, 'step'> {
  const { model, secrets } = c.prepared;
  const phones = provisionedPhones(model);
  const { resolver, missing } = secretResolver(model, secrets);
  const canResync = phones.length > 0 && missing().length === 0;
  return {
    node: node.name,
    files: mine,
    ...(c.revision !== undefined && { revision: c.revision }),
    by: c.by,
    allowRestart: c.flags['allow-restart'],
    force: c.flags.force,
    lockTimeoutMs: c.flags['lock-timeout'] * 1000,
    phones,
    check: { ignoreErrors: node.deploy.ignoreErrors },
    ...(canResync && { resync: safeResync(resyncOverSsh(forward, node, resolver.derived(`ami:${AMI_PROVISION_USER}`)), (m) => step('resync', m)) }),
  };
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

import { execFileSync } from 'node:child_process';
import { hostname, userInfo } from 'node:os';
import { Listr } from 'listr2';
import type { Model, PbxNode } from '../model/types.js';
import { connectAmi } from '../provision/ami.js';
import type { ProvisionedPhone } from '../provision/phones.js';
import { resync, type ResyncOutcome } from '../provision/resync.js';
import { AMI_PROVISION_USER } from '../targets/asterisk/names.js';
import { asteriskNodes, edges } from '../targets/topology.js';
import type { Step, StepName } from './apply.js';
import type { NodeHost } from './node-host.js';
import { refusal, type NodeFailure } from './report.js';
import { shellEdge, type EdgeHost } from './edge-host.js';
import { shellHost } from './shell-host.js';
import { connectSsh } from './ssh.js';

/** What the deploy, rollback and status commands share: which nodes, how to reach them, progress. */

export class NodeSelectionError extends Error {}

/**
 * The Asterisk nodes named by --node (repeatable) or --all; the only one when the project has one.
 * With `edge` (deploy, rollback, status), the Kamailio edge too: named with --node, or with --all,
 * after the Asterisk nodes (deploy changes the edge last).
 */
export function selectNodes(model: Model, sel: { node?: string[]; all?: boolean }, o: { edge?: boolean } = {}): PbxNode[] {
  const nodes = asteriskNodes(model);
  const selectable = [...nodes, ...(o.edge ? edges(model) : [])];
  if (nodes.length === 0) throw new NodeSelectionError('the project lists no Asterisk node: add one under nodes (role: asterisk, address, ssh) to deploy to it');
  if (sel.all && sel.node?.length) throw new NodeSelectionError('give --node or --all, not both');
  if (sel.all) return selectable;
  if (!sel.node?.length) {
    if (nodes.length === 1) return nodes;
    throw new NodeSelectionError(`the project has ${nodes.length} Asterisk nodes (${nodes.map((n) => n.name).join(', ')}): name them with --node, or --all`);
  }
  const named = sel.node.map((name) => {
    const n = selectable.find((x) => x.name === name);
    if (!n) {
      const edge = edges(model).find((x) => x.name === name);
      throw new NodeSelectionError(edge ? `--node ${name}: this command reads the Asterisk nodes only (deploy, rollback and status take the edge)` : `--node ${name}: no ${o.edge ? 'node' : 'Asterisk node'} of that name (nodes: ${selectable.map((x) => x.name).join(', ')})`);
    }
    return n;
  });
  // The edge goes last whatever the order given: it must not route to a node before the node runs its release.
  return [...named.filter((n) => n.role !== 'kamailio'), ...named.filter((n) => n.role === 'kamailio')];
}

export interface ConnectFlags {
  identity?: string;
  'known-hosts'?: string;
  'connect-timeout'?: number;
}

export interface OpenedNode {
  host: NodeHost;
  forward(port: number): ReturnType<import('./remote.js').Remote['forward']>;
}

export async function openNode(node: PbxNode, flags: ConnectFlags): Promise<OpenedNode> {
  const remote = await connect(node, flags);
  return { host: shellHost(remote, node), forward: (port) => remote.forward('127.0.0.1', port) };
}

/** The Kamailio edge's RPCs over SSH (its deploy.kamcmd), for draining nodes. */
export async function openEdge(edge: PbxNode, flags: ConnectFlags): Promise<EdgeHost> {
  return shellEdge(await connect(edge, flags), edge);
}

/** The edge as a node to deploy to: its release root and its RPCs over one SSH connection (closed by host.close). */
export async function openEdgeNode(edge: PbxNode, flags: ConnectFlags): Promise<{ host: NodeHost; rpc: EdgeHost }> {
  const remote = await connect(edge, flags);
  return { host: shellHost(remote, edge), rpc: shellEdge(remote, edge) };
}

function connect(node: PbxNode, flags: ConnectFlags): Promise<import('./remote.js').Remote> {
  return connectSsh({
    host: node.ssh.host,
    port: node.ssh.port,
    user: node.ssh.user,
    ...(node.ssh.hostKey !== undefined && { hostKey: node.ssh.hostKey }),
    ...(flags['known-hosts'] !== undefined && { knownHostsFile: flags['known-hosts'] }),
    ...(flags.identity !== undefined && { identity: flags.identity }),
    timeoutMs: flags['connect-timeout'] ?? 15_000,
  });
}

/** The project's git revision (short hash, `+dirty` with uncommitted changes), or undefined outside git. */
export function gitRevision(dir: string): string | undefined {
  try {
    const rev = execFileSync('git', ['-C', dir, 'rev-parse', '--short=12', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', dir, 'status', '--porcelain', '--', '.'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return `${rev}${dirty ? '+dirty' : ''}`;
  } catch {
    return undefined;
  }
}

export const whoAmI = (): string => `${process.env.GITHUB_ACTOR ?? process.env.GITLAB_USER_LOGIN ?? userInfo().username}@${hostname()}`;

/** Resync through the node's manager, reached through the SSH connection (it listens on the host's loopback). */
export function resyncOverSsh(forward: (port: number) => Promise<import('node:stream').Duplex>, node: PbxNode, secret: string): (phones: ProvisionedPhone[]) => Promise<ResyncOutcome[]> {
  return async (phones) => {
    const socket = await forward(node.amiPort);
    const ami = await connectAmi({ host: node.ssh.host, port: node.amiPort, username: AMI_PROVISION_USER, secret, timeoutMs: 10_000, socket });
    try {
      return await resync(ami, phones);
    } finally {
      await ami.close();
    }
  };
}

const LABEL: Record<StepName, string> = {
  connect: 'connecting (host key checked)',
  lock: 'taking the lock',
  inspect: 'reading the release on the node',
  upload: 'uploading',
  verify: 'verifying checksums on the host',
  switch: 'switching current',
  reload: 'reloading',
  restart: 'restarting',
  check: 'checking the node',
  rollback: 'rolling back to',
  record: 'recording the release',
  resync: 'telling phones to resync',
  prune: 'removing old releases',
  drain: 'taking it out of rotation',
  wait: 'waiting for its calls to end:',
  undrain: 'putting it back in rotation',
};

/**
 * Connects to a node (its connect step shown), runs `op` on it and closes the connection. A node
 * that cannot be reached or refuses (host key, lock, drift …) is a NodeFailure; anything else is
 * a bug and thrown.
 */
export async function onNode<C extends { host: NodeHost }, T>(node: PbxNode, step: Step, open: () => Promise<C>, op: (opened: C) => Promise<T>): Promise<T | NodeFailure> {
  step('connect', `${node.ssh.user}@${node.ssh.host}:${node.ssh.port}`);
  let opened: C;
  try {
    opened = await open();
  } catch (e) {
    return refusal(node.name, e);
  }
  try {
    return await op(opened);
  } catch (e) {
    return refusal(node.name, e);
  } finally {
    await opened.host.close();
  }
}

export const stepLine = (node: string, name: StepName, detail?: string): string => `${node}: ${LABEL[name]}${detail ? ` ${detail}` : ''}`;

/**
 * Runs one job per node in order, a failed one stopping the roll: listr2's live list on a
 * terminal, one plain line per step otherwise (CI logs), to `lines` (stderr when stdout is for
 * JSON). A job returns whether the roll goes on.
 */
export async function runNodes<T, N extends PbxNode = PbxNode>(
  nodes: readonly N[],
  tty: boolean,
  job: (node: N, step: Step) => Promise<{ result: T; goOn: boolean }>,
  lines: { write(s: string): unknown } = process.stdout,
): Promise<T[]> {
  const results: T[] = [];
  if (!tty) {
    for (const node of nodes) {
      const { result, goOn } = await job(node, (name, detail) => lines.write(`${stepLine(node.name, name, detail)}\n`));
      results.push(result);
      if (!goOn) break;
    }
    return results;
  }
  let stop = false;
  await new Listr(
    nodes.map((node) => ({
      title: node.name,
      skip: () => stop,
      task: async (_: unknown, task: { output: string; title: string }) => {
        const { result, goOn } = await job(node, (name, detail) => (task.output = stepLine(node.name, name, detail)));
        results.push(result);
        if (!goOn) stop = true;
      },
    })),
    { concurrent: false, exitOnError: false, rendererOptions: { collapseSubtasks: false } },
  ).run();
  return results;
}

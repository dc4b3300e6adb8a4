import type { Step } from './apply.js';
import { deployNode, inspect, type DeployOptions } from './deploy.js';
import { isDrained, type EdgeHost } from './edge-host.js';
import { noDrift, type NodeHost } from './node-host.js';
import type { NodeFailure, NodeResult } from './report.js';

/**
 * The rolling deploy behind a Kamailio edge: one Asterisk node at a time is taken out of the
 * edge's rotation, left until its calls have ended (or the drain timeout passes), deployed and
 * checked (deployNode), and put back before the next one. Whatever happens to a node, the roll
 * stops at the first one that is not deployed: the nodes after it are not touched.
 *
 * Where a node ends up, as an operator expects it:
 * - deployed, or already running the release: back in rotation;
 * - not touched (refused: locked, drift, restart not allowed, unreachable): back in rotation, on
 *   the release it ran;
 * - failed its checks and rolled back automatically (which passed the same checks): back in
 *   rotation, on its previous release;
 * - failed and could not be rolled back: left drained, so no new call reaches a node in an
 *   unknown state (the report says so, and how to put it back);
 * - drained by hand before the roll (disabled at the edge): left drained.
 */
export interface RollTarget {
  name: string;
  /** The node in the edge's dispatcher.list (`sip:ADDRESS:SIP_PORT`). */
  destination: string;
}

/** One node, connected and inspected, ready to deploy. */
export interface NodeDeployment {
  /**
   * Whether the deploy will switch the node to another release. False when it runs that release
   * already, or when deploy will refuse before touching it (drift, restart not allowed): no
   * drain then.
   */
  switches: boolean;
  /** Calls up on the node now. */
  calls(): Promise<number>;
  /** deployNode, its refusals as results; throws only on a bug. */
  deploy(step: Step): Promise<NodeResult>;
  close(): Promise<void>;
}

export type Rotation =
  /** Taken out for the deploy and put back. */
  | 'back'
  /** Not taken out: nothing to switch on it, or it is not in the edge's list (a new node). */
  | 'not-drained'
  /** Taken out and left out: its rollback failed (or putting it back failed). */
  | 'left-drained'
  /** It was drained by hand before the roll: left so. */
  | 'kept-drained';

export type RollResult = NodeResult & {
  rotation?: Rotation;
  /** Calls still up when the drain timeout passed (the deploy went on: reloads do not drop calls). */
  callsLeft?: number;
  /** Why the node is where it is in the edge, when that is not obvious (not listed, putting it back failed). */
  edgeNote?: string;
};

export interface RollOptions<N extends RollTarget> {
  edge: EdgeHost;
  /** Connects to the node and inspects it; a NodeFailure when it cannot (nothing touched). */
  open(node: N, step: Step): Promise<NodeDeployment | NodeFailure>;
  /** How long to wait for a drained node's calls to end. */
  drainTimeoutMs: number;
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  clock?: () => number;
}

/** Runs one job per node, in order, stopping after a job that says so (session.ts runNodes has this shape). */
export type Runner<N> = <T>(nodes: readonly N[], job: (node: N, step: Step) => Promise<{ result: T; goOn: boolean }>) => Promise<T[]>;

export interface RollReport {
  results: RollResult[];
  /** Nodes not touched because the roll stopped before them. */
  skipped: string[];
}

export const sequential = <N extends RollTarget>(): Runner<N> =>
  async <T>(nodes: readonly N[], job: (node: N, step: Step) => Promise<{ result: T; goOn: boolean }>) => {
    const out: T[] = [];
    for (const node of nodes) {
      const { result, goOn } = await job(node, () => undefined);
      out.push(result);
      if (!goOn) break;
    }
    return out;
  };

/** Whether a node goes back into rotation after its deploy came to `status`. */
export const backInRotation = (status: NodeResult['status']): boolean => status !== 'rollback-failed';

const goesOn = (r: NodeResult) => r.status === 'deployed' || r.status === 'unchanged';

export async function roll<N extends RollTarget>(nodes: readonly N[], o: RollOptions<N>, run: Runner<N> = sequential<N>()): Promise<RollReport> {
  const results = await run(nodes, async (node, step) => {
    const result = await rollNode(node, o, step);
    return { result, goOn: goesOn(result) && result.rotation !== 'left-drained' };
  });
  return { results, skipped: nodes.slice(results.length).map((n) => n.name) };
}

/** One node of the roll: drain, wait, deploy, put back. */
export async function rollNode<N extends RollTarget>(node: N, o: RollOptions<N>, step: Step): Promise<RollResult> {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const clock = o.clock ?? Date.now;
  const opened = await o.open(node, step);
  if ('status' in opened) return opened;
  try {
    if (!opened.switches) return { ...(await opened.deploy(step)), rotation: 'not-drained' };

    let before: string | undefined;
    try {
      before = (await o.edge.destinations()).get(node.destination);
      if (before !== undefined && !isDrained(before)) {
        step('drain', `at ${o.edge.name} (${node.destination})`);
        await o.edge.setState(node.destination, 'drained');
      }
    } catch (e) {
      return { node: node.name, status: 'refused', message: `could not drain it at ${o.edge.name}: ${(e as Error).message}`, hint: 'The node was not touched. Check the edge (kamcmd dispatcher.list), or deploy with --no-drain.' };
    }
    if (before === undefined) return { ...(await opened.deploy(step)), rotation: 'not-drained', edgeNote: `not in ${o.edge.name}'s dispatcher list (a new node): not drained` };

    const callsLeft = await waitForCalls(opened, o.drainTimeoutMs, o.pollMs ?? 1_000, sleep, clock, step);
    const result: RollResult = { ...(await opened.deploy(step)), ...(callsLeft > 0 && { callsLeft }) };
    if (isDrained(before)) return { ...result, rotation: 'kept-drained' };
    if (!backInRotation(result.status)) return { ...result, rotation: 'left-drained', edgeNote: `left drained at ${o.edge.name}; once it is healthy: kamcmd dispatcher.set_state ap 1 ${node.destination}` };
    try {
      step('undrain', `at ${o.edge.name}`);
      await o.edge.setState(node.destination, 'active');
      return { ...result, rotation: 'back' };
    } catch (e) {
      return { ...result, rotation: 'left-drained', edgeNote: `putting it back at ${o.edge.name} failed (${(e as Error).message}); by hand: kamcmd dispatcher.set_state ap 1 ${node.destination}` };
    }
  } finally {
    await opened.close().catch(() => undefined);
  }
}

/** Waits until the node has no call up or the timeout passes; returns the calls left. */
async function waitForCalls(n: NodeDeployment, timeoutMs: number, pollMs: number, sleep: (ms: number) => Promise<void>, clock: () => number, step: Step): Promise<number> {
  const start = clock();
  // A node whose calls cannot be counted is deployed at once: its checks will say what is wrong.
  const count = () => n.calls().catch(() => 0);
  let calls = await count();
  if (calls > 0) step('wait', `${calls} call${calls === 1 ? '' : 's'} up (at most ${Math.round(timeoutMs / 1000)} s)`);
  while (calls > 0 && clock() - start < timeoutMs) {
    await sleep(Math.min(pollMs, Math.max(0, timeoutMs - (clock() - start))));
    calls = await count();
  }
  return calls;
}

/** Calls up on an Asterisk node: `core show channels count` says "N active calls". */
export async function activeCalls(host: NodeHost): Promise<number> {
  const m = /(\d+) active calls?/.exec(await host.asterisk('core show channels count'));
  if (!m) throw new Error(`${host.name}: core show channels count did not say how many calls are up`);
  return Number(m[1]);
}

/**
 * A node behind the edge, ready to roll: inspected first (no lock, nothing changed) to know
 * whether the deploy will switch it, so a node that will not change is not drained for nothing.
 * `refuse` turns deploy's refusals (lock, drift …) into results; anything else is rethrown.
 */
export async function deploymentOn(host: NodeHost, o: Omit<DeployOptions, 'step'>, refuse: (node: string, e: unknown) => NodeResult): Promise<NodeDeployment> {
  const ins = await inspect(host, o.files, { node: o.node, ...(o.revision !== undefined && { revision: o.revision }), createdAt: (o.now ?? (() => new Date()))() });
  const drifted = ins.drift !== undefined && !noDrift(ins.drift);
  const unchanged = ins.applied === ins.target.release && ins.state.current === ins.target.release && !drifted;
  const refused = (drifted && !o.force) || (ins.reloads.restart.length > 0 && !o.allowRestart);
  return {
    switches: !unchanged && !refused,
    calls: () => activeCalls(host),
    async deploy(step) {
      try {
        return await deployNode(host, { ...o, step });
      } catch (e) {
        return refuse(o.node, e);
      }
    },
    close: () => host.close(),
  };
}

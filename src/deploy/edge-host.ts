import type { PbxNode } from '../model/types.js';
import { DS_NODES } from '../targets/kamailio/lists.js';
import { HostError } from './node-host.js';
import { sh, type Remote } from './remote.js';

/**
 * What a rolling deploy does at the Kamailio edge: read where calls go (the dispatcher's
 * destinations and their states), take one Asterisk node out of rotation and put it back.
 * shellEdge implements it with kamcmd over SSH; the unit tests with a fake.
 */
export interface EdgeHost {
  readonly name: string;
  /**
   * The dispatcher's destinations (`sip:ADDRESS:PORT`, as dispatcher.list names the nodes) and
   * their flags: `AP` active (probed), `IP` inactive (probes failed), `DX` disabled (drained) ...
   */
  destinations(): Promise<Map<string, string>>;
  /**
   * `drained`: no new call or registration goes to the node (its calls go on: in-dialog requests
   * follow Record-Route, not the dispatcher); `active`: back in rotation, probed as before.
   */
  setState(destination: string, state: 'drained' | 'active'): Promise<void>;
  close(): Promise<void>;
}

/** `dispatcher.set_state` flags: d disabled; a active + p probing (every node is listed with flag 8, probed). */
const STATE_FLAGS = { drained: 'd', active: 'ap' } as const;

/** A destination's flags say it is drained (disabled) rather than in rotation or probed out. */
export const isDrained = (flags: string | undefined): boolean => flags !== undefined && flags.startsWith('D');

/** `kamcmd … dispatcher.list` output → destination → flags. */
export function parseDispatcherList(output: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of output.matchAll(/URI:\s*(\S+)\s+FLAGS:\s*(\S+)/g)) out.set(m[1]!, m[2]!);
  return out;
}

/**
 * An RPC's answer: kamcmd exits 0 even when the RPC failed, and says so in its output
 * (`error: 500 - …`), so both are read.
 */
export function rpcFailure(code: number, output: string): string | undefined {
  const error = /^error:.*$/im.exec(output)?.[0];
  if (error) return error.trim();
  if (code !== 0) return output.trim().split('\n').slice(-3).join('; ') || `exit code ${code}`;
  return undefined;
}

/** Runs a Kamailio RPC on the edge host with its `deploy.kamcmd` command; throws when it failed. */
export function kamcmd(remote: Remote, edge: PbxNode): (method: string, ...args: string[]) => Promise<string> {
  const command = (edge.deploy.kamcmd ?? ['kamcmd']).map(sh).join(' ');
  return async (method, ...args) => {
    const r = await remote.run([command, sh(method), ...args.map(sh)].join(' '), { timeoutMs: 30_000 });
    const failure = rpcFailure(r.code, r.stdout + r.stderr);
    if (failure !== undefined) throw new HostError(`${edge.name}: kamcmd ${[method, ...args].join(' ')} failed: ${failure}`);
    return r.stdout;
  };
}

export function shellEdge(remote: Remote, edge: PbxNode): EdgeHost {
  const rpc = kamcmd(remote, edge);
  return {
    name: edge.name,
    destinations: async () => parseDispatcherList(await rpc('dispatcher.list')),
    async setState(destination, state) {
      await rpc('dispatcher.set_state', STATE_FLAGS[state], String(DS_NODES), destination);
      // Read back: the state the edge reports is what counts.
      const now = (await this.destinations()).get(destination);
      const ok = state === 'drained' ? isDrained(now) : now !== undefined && !isDrained(now);
      if (!ok) throw new HostError(`${edge.name}: ${destination} is ${now ?? 'not listed'} after dispatcher.set_state ${STATE_FLAGS[state]}`);
    },
    close: () => remote.close(),
  };
}

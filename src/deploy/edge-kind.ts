import { planReloads as planBuildReloads } from '../plan/reloads/index.js';
import { DS_NODES } from '../targets/kamailio/lists.js';
import type { Step } from './apply.js';
import { isDrained, type EdgeHost } from './edge-host.js';
import type { NodeHost } from './node-host.js';
import type { Applied, NodeKind } from './node-kind.js';
import type { ReloadChange, ReloadPlan } from './reloads.js';

/**
 * The Kamailio edge as a kind of node (node-kind.ts): its release is the build's
 * `nodes/<edge>/kamailio/` tree (release.ts edgeFiles), applied with the RPCs plan names for the
 * changed lists (`permissions.addressReload`, `dispatcher.reload`, `tls.reload`; the phones' HA1s
 * need none) or, for kamailio.cfg, a restart (deploy.restart). The check: Kamailio answers its
 * RPCs and the dispatcher routes to exactly the nodes of the release's dispatcher.list.
 *
 * `dispatcher.reload` and a restart forget the states set by RPC: a node drained by hand before
 * the deploy is drained again right after (deploy deploys the edge last, after the nodes' roll,
 * when every node it drained is back in rotation).
 */
export function kamailioKind(edge: EdgeHost, o: { upTimeoutMs?: number; sleep?: (ms: number) => Promise<void> } = {}): NodeKind {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  /** Kamailio's destinations once it answers (a restart takes a moment), or why it does not. */
  const answering = async (): Promise<Map<string, string>> => {
    const deadline = Date.now() + (o.upTimeoutMs ?? 30_000);
    for (;;) {
      try {
        return await edge.destinations();
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`Kamailio on ${edge.name} does not answer its RPCs: ${(e as Error).message}`);
        await sleep(500);
      }
    }
  };
  return {
    program: 'Kamailio',
    firstLook: 'kamcmd dispatcher.list, kamcmd core.uptime, its log',
    restartHint: 'Deploy with --allow-restart: Kamailio then restarts (deploy.restart); calls up go on (in-dialog requests follow Record-Route), new ones wait the second it takes (SIP retransmits).',
    ...edgePlanning,
    async apply(host: NodeHost, release: string, _files: Iterable<string>, reloads: ReloadPlan, step: Step): Promise<Applied> {
      const drained = [...(await edge.destinations().catch(() => new Map<string, string>()))].filter(([, flags]) => isDrained(flags)).map(([d]) => d);
      const restart = reloads.restart.length > 0;
      step('switch', release);
      if (restart) step('restart', `Kamailio: ${reloads.restart.join('; ')}`);
      else if (reloads.commands.length) step('reload', reloads.commands.join(', '));
      await host.activate(release, restart ? { restartKamailio: true } : { kamailio: reloads.commands });
      if (restart || reloads.commands.includes('dispatcher.reload')) {
        const now = await answering();
        for (const d of drained) if (now.has(d) && !isDrained(now.get(d))) await edge.setState(d, 'drained');
      }
      return { offset: 0, notInstalled: [], restarted: restart };
    },
    checkedFiles: ['kamailio/dispatcher.list'],
    async check(_host, files) {
      const listed = await answering();
      const expected = dispatcherDestinations(files.get('kamailio/dispatcher.list') ?? '');
      const missing = expected.filter((d) => !listed.has(d));
      const extra = [...listed.keys()].filter((d) => !expected.includes(d));
      return [
        ...(missing.length ? [`${missing.length} node(s) of the release missing in Kamailio's dispatcher (dispatcher.list): ${missing.join(', ')}`] : []),
        ...(extra.length ? [`Kamailio's dispatcher routes to node(s) the release does not list: ${extra.join(', ')}`] : []),
      ];
    },
  };
}

/** What the edge's reloads are worked out from (also for `deploy --dry-run`): only kamailio.cfg is read by parts (a listen change). */
export const edgePlanning: Pick<NodeKind, 'readsBefore' | 'planReloads'> = {
  readsBefore: (path) => path === 'kamailio/kamailio.cfg',
  planReloads: (changes) => edgeReloads(changes),
};

/** The node the edge's release paths are classified as (plan's reloads read `nodes/<node>/kamailio/…`). */
const EDGE = 'edge';

/** The edge's share of plan's reload classification (src/plan/reloads/kamailio.ts). Pure. */
export function edgeReloads(changes: readonly ReloadChange[]): ReloadPlan {
  const plan = planBuildReloads(
    changes.map((c) => ({ path: `nodes/${EDGE}/${c.path}`, ...(c.before !== undefined && { before: c.before }), ...(c.after !== undefined && { after: c.after }) })),
    { singleNode: EDGE, pbxHosts: [] },
  );
  const mine = plan.nodes[EDGE];
  // The reasons in the release's own paths (kamailio/…), whatever the edge is called.
  const own = (why: string) => why.split(`nodes/${EDGE}/`).join('');
  return {
    commands: (mine?.reloads ?? []).filter((r) => r.service === 'kamailio').map((r) => r.command),
    restart: (mine?.restart?.why ?? []).map(own),
    units: [],
    phones: [],
  };
}

/** The destinations of the nodes' set in a dispatcher.list (`setid destination flags …` lines). */
export function dispatcherDestinations(list: string): string[] {
  return list
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter(([set, destination]) => set === String(DS_NODES) && destination !== undefined)
    .map(([, destination]) => destination!);
}

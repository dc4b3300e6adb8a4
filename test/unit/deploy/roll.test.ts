import { describe, expect, it } from 'vitest';
import { DeployRefused, type DeployOptions } from '../../../src/deploy/deploy.js';
import type { EdgeHost } from '../../../src/deploy/edge-host.js';
import { parseDispatcherList, rpcFailure } from '../../../src/deploy/edge-host.js';
import { LockedError } from '../../../src/deploy/node-host.js';
import { makeManifest } from '../../../src/deploy/release.js';
import type { NodeResult } from '../../../src/deploy/report.js';
import { deploymentOn, roll, type RollOptions, type RollTarget } from '../../../src/deploy/roll.js';
import { FakeHost } from '../../helpers/fake-host.js';

/**
 * The rolling deploy behind the edge, with an edge and nodes in memory: the order of operations
 * (drain, calls end, deploy, back in, then the next node), a failure stopping the roll, the drain
 * timeout, and where each node is left in the edge.
 */

/** Everything that happened, edge and nodes, in order. */
let events: string[] = [];

class FakeEdge implements EdgeHost {
  readonly name = 'edge';
  states = new Map<string, string>();
  failSet = false;
  constructor(destinations: string[]) {
    for (const d of destinations) this.states.set(d, 'AP');
  }
  async destinations() {
    return new Map(this.states);
  }
  async setState(d: string, state: 'drained' | 'active') {
    if (this.failSet) throw new Error('kamcmd: connection refused');
    events.push(`edge ${state} ${d}`);
    this.states.set(d, state === 'drained' ? 'DX' : 'AP');
  }
  async close() {}
}

/** A node whose Asterisk has `up` calls; each count of them lets one end (when `ending`). */
class Node extends FakeHost {
  up = 0;
  ending = true;
  override async asterisk(command: string) {
    if (command === 'core show channels count') {
      const now = this.up;
      events.push(`${this.name} count ${now}`);
      if (this.ending && this.up > 0) this.up--;
      return `${now} active channels\n${now} active calls\n17 calls processed\n`;
    }
    if (/reload/.test(command)) events.push(`${this.name} ${command}`);
    return super.asterisk(command);
  }
}

function build(o: { context?: string; extra?: string } = {}): Map<string, string> {
  return new Map([
    ['asterisk/pjsip.conf', `[transport-udp]\ntype = transport\nprotocol = udp\nbind = 127.0.0.1:5060\n\n[1001-desk]\ntype = endpoint\ncontext = from-users\n${o.extra ?? ''}`],
    ['asterisk/queues.conf', `[general]\npersistentmembers = yes\n\n[support]\nstrategy = ringall\n`],
    ['asterisk/extensions.conf', `[from-users]\nexten => _X.,1,NoOp()\n\n[${o.context ?? 'from-trunks'}]\nexten => _X.,1,NoOp()\n`],
  ]);
}

const at = new Date('2026-11-25T18:00:00Z');
const release = (files: Map<string, string>, node: string) => makeManifest(files, { node, createdAt: at }).release;
const dest = (i: number) => `sip:10.0.0.1${i}:5060`;
const targets: RollTarget[] = [
  { name: 'pbx-1', destination: dest(1) },
  { name: 'pbx-2', destination: dest(2) },
];

/** A refusal as the command makes it (deploy.ts refusal()). */
const refuse = (node: string, e: unknown): NodeResult => {
  if (e instanceof DeployRefused || e instanceof LockedError) return { node, status: 'refused', message: e.message };
  throw e;
};

interface World {
  edge: FakeEdge;
  hosts: { 'pbx-1': Node; 'pbx-2': Node };
  slept: number;
  options(files: Map<string, string>, more?: Partial<DeployOptions> & { drainTimeoutMs?: number }): RollOptions<RollTarget>;
}

/** Two nodes running v1 behind an edge with both in rotation. */
async function world(): Promise<World> {
  events = [];
  const hosts = { 'pbx-1': new Node('pbx-1'), 'pbx-2': new Node('pbx-2') };
  const edge = new FakeEdge([dest(1), dest(2)]);
  let now = 0;
  const w: World = {
    edge,
    hosts,
    slept: 0,
    options: (files, more = {}) => ({
      edge,
      drainTimeoutMs: more.drainTimeoutMs ?? 60_000,
      pollMs: 1_000,
      clock: () => now,
      sleep: async (ms) => {
        now += ms;
        w.slept += ms;
      },
      async open(node) {
        const host = hosts[node.name as keyof typeof hosts];
        events.push(`${node.name} open`);
        return deploymentOn(host, { node: node.name, files, by: 'ci', now: () => at, check: { sleep: async () => undefined }, ...more }, refuse);
      },
    }),
  };
  const first = await roll(targets, w.options(build()));
  expect(first.results.map((r) => r.status)).toEqual(['deployed', 'deployed']);
  events = [];
  return w;
}

describe('rolling deploy behind the edge (in memory)', () => {
  it('one node at a time: drained, its calls end, deployed and checked, put back; then the next', async () => {
    const w = await world();
    w.hosts['pbx-1'].up = 2;
    const v2 = build({ context: 'from-carrier' });
    const report = await roll(targets, w.options(v2));
    expect(report.results.map((r) => [r.node, r.status, r.rotation])).toEqual([
      ['pbx-1', 'deployed', 'back'],
      ['pbx-2', 'deployed', 'back'],
    ]);
    expect(report.skipped).toEqual([]);
    expect(events).toEqual([
      'pbx-1 open',
      `edge drained ${dest(1)}`,
      'pbx-1 count 2',
      'pbx-1 count 1',
      'pbx-1 count 0',
      'pbx-1 module reload pbx_config.so',
      `edge active ${dest(1)}`,
      'pbx-2 open',
      `edge drained ${dest(2)}`,
      'pbx-2 count 0',
      'pbx-2 module reload pbx_config.so',
      `edge active ${dest(2)}`,
    ]);
    for (const h of Object.values(w.hosts)) expect(h.current).toBe(release(v2, h.name));
    expect([...w.edge.states.values()]).toEqual(['AP', 'AP']);
  });

  it('a drain that outlasts its timeout: the deploy goes on (reloads drop no call) and says how many calls were up', async () => {
    const w = await world();
    w.hosts['pbx-1'].up = 3;
    w.hosts['pbx-1'].ending = false;
    const report = await roll(targets, w.options(build({ context: 'from-carrier' }), { drainTimeoutMs: 5_000 }));
    expect(report.results[0]).toMatchObject({ node: 'pbx-1', status: 'deployed', rotation: 'back', callsLeft: 3 });
    expect(w.slept).toBe(5_000);
    expect(report.results[1]).toMatchObject({ node: 'pbx-2', status: 'deployed', rotation: 'back' });
    expect(report.results[1]).not.toHaveProperty('callsLeft');
  });

  it('a node failing its checks is rolled back, put back in rotation on its old release, and the roll stops: the next node is not touched', async () => {
    const w = await world();
    const old2 = w.hosts['pbx-2'].current;
    const bad = build({ extra: '\n[broken]\ntype = endpoint\nREJECT = yes\n' });
    const report = await roll(targets, w.options(bad));
    expect(report.results).toHaveLength(1);
    expect(report.results[0]).toMatchObject({ node: 'pbx-1', status: 'rolled-back', rotation: 'back' });
    expect(report.skipped).toEqual(['pbx-2']);
    expect(events.filter((e) => e.includes('pbx-2') || e.includes(dest(2)))).toEqual([]);
    expect(w.hosts['pbx-2'].current).toBe(old2);
    expect(w.hosts['pbx-1'].current).toBe(release(build(), 'pbx-1'));
    expect([...w.edge.states.values()]).toEqual(['AP', 'AP']);
  });

  it('a node whose rollback fails too stays drained, and the roll stops', async () => {
    const w = await world();
    const h = w.hosts['pbx-1'];
    // Asterisk goes away once the new release is switched in: its checks fail, and the rollback's too.
    h.beforeEach = (m) => {
      if (m.startsWith('activate')) h.asteriskDown = true;
    };
    const report = await roll(targets, w.options(build({ context: 'from-carrier' })));
    expect(report.results[0]).toMatchObject({ node: 'pbx-1', status: 'rollback-failed', rotation: 'left-drained' });
    expect(report.results[0]!.edgeNote).toContain(`kamcmd dispatcher.set_state ap 1 ${dest(1)}`);
    expect(report.skipped).toEqual(['pbx-2']);
    expect(w.edge.states.get(dest(1))).toBe('DX');
    expect(w.edge.states.get(dest(2))).toBe('AP');
  });

  it('a node deploy refuses (files changed by hand) is not drained, and the roll stops', async () => {
    const w = await world();
    const h = w.hosts['pbx-1'];
    h.releases.get(h.current!)!.files.set('asterisk/queues.conf', 'edited by hand');
    const report = await roll(targets, w.options(build({ context: 'from-carrier' })));
    expect(report.results[0]).toMatchObject({ node: 'pbx-1', status: 'refused', rotation: 'not-drained' });
    expect(report.skipped).toEqual(['pbx-2']);
    expect(events.filter((e) => e.startsWith('edge'))).toEqual([]);
  });

  it('a node locked by another deploy after it was drained is put back, and the roll stops', async () => {
    const w = await world();
    w.hosts['pbx-1'].locked = 'anna@laptop';
    const report = await roll(targets, w.options(build({ context: 'from-carrier' })));
    expect(report.results[0]).toMatchObject({ node: 'pbx-1', status: 'refused', rotation: 'back' });
    expect(events.filter((e) => e.startsWith('edge'))).toEqual([`edge drained ${dest(1)}`, `edge active ${dest(1)}`]);
    expect(report.skipped).toEqual(['pbx-2']);
  });

  it('nodes already on the release are not drained; a node drained by hand stays drained; a node the edge does not list is deployed without a drain', async () => {
    const w = await world();
    const same = await roll(targets, w.options(build()));
    expect(same.results.map((r) => [r.status, r.rotation])).toEqual([
      ['unchanged', 'not-drained'],
      ['unchanged', 'not-drained'],
    ]);
    expect(events.filter((e) => e.startsWith('edge'))).toEqual([]);

    w.edge.states.set(dest(1), 'DX');
    w.edge.states.delete(dest(2));
    const report = await roll(targets, w.options(build({ context: 'from-carrier' })));
    expect(report.results[0]).toMatchObject({ status: 'deployed', rotation: 'kept-drained' });
    expect(report.results[1]).toMatchObject({ status: 'deployed', rotation: 'not-drained' });
    expect(report.results[1]!.edgeNote).toMatch(/not in edge's dispatcher list/);
    expect(w.edge.states.get(dest(1))).toBe('DX');
    expect(events.filter((e) => e.startsWith('edge'))).toEqual([]);
  });

  it('an edge that cannot drain the node: the node is not touched, and the roll stops', async () => {
    const w = await world();
    w.edge.failSet = true;
    const report = await roll(targets, w.options(build({ context: 'from-carrier' })));
    expect(report.results[0]).toMatchObject({ node: 'pbx-1', status: 'refused' });
    expect((report.results[0] as { message: string }).message).toMatch(/could not drain it at edge: kamcmd: connection refused/);
    expect(w.hosts['pbx-1'].current).toBe(release(build(), 'pbx-1'));
    expect(report.skipped).toEqual(['pbx-2']);
  });

  it('a node that cannot be reached stops the roll before anything is drained', async () => {
    const w = await world();
    const o = w.options(build({ context: 'from-carrier' }));
    const report = await roll(targets, { ...o, open: async (n) => ({ node: n.name, status: 'refused', message: 'cannot connect' }) });
    expect(report.results).toEqual([{ node: 'pbx-1', status: 'refused', message: 'cannot connect' }]);
    expect(report.skipped).toEqual(['pbx-2']);
    expect(events).toEqual([]);
  });
});

describe('the edge over kamcmd', () => {
  it('reads destinations and their flags from dispatcher.list', () => {
    const out = `{\n\tNRSETS: 1\n\tRECORDS: {\n\t\tSET: {\n\t\t\tID: 1\n\t\t\tTARGETS: {\n\t\t\t\tDEST: {\n\t\t\t\t\tURI: sip:10.0.0.11:5060\n\t\t\t\t\tFLAGS: AP\n\t\t\t\t\tPRIORITY: 0\n\t\t\t\t}\n\t\t\t\tDEST: {\n\t\t\t\t\tURI: sip:10.0.0.12:5060\n\t\t\t\t\tFLAGS: DX\n`;
    expect([...parseDispatcherList(out)]).toEqual([
      ['sip:10.0.0.11:5060', 'AP'],
      ['sip:10.0.0.12:5060', 'DX'],
    ]);
  });

  it('an RPC error is a failure even though kamcmd exits 0', () => {
    expect(rpcFailure(0, 'error: 500 - Destination not found\n')).toBe('error: 500 - Destination not found');
    expect(rpcFailure(0, '')).toBeUndefined();
    expect(rpcFailure(255, 'ERROR: connect_unix_sock: connect(/run/k): No such file or directory\n')).toMatch(/No such file/);
  });
});

import { describe, expect, it } from 'vitest';
import { dispatcherDestinations, edgeReloads, kamailioKind } from '../../../src/deploy/edge-kind.js';
import { isDrained, type EdgeHost } from '../../../src/deploy/edge-host.js';
import type { Activation, NodeHost } from '../../../src/deploy/node-host.js';
import { edgeFiles } from '../../../src/deploy/release.js';

const cfg = (listen: string, comment = '') => `#!trydef CP_CHILDREN 8\n${comment}listen=udp:${listen}\nrequest_route { exit; }\n`;

describe('the edge as a kind of node', () => {
  it('edgeFiles: only the edge’s kamailio/ tree, its prefix dropped', () => {
    const build = new Map([
      ['nodes/sip-edge/kamailio/kamailio.cfg', 'cfg'],
      ['nodes/sip-edge/kamailio/db/subscriber', 'ha1'],
      ['nodes/pbx-1/asterisk/pjsip.conf', 'secret'],
      ['snom/000413aabbcc.xml', 'password'],
      ['model.json', '{}'],
    ]);
    expect([...edgeFiles(build, 'sip-edge').keys()]).toEqual(['kamailio/db/subscriber', 'kamailio/kamailio.cfg']);
  });

  it('edgeReloads: the lists by their RPCs in a safe order, the HA1s by nothing, kamailio.cfg by a restart named in the release’s own paths', () => {
    const lists = edgeReloads([
      { path: 'kamailio/dispatcher.list', kind: 'changed' },
      { path: 'kamailio/address.list', kind: 'changed' },
      { path: 'kamailio/db/subscriber', kind: 'changed' },
    ]);
    expect(lists).toEqual({ commands: ['permissions.addressReload', 'dispatcher.reload'], restart: [], units: [], phones: [] });
    const listen = edgeReloads([{ path: 'kamailio/kamailio.cfg', kind: 'changed', before: cfg('10.0.0.1:5060'), after: cfg('10.0.0.1:5070') }]);
    expect(listen.restart).toHaveLength(1);
    expect(listen.restart[0]).toMatch(/^kamailio\/kamailio\.cfg: its listen addresses changed/);
    expect(edgeReloads([{ path: 'kamailio/kamailio.cfg', kind: 'changed', before: cfg('10.0.0.1:5060'), after: cfg('10.0.0.1:5060', '# a new comment\n') }])).toEqual({ commands: [], restart: [], units: [], phones: [] });
    // Without its old contents, a changed kamailio.cfg gets the safe answer.
    expect(edgeReloads([{ path: 'kamailio/kamailio.cfg', kind: 'changed' }]).restart).toHaveLength(1);
  });

  it('dispatcherDestinations: the nodes’ set, comments and other sets left out', () => {
    expect(dispatcherDestinations('# pbx-1\n1 sip:10.0.0.11:5060 8 0 rweight=50\n\n# other\n2 sip:10.0.0.99:5060 0 0\n1 sip:10.0.0.12:5060 8 0\n')).toEqual(['sip:10.0.0.11:5060', 'sip:10.0.0.12:5060']);
  });

  it('a node drained by hand stays drained across dispatcher.reload (which forgets RPC states); the check finds a node the release lists but Kamailio does not', async () => {
    const states = new Map([
      ['sip:10.0.0.11:5060', 'DX'],
      ['sip:10.0.0.12:5060', 'AP'],
    ]);
    const edge: EdgeHost = {
      name: 'sip-edge',
      destinations: async () => new Map(states),
      async setState(d, s) {
        states.set(d, s === 'drained' ? 'DX' : 'AP');
      },
      close: async () => undefined,
    };
    const activations: Activation[] = [];
    const host = {
      async activate(_release: string, then: Activation) {
        activations.push(then);
        // What dispatcher.reload does: every destination of the new list, in its listed state.
        if (then.kamailio?.includes('dispatcher.reload')) for (const d of ['sip:10.0.0.11:5060', 'sip:10.0.0.12:5060', 'sip:10.0.0.13:5060']) states.set(d, 'AP');
        return { notInstalled: [] };
      },
    } as unknown as NodeHost;
    const kind = kamailioKind(edge, { sleep: async () => undefined });
    const steps: string[] = [];
    const applied = await kind.apply(host, 'r2', [], { commands: ['dispatcher.reload'], restart: [], units: [], phones: [] }, (name, detail) => steps.push(`${name} ${detail ?? ''}`.trim()));
    expect(activations).toEqual([{ kamailio: ['dispatcher.reload'] }]);
    expect(steps).toEqual(['switch r2', 'reload dispatcher.reload']);
    expect(applied.restarted).toBe(false);
    expect(isDrained(states.get('sip:10.0.0.11:5060'))).toBe(true);
    expect(states.get('sip:10.0.0.13:5060')).toBe('AP');

    const list = '1 sip:10.0.0.11:5060 8 0\n1 sip:10.0.0.12:5060 8 0\n1 sip:10.0.0.14:5060 8 0\n';
    expect(await kind.check(host, new Map([['kamailio/dispatcher.list', list]]), applied)).toEqual([
      "1 node(s) of the release missing in Kamailio's dispatcher (dispatcher.list): sip:10.0.0.14:5060",
      "Kamailio's dispatcher routes to node(s) the release does not list: sip:10.0.0.13:5060",
    ]);
  });

  it('a restart instead of the RPCs when the plan needs one; a Kamailio that does not come back fails the check, saying so', async () => {
    let up = false;
    const edge: EdgeHost = {
      name: 'sip-edge',
      destinations: async () => {
        if (!up) throw new Error('kamcmd: connect: No such file or directory');
        return new Map();
      },
      setState: async () => undefined,
      close: async () => undefined,
    };
    const activations: Activation[] = [];
    const host = { activate: async (_r: string, then: Activation) => (activations.push(then), { notInstalled: [] }) } as unknown as NodeHost;
    const kind = kamailioKind(edge, { sleep: async () => undefined, upTimeoutMs: 0 });
    await expect(kind.apply(host, 'r2', [], { commands: ['dispatcher.reload'], restart: ['kamailio/kamailio.cfg: changed'], units: [], phones: [] }, () => undefined)).rejects.toThrow(/Kamailio on sip-edge does not answer its RPCs: kamcmd: connect/);
    expect(activations).toEqual([{ restartKamailio: true }]);
    up = true;
    expect(await kind.check(host, new Map([['kamailio/dispatcher.list', '']]), { offset: 0, notInstalled: [], restarted: true })).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { deployNode, DeployRefused, type DeployOptions } from '../../../src/deploy/deploy.js';
import { LockedError } from '../../../src/deploy/node-host.js';
import { makeManifest } from '../../../src/deploy/release.js';
import { rollbackNode } from '../../../src/deploy/rollback.js';
import { formatStatusText, nodeStatus } from '../../../src/deploy/status.js';
import { formatOutcome } from '../../../src/deploy/report.js';
import { FakeHost } from '../../helpers/fake-host.js';

/** A small node build: endpoints, a queue, contexts; `v` changes what each file says. */
function build(o: { users?: string[]; queue?: string; context?: string; transport?: string; extra?: string; snom?: Record<string, string> } = {}): Map<string, string> {
  const users = o.users ?? ['1001', '1002'];
  const pjsip = [
    `[transport-udp]\ntype = transport\nprotocol = udp\nbind = ${o.transport ?? '127.0.0.1:5060'}\n`,
    ...users.map((u) => `[${u}-desk]\ntype = endpoint\ncontext = from-users\n`),
    o.extra ?? '',
  ].join('\n');
  return new Map([
    ['asterisk/pjsip.conf', pjsip],
    ['asterisk/queues.conf', `[general]\npersistentmembers = yes\n\n[${o.queue ?? 'support'}]\nstrategy = ringall\n`],
    ['asterisk/extensions.conf', `[from-users]\nexten => _X.,1,NoOp()\n\n[${o.context ?? 'from-trunks'}]\nexten => _X.,1,NoOp()\n`],
    ...Object.entries(o.snom ?? {}).map(([f, c]) => [`snom/${f}`, c] as [string, string]),
  ]);
}

const at = new Date('2026-11-25T18:00:00Z');
const opts = (files: Map<string, string>, more: Partial<DeployOptions> = {}): DeployOptions => ({
  node: 'pbx',
  files,
  revision: 'abc1234',
  by: 'ci@runner',
  now: () => at,
  check: { sleep: async () => undefined },
  ...more,
});
const release = (files: Map<string, string>) => makeManifest(files, { node: 'pbx', createdAt: at }).release;

describe('deploy on a node (in memory)', () => {
  it('a first deploy uploads every file, switches, reloads every config and records the release as applied', async () => {
    const host = new FakeHost();
    const v1 = build();
    const out = await deployNode(host, opts(v1));
    expect(out.status).toBe('deployed');
    expect(host.current).toBe(release(v1));
    // A new transport is created by the reload: no restart.
    expect(host.commands.slice(0, 3)).toEqual(['module reload res_pjsip.so', 'queue reload all', 'module reload pbx_config.so']);
    expect(host.history).toEqual([{ at: at.toISOString(), action: 'deploy', release: release(v1), result: 'applied', revision: 'abc1234', by: 'ci@runner' }]);
    expect(host.loaded.get('queues.conf')).toContain('[support]');
    expect(host.locked).toBeUndefined();
  });

  it('a change to one file uploads that file only and runs only its reload', async () => {
    const host = new FakeHost();
    await deployNode(host, opts(build()));
    const sentBefore = host.bytesSent;
    const v2 = build({ context: 'from-carrier' });
    host.commands = [];
    const out = await deployNode(host, opts(v2));
    expect(out.status).toBe('deployed');
    if (out.status !== 'deployed') return;
    expect(out.changes).toEqual([{ path: 'asterisk/extensions.conf', kind: 'changed' }]);
    expect(out.reloads).toEqual({ commands: ['module reload pbx_config.so'], restart: [], units: [], phones: [] });
    // That file only (whole or as its edits), and the manifest and its sums as their changed lines.
    const deltas = host.deltas.at(-1)!;
    expect([...host.uploads.at(-1)!, ...deltas.keys()].sort()).toEqual(['SHA256SUMS', 'asterisk/extensions.conf', 'manifest.json']);
    expect(host.bytesSent - sentBefore).toBeLessThanOrEqual(v2.get('asterisk/extensions.conf')!.length + [...deltas.values()].reduce((n, d) => n + d.length, 0));
    expect(host.commands.filter((c) => /reload/.test(c))).toEqual(['module reload pbx_config.so']);
    expect(host.releases.get(release(v2))!.files).toEqual(v2);
  });

  it('a large file changed in a few lines goes as its edits against the running release, rebuilt exactly on the host', async () => {
    const host = new FakeHost();
    const pad = Array.from({ length: 2000 }, (_, i) => `; padding line ${i}`).join('\n');
    const v1 = build();
    v1.set('asterisk/extensions.conf', `${v1.get('asterisk/extensions.conf')}${pad}\n`);
    await deployNode(host, opts(v1));
    const sentBefore = host.bytesSent;
    const v2 = new Map(v1);
    v2.set('asterisk/extensions.conf', v1.get('asterisk/extensions.conf')!.replace('; padding line 1000\n', '; padding line 1000 (changed)\n'));
    const steps: string[] = [];
    const out = await deployNode(host, { ...opts(v2), step: (n, d) => steps.push(`${n} ${d ?? ''}`) });
    expect(out.status).toBe('deployed');
    expect(steps).toContain(`upload 1 of ${v2.size} files (1 as their changed lines)`);
    expect(host.deltas.at(-1)!.get('asterisk/extensions.conf')).toMatch(/^c \d+\nd 1\na 1\n; padding line 1000 \(changed\)\nc \d+\n$/);
    expect(host.bytesSent - sentBefore).toBeLessThan(v2.get('asterisk/extensions.conf')!.length / 10);
    expect(host.releases.get(release(v2))!.files).toEqual(v2);
  });

  it('the same build again changes nothing: no upload, no switch, no reload', async () => {
    const host = new FakeHost();
    await deployNode(host, opts(build()));
    host.calls = [];
    const out = await deployNode(host, opts(build()));
    expect(out.status).toBe('unchanged');
    expect(host.calls.filter((c) => /upload|activate|asterisk/.test(c))).toEqual([]);
  });

  it('a reload Asterisk rejects is rolled back: the previous release is switched back and reloaded, and the history says why', async () => {
    const host = new FakeHost();
    const v1 = build();
    await deployNode(host, opts(v1));
    const bad = build({ users: ['1001', '1002', '1003'], extra: '[broken]\ntype = endpoint\nREJECT = yes\n' });
    const out = await deployNode(host, opts(bad));
    expect(out.status).toBe('rolled-back');
    if (out.status !== 'rolled-back') return;
    expect(out.previous).toBe(release(v1));
    expect(out.problems.join('\n')).toMatch(/Asterisk logged: .*ERROR\[123\] config_options\.c: Could not find option/);
    expect(host.current).toBe(release(v1));
    expect(host.history.map((h) => [h.action, h.result, h.release])).toEqual([
      ['deploy', 'applied', release(v1)],
      ['deploy', 'failed', release(bad)],
      ['auto-rollback', 'applied', release(v1)],
    ]);
    expect(host.history[1]!.reason).toMatch(/Could not find option/);
    // Switched back and reloaded the same modules.
    expect(host.calls.filter((c) => c.startsWith('activate'))).toEqual([`activate ${release(v1)}`, `activate ${release(bad)}`, `activate ${release(v1)}`]);
  });

  it("an error Asterisk logs at every reload (before the switch too) is the host's, not the release's; ignore_errors names more", async () => {
    const host = new FakeHost();
    host.noise = "res_pjsip_config_wizard.c: Unable to load config file 'pjsip_wizard.conf'";
    host.log = `[2026-11-25 17:00:00.000] ERROR[1] ${host.noise}\n`;
    expect((await deployNode(host, opts(build()))).status).toBe('deployed');
    host.noise = 'file.c: Error opening directory - /usr/share/asterisk/moh: No such file or directory';
    const noisy = await deployNode(host, opts(build({ queue: 'sales' })));
    expect(noisy.status).toBe('rolled-back');
    if (noisy.status === 'rolled-back') expect(noisy.problems.join()).toContain('/moh: No such file');
    const ignored = await deployNode(host, opts(build({ queue: 'sales' }), { check: { sleep: async () => undefined, ignoreErrors: ['/moh: No such file'] } }));
    expect(ignored.status).toBe('deployed');
  });

  it("an error of every reload stays the host's on a busy node, whose calls log megabytes between two deploys", async () => {
    const host = new FakeHost();
    host.noise = "res_pjsip_config_wizard.c: Unable to load config file 'pjsip_wizard.conf'";
    host.log = `[2026-11-25 17:00:00.000] ERROR[1] ${host.noise}\n`;
    expect((await deployNode(host, opts(build()))).status).toBe('deployed');
    // What 30 calls a second log at verbose 5 in a minute (bench/results/deploy.md).
    const call = '[2026-11-25 18:00:01.000] VERBOSE[2][C-00000001] pbx.c: Executing [+48221999000@from-trunk:1] Gosub("PJSIP/bench-carrier-00000001", "cp-call-start,s,1(inbound)")\n';
    host.log += call.repeat(Math.ceil(8_000_000 / call.length));
    const out = await deployNode(host, opts(build({ queue: 'sales' }), { check: { sleep: async () => undefined } }));
    expect(out.status).toBe('deployed');
  });

  it('a context the whole listing left out is asked for alone before it counts as missing', async () => {
    const host = new FakeHost();
    host.unlisted.add('from-trunks');
    expect((await deployNode(host, opts(build()))).status).toBe('deployed');
    expect(host.commands).toContain('dialplan show from-trunks');
  });

  it('a release whose objects do not appear in Asterisk fails its check and is rolled back', async () => {
    const host = new FakeHost();
    await deployNode(host, opts(build()));
    // The fake Asterisk keeps the old pjsip.conf when a file holds REJECT: 1003-desk never appears.
    const out = await deployNode(host, opts(build({ users: ['1001', '1002', '1003'], extra: '; REJECT\n' })));
    expect(out.status).toBe('rolled-back');
    if (out.status === 'rolled-back') expect(out.problems).toContain('1 endpoints of the release missing in Asterisk (pjsip list endpoints): 1003-desk');
    // Asked for alone too, before it counted as missing.
    expect(host.commands).toContain('pjsip show endpoint 1003-desk');
  });

  it('a failing rollback ends as rollback-failed, with what to do', async () => {
    const host = new FakeHost();
    const v1 = build();
    await deployNode(host, opts(v1));
    let switches = 0;
    host.beforeEach = (m) => {
      if (m.startsWith('activate') && ++switches === 2) host.asteriskDown = true;
    };
    const out = await deployNode(host, opts(build({ extra: '[x]\nREJECT\n' })));
    expect(out.status).toBe('rollback-failed');
    if (out.status !== 'rollback-failed') return;
    expect(out.rollbackProblems.join()).toMatch(/Asterisk did not run/);
    expect(out.whatToDo).toContain(`callplan rollback --node pbx --to ${release(v1)}`);
  });

  it('files changed on the host by hand are reported and not overwritten, unless --force', async () => {
    const host = new FakeHost();
    const v1 = build();
    await deployNode(host, opts(v1));
    host.releases.get(release(v1))!.files.set('asterisk/queues.conf', '[general]\n; tuned by hand\n');
    host.releases.get(release(v1))!.files.set('asterisk/local.conf', 'x');
    const v2 = build({ context: 'from-carrier' });
    const refused = await deployNode(host, opts(v2)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DeployRefused);
    expect((refused as DeployRefused).reason).toBe('drift');
    expect((refused as Error).message).toContain('asterisk/queues.conf (changed), asterisk/local.conf (not in the release)');
    expect(host.current).toBe(release(v1));
    expect(host.locked).toBeUndefined();

    const forced = await deployNode(host, opts(v2, { force: true }));
    expect(forced.status).toBe('deployed');
    expect(host.releases.get(release(v2))!.files).toEqual(v2);
  });

  it('a change that needs a restart is refused without --allow-restart, and restarts with it', async () => {
    const host = new FakeHost();
    await deployNode(host, opts(build()));
    const v2 = build({ transport: '127.0.0.1:5070' });
    host.calls = [];
    const refused = await deployNode(host, opts(v2)).catch((e: unknown) => e);
    expect((refused as DeployRefused).reason).toBe('restart');
    expect((refused as Error).message).toContain('asterisk/pjsip.conf: transport transport-udp changed');
    expect(host.calls).not.toContain('upload');

    host.commands = [];
    const out = await deployNode(host, opts(v2, { allowRestart: true }));
    expect(out.status).toBe('deployed');
    expect(host.commands).toContain('core restart when convenient');
    expect(host.loaded.get('pjsip.conf')).toContain('127.0.0.1:5070');
  });

  it('a second deploy while one holds the lock is refused, naming the holder', async () => {
    const host = new FakeHost();
    host.locked = 'anna@laptop since 2026-11-25T17:59:00.000Z';
    const e = await deployNode(host, opts(build())).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LockedError);
    expect((e as Error).message).toContain('locked by another deploy (anna@laptop since');
    expect(host.current).toBeUndefined();
  });

  it.each(['state', 'upload', 'commit', 'activate', 'asterisk', 'record', 'prune'])('a deploy dying at %s leaves one whole release, and the next deploy completes', async (where) => {
    const host = new FakeHost();
    const v1 = build();
    await deployNode(host, opts(v1));
    const v2 = build({ users: ['1001', '1002', '1004'], queue: 'sales' });
    host.dieAt = where;
    await deployNode(host, opts(v2)).catch(() => undefined);
    expect(host.dead).toBe(true);
    host.dieAt = undefined;
    host.dead = false;
    host.locked = undefined; // the connection is gone, and flock with it
    // Whole: current is v1 or v2, intact, and Asterisk loaded one of them entirely.
    expect([release(v1), release(v2)]).toContain(host.current);
    const loaded = host.loaded.get('queues.conf');
    expect([v1.get('asterisk/queues.conf'), v2.get('asterisk/queues.conf')]).toContain(loaded);
    const out = await deployNode(host, opts(v2));
    expect(['deployed', 'unchanged']).toContain(out.status);
    expect(host.current).toBe(release(v2));
    expect(host.loaded.get('queues.conf')).toBe(v2.get('asterisk/queues.conf'));
    expect(host.history.at(-1)).toMatchObject({ release: release(v2), result: 'applied' });
  });

  describe("the release's systemd units (the dialer daemon, the archive timer)", () => {
    const UNIT = '[Unit]\nDescription=callplan dialer\n[Service]\nExecStart=/usr/bin/callplan dialer run\n';
    const withDialer = (campaigns: string, unit = UNIT) => new Map([...build(), ['dialer/campaigns.json', campaigns], ['dialer/callplan-dialer.service', unit]]);

    it('a changed campaigns file restarts the installed dialer after Asterisk reloads; a changed unit file is daemon-reloaded first', async () => {
      const host = new FakeHost();
      host.installedUnits.add('callplan-dialer.service');
      await deployNode(host, opts(withDialer('{"v":1}')));
      host.systemctl = [];
      const v2 = withDialer('{"v":2}');
      const out = await deployNode(host, opts(v2));
      expect(out.status).toBe('deployed');
      if (out.status !== 'deployed') return;
      expect(out.reloads.units).toEqual([{ action: 'restart', unit: 'callplan-dialer.service' }]);
      expect(host.systemctl).toEqual([`restart callplan-dialer.service (${release(v2)})`]);
      expect(out.unitsNotInstalled).toEqual([]);
      host.systemctl = [];
      const v3 = withDialer('{"v":2}', `${UNIT}Restart=on-failure\n`);
      await deployNode(host, opts(v3));
      expect(host.systemctl).toEqual(['daemon-reload', `restart callplan-dialer.service (${release(v3)})`]);
    });

    it('a host without the unit installed is not an error: the deploy says the restart was not run, and why', async () => {
      const host = new FakeHost();
      await deployNode(host, opts(withDialer('{"v":1}')));
      const out = await deployNode(host, opts(withDialer('{"v":2}')));
      expect(out.status).toBe('deployed');
      if (out.status !== 'deployed') return;
      expect(out.unitsNotInstalled).toEqual(['callplan-dialer.service']);
      expect(host.systemctl).toEqual([]);
      expect(formatOutcome(out)).toContain('not installed on the host, so not restarted: callplan-dialer.service');
    });

    it('a dialer that fails to restart fails the deploy: the previous release is switched back and the dialer restarted on it', async () => {
      const host = new FakeHost();
      host.installedUnits.add('callplan-dialer.service');
      const v1 = withDialer('{"v":1}');
      await deployNode(host, opts(v1));
      host.systemctl = [];
      const v2 = withDialer('{"v":2}');
      host.unitFails = (unit, r) => unit === 'callplan-dialer.service' && r === release(v2);
      const out = await deployNode(host, opts(v2));
      expect(out.status).toBe('rolled-back');
      if (out.status !== 'rolled-back') return;
      expect(out.problems.join('\n')).toContain('systemctl restart callplan-dialer.service failed');
      expect(host.current).toBe(release(v1));
      expect(host.systemctl).toEqual([`restart callplan-dialer.service (${release(v1)})`]);
    });
  });

  it('only the SNOM phones whose files changed are told to resync', async () => {
    const host = new FakeHost();
    const phone = (mac: string, site = 'hq') => ({ mac, model: 'D785', phoneType: 'snomD785', extension: '1', name: 'x', site, endpoint: `${mac}-ep` });
    const phones = [phone('000413000001'), phone('000413000002'), phone('000413000003', 'branch')];
    const list = (site: string) => `<setting-files><file url="http://p/snom/{mac}.xml"/><file url="http://p/snom/tbook-${site}.xml"/></setting-files>`;
    const snom = {
      '000413000001.xml': 'a',
      '000413000002.xml': 'b',
      '000413000003.xml': 'c',
      'snomD785-000413000001.htm': list('hq'),
      'snomD785-000413000002.htm': list('hq'),
      'snomD785-000413000003.htm': list('branch'),
      'tbook-hq.xml': 'hq',
      'tbook-branch.xml': 'br',
    };
    await deployNode(host, opts(build({ snom }), { phones, resync: async () => [] }));
    const told: string[][] = [];
    const out = await deployNode(host, opts(build({ snom: { ...snom, '000413000002.xml': 'b2', 'tbook-branch.xml': 'br2' } }), { phones, resync: async (p) => (told.push(p.map((x) => x.mac)), []) }));
    expect(out.status).toBe('deployed');
    expect(told).toEqual([['000413000002', '000413000003']]);
  });
});

describe('rollback and status (in memory)', () => {
  it('rollback goes back to the release applied before, with its reloads, and status shows it', async () => {
    const host = new FakeHost();
    const v1 = build();
    const v2 = build({ queue: 'sales' });
    await deployNode(host, opts(v1, { revision: 'rev1' }));
    await deployNode(host, opts(v2, { revision: 'rev2' }));
    host.commands = [];
    const out = await rollbackNode(host, { node: 'pbx', by: 'anna', now: () => at, check: { sleep: async () => undefined } });
    expect(out.status).toBe('deployed');
    expect(host.current).toBe(release(v1));
    expect(host.commands.filter((c) => /reload/.test(c))).toEqual(['queue reload all']);
    expect(host.loaded.get('queues.conf')).toContain('[support]');

    const status = await nodeStatus(host, 'pbx', new Date(at.getTime() + 3_600_000));
    expect(status).toMatchObject({ current: release(v1), applied: release(v1), revision: 'rev1', ageSeconds: 3600, drift: { changed: [], missing: [], extra: [] } });
    expect(formatStatusText([status])).toContain(`pbx: release ${release(v1)}, 60 min old, revision rev1, by anna`);
  });

  it('status reports hand-edited files as drift', async () => {
    const host = new FakeHost();
    const v1 = build();
    await deployNode(host, opts(v1));
    host.releases.get(release(v1))!.files.set('asterisk/extensions.conf', 'edited');
    host.releases.get(release(v1))!.files.delete('asterisk/queues.conf');
    const text = formatStatusText([await nodeStatus(host, 'pbx', at)]);
    expect(text).toContain('    changed  asterisk/extensions.conf');
    expect(text).toContain('    missing  asterisk/queues.conf');
  });

  it('rollback --to a release that is not on the host is refused', async () => {
    const host = new FakeHost();
    await deployNode(host, opts(build()));
    const e = await rollbackNode(host, { node: 'pbx', to: '0123456789abcdef', by: 'anna' }).catch((x: unknown) => x);
    expect((e as DeployRefused).reason).toBe('no-previous');
  });
});

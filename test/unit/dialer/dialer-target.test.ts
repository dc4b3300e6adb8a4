import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCampaignsFile, CampaignsFileError } from '../../../src/dialer/campaigns-file.js';
import { settingsFromCampaign } from '../../../src/dialer/campaign.js';
import type { Model } from '../../../src/model/types.js';
import { checkProject } from '../../../src/project/check.js';
import { dialerTarget } from '../../../src/targets/dialer/index.js';
import type { CompileContext } from '../../../src/targets/target.js';

/**
 * The dialer target: campaigns.json (what the daemon reads: pacing settings exactly as the
 * simulator's, queue, contexts, AMI without a secret) and a systemd unit that systemd accepts.
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const standIn = (name: string) => `Gx7!${createHash('sha256').update(name).digest('base64url').slice(0, 32)}`;
const ENV: Record<string, string> = new Proxy({} as Record<string, string>, { get: (_t, name) => (typeof name === 'string' ? standIn(name) : undefined) });
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-dialer-unit-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function model(example: string): Model {
  const r = checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO });
  expect(r.diagnostics).toEqual([]);
  return r.model!;
}

const files = (m: Model) => dialerTarget.compile(m, {} as CompileContext);

describe('the dialer target', () => {
  it('writes campaigns.json and the unit only for projects with campaigns, in the first node\'s tree behind an edge', () => {
    expect([...files(model('debt-collection-pl')).keys()]).toEqual(['nodes/pbx-krk/dialer/campaigns.json', 'nodes/pbx-krk/dialer/callplan-dialer.service']);
    expect(files(model('payment-center-by')).size).toBe(0);
  });

  it('behind an edge, writes one daemon per Asterisk node that runs campaigns, each with only its own and its node\'s manager', () => {
    const m = model('debt-collection-pl');
    const pinned = m.campaigns[1]!.name;
    m.campaigns[1] = { ...m.campaigns[1]!, node: 'pbx-waw' };
    const out = files(m);
    expect([...out.keys()].sort()).toEqual(['nodes/pbx-krk/dialer/callplan-dialer.service', 'nodes/pbx-krk/dialer/campaigns.json', 'nodes/pbx-waw/dialer/callplan-dialer.service', 'nodes/pbx-waw/dialer/campaigns.json']);
    const krk = parseCampaignsFile(out.get('nodes/pbx-krk/dialer/campaigns.json')!, 'krk');
    const waw = parseCampaignsFile(out.get('nodes/pbx-waw/dialer/campaigns.json')!, 'waw');
    // Every campaign is dialled by exactly one daemon.
    expect(waw.campaigns.map((c) => c.name)).toEqual([pinned]);
    expect(krk.campaigns.map((c) => c.name).sort()).toEqual(m.campaigns.map((c) => c.name).filter((n) => n !== pinned).sort());
    expect(waw.ami.port).toBe(m.nodes.find((n) => n.name === 'pbx-waw')!.amiPort);
    expect(out.get('nodes/pbx-waw/dialer/callplan-dialer.service')).toContain('ExecStart=/usr/bin/env callplan dialer run /srv/callplan/build/nodes/pbx-waw --state /var/lib/callplan-dialer');
    // All pinned to pbx-waw: the first node runs no daemon.
    for (const [i, c] of m.campaigns.entries()) m.campaigns[i] = { ...c, node: 'pbx-waw' };
    expect([...files(m).keys()].sort()).toEqual(['nodes/pbx-waw/dialer/callplan-dialer.service', 'nodes/pbx-waw/dialer/campaigns.json']);
  });

  it('hands the daemon each campaign\'s pacing settings as the model gives them, its queue, agents and contexts, and no secret', () => {
    const m = model('debt-collection-pl');
    const text = files(m).get('nodes/pbx-krk/dialer/campaigns.json')!;
    for (const value of Object.values(process.env).concat([standIn('CALLPLAN_DEVICE_MASTER')])) if (value && value.length > 12) expect(text).not.toContain(value);
    const file = parseCampaignsFile(text, 'campaigns.json');
    expect(file.ami).toEqual({ host: '127.0.0.1', port: m.nodes.find((n) => n.name === 'pbx-krk')!.amiPort, username: 'callplan-dialer', masterSecret: '${env:CALLPLAN_DEVICE_MASTER}', purpose: 'ami:callplan-dialer' });
    expect(file.campaigns.map((c) => c.name)).toEqual(m.campaigns.map((c) => c.name));
    const early = file.campaigns.find((c) => c.name === 'early-arrears')!;
    expect(early).toMatchObject({ queue: 'early-arrears', context: 'cp-dialer-early-arrears', channel: 'Local/{number}@cp-dialer-early-arrears-out/n', callerId: '+48224605100' });
    expect(early.fields).toEqual(['case_id', 'creditor', 'debtor_name', 'amount_due', 'due_date', 'last_promise']);
    expect(early.agents.length).toBeGreaterThan(0);
    expect(early.agents[0]!.interface).toMatch(/^Local\/\d+@cp-queue-members\/n$/);
    // Exactly the settings the simulator measures (sets and infinite limits survive JSON).
    expect(early.settings).toEqual(settingsFromCampaign(m, m.campaigns.find((c) => c.name === 'early-arrears')!));
  });

  it('refuses a campaigns.json of another version or shape, naming the field', () => {
    expect(() => parseCampaignsFile('{"version": 2}', 'x.json')).toThrow(/x\.json: version: is 2, this callplan reads version 1/);
    const text = files(model('debt-collection-pl')).get('nodes/pbx-krk/dialer/campaigns.json')!;
    const broken = JSON.parse(text);
    delete broken.campaigns[1].context;
    expect(() => parseCampaignsFile(JSON.stringify(broken), 'x.json')).toThrow(CampaignsFileError);
    expect(() => parseCampaignsFile(JSON.stringify(broken), 'x.json')).toThrow(/campaigns\[1\]\.context: must be a non-empty string/);
    expect(() => parseCampaignsFile('{', 'x.json')).toThrow(/x\.json: not JSON/);
  });

  it('runs the daemon as an unprivileged user with a state directory, restarts it on failure, hardened', () => {
    const unit = files(model('debt-collection-pl')).get('nodes/pbx-krk/dialer/callplan-dialer.service')!.split('\n');
    for (const line of [
      'User=callplan-dialer',
      'StateDirectory=callplan-dialer',
      'Restart=on-failure',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'CapabilityBoundingSet=',
      'IPAddressAllow=localhost',
      'EnvironmentFile=/etc/callplan/dialer.env',
      'ExecStart=/usr/bin/env callplan dialer run /srv/callplan/build/nodes/pbx-krk --state /var/lib/callplan-dialer',
    ]) {
      expect(unit).toContain(line);
    }
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  it('is accepted by systemd-analyze verify without a warning, and rated well hardened', () => {
    expect(analyze.status, 'systemd-analyze is needed (Debian: the systemd package)').toBe(0);
    const dir = mkdtempSync(path.join(tmp, 'unit-'));
    const service = path.join(dir, 'callplan-dialer.service');
    writeFileSync(service, files(model('debt-collection-pl')).get('nodes/pbx-krk/dialer/callplan-dialer.service')!);
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', service], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect((r.stdout + r.stderr).trim()).toBe('');
    const s = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', service], { encoding: 'utf8', timeout: 30_000 });
    const m = /Overall exposure level for .*: (\d+\.\d+) (\w+)/.exec(s.stdout + s.stderr);
    expect(m, s.stdout + s.stderr).not.toBeNull();
    expect(Number(m![1])).toBeLessThanOrEqual(2.0);
  });
});

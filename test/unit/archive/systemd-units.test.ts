import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Model } from '../../../src/model/types.js';
import { buildFiles } from '../../../src/project/build.js';
import { checkProject } from '../../../src/project/check.js';
import { archiveTarget, execArg, timeSpan } from '../../../src/targets/archive/index.js';
import type { CompileContext } from '../../../src/targets/target.js';

/**
 * The archive's systemd units: what they say, and that systemd itself accepts them
 * (`systemd-analyze verify`, and `systemd-analyze security` for the hardening), where
 * systemd-analyze is installed (Debian's systemd package; it is on CI's machine).
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const standIn = (name: string) => `Gx7!${createHash('sha256').update(name).digest('base64url').slice(0, 32)}`;
const ENV: Record<string, string> = new Proxy({} as Record<string, string>, { get: (_t, name) => (typeof name === 'string' ? standIn(name) : undefined) });
const SECRETS = { get: (ref: { name: string }) => standIn(ref.name) };
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-units-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
const HAVE_SYSTEMD_ANALYZE = analyze.status === 0;
const systemdVersion = Number(/systemd (\d+)/.exec(analyze.stdout ?? '')?.[1] ?? 0);

function model(example: string): Model {
  const r = checkProject(path.join(REPO, 'examples', example), { env: ENV, cwd: REPO });
  expect(r.diagnostics).toEqual([]);
  return r.model!;
}

function units(m: Model): Map<string, string> {
  return archiveTarget.compile(m, {} as CompileContext);
}

/** Writes the two units into a fresh folder; returns their paths. */
function onDisk(files: Map<string, string>, name: string): [string, string] {
  const dir = mkdtempSync(path.join(tmp, `${name}-`));
  const paths = [...files].map(([file, content]) => {
    const p = path.join(dir, path.basename(file));
    writeFileSync(p, content);
    return p;
  });
  return [paths.find((p) => p.endsWith('.service'))!, paths.find((p) => p.endsWith('.timer'))!];
}

const serviceLine = (text: string, key: string) => text.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

/** A model with every awkward value: a secret from the secrets file, % and spaces, keep_local, a CA, every 2 h. */
function awkward(): Model {
  const m = structuredClone(model('payment-center-by'));
  m.secrets.file = 'kvantpay.secrets.yaml';
  m.recording.directory = '/var/spool/asterisk/monitor 2';
  m.recording.archive = {
    ...m.recording.archive!,
    url: 'ftps://rec@archive.example.com:2121/a%20b',
    password: { source: 'secret', name: 'ARCHIVE_PASSWORD' },
    layout: '{yyyy}/{mm}/call "{callid}" $HOME/{file}',
    olderThan: 90,
    keepLocal: true,
    every: 7200,
    ca: '/etc/ssl/kvantpay-ca.pem',
  };
  return m;
}

describe('archive systemd units', () => {
  it('are written for the examples with an archive, and only for them', () => {
    expect([...units(model('payment-center-by')).keys()]).toEqual(['archive/callplan-archive.service', 'archive/callplan-archive.timer']);
    expect([...units(model('debt-collection-pl')).keys()]).toHaveLength(2);
    expect(units(model('sales-ru-follow-the-sun')).size).toBe(0);
    const built = buildFiles(model('payment-center-by'), SECRETS);
    expect(built.has('archive/callplan-archive.timer')).toBe(true);
  });

  it('run the archive as the asterisk user with the model settings, the password only by reference', () => {
    const service = units(model('payment-center-by')).get('archive/callplan-archive.service')!;
    expect(serviceLine(service, 'User')).toEqual(['asterisk']);
    expect(serviceLine(service, 'EnvironmentFile')).toEqual(['/etc/callplan/archive.env']);
    expect(serviceLine(service, 'ExecStart')).toEqual([
      '/usr/bin/env callplan recordings archive --source /var/spool/asterisk/monitor --url ftps://archive.kvantpay.local/cc-recordings --user cc-recorder --password $${env:ARCHIVE_FTP_PASSWORD} --layout {yyyy}/{mm}/{dd}/{queue}/{file} --older-than 2d --verify size --no-keep-local',
    ]);
    expect(serviceLine(service, 'ReadWritePaths')).toEqual(['/var/spool/asterisk/monitor']);
    for (const hardening of ['NoNewPrivileges=yes', 'ProtectSystem=strict', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=', 'SystemCallFilter=@system-service']) {
      expect(service.split('\n')).toContain(hardening);
    }
    const timer = units(model('payment-center-by')).get('archive/callplan-archive.timer')!;
    expect(serviceLine(timer, 'OnUnitInactiveSec')).toEqual(['15min']);
  });

  it('escape what systemd would expand, and take a secrets-file password as a credential', () => {
    const files = units(awkward());
    const service = files.get('archive/callplan-archive.service')!;
    expect(serviceLine(service, 'LoadCredential')).toEqual(['callplan-secrets:/etc/callplan/kvantpay.secrets.yaml']);
    expect(serviceLine(service, 'EnvironmentFile')).toEqual([]);
    const exec = serviceLine(service, 'ExecStart')[0]!;
    expect(exec).toContain('--source "/var/spool/asterisk/monitor 2"');
    expect(exec).toContain('--url ftps://rec@archive.example.com:2121/a%%20b');
    expect(exec).toContain('--password $${secret:ARCHIVE_PASSWORD} --secrets-file %d/callplan-secrets --ca /etc/ssl/kvantpay-ca.pem');
    expect(exec).toContain('--layout "{yyyy}/{mm}/call \\"{callid}\\" $$HOME/{file}"');
    expect(exec).toContain('--older-than 90s --verify size --keep-local');
    expect(serviceLine(service, 'ReadWritePaths')).toEqual(['"/var/spool/asterisk/monitor 2"']);
    expect(serviceLine(files.get('archive/callplan-archive.timer')!, 'OnUnitInactiveSec')).toEqual(['2h']);
  });

  it('time spans and arguments', () => {
    expect([60, 900, 3600, 5400, 86400, 45].map(timeSpan)).toEqual(['1min', '15min', '1h', '90min', '1d', '45s']);
    expect(execArg('plain/{file}')).toBe('plain/{file}');
    expect(execArg('${env:X}')).toBe('$${env:X}');
    expect(execArg('100%')).toBe('100%%');
    expect(execArg('a b')).toBe('"a b"');
    expect(execArg('say "hi"\\')).toBe('"say \\"hi\\"\\\\"');
  });

  describe.skipIf(!HAVE_SYSTEMD_ANALYZE)(`systemd-analyze (systemd ${systemdVersion || 'not installed'})`, () => {
    const cases: [string, () => Model][] = [
      ['payment-center-by', () => model('payment-center-by')],
      ['debt-collection-pl', () => model('debt-collection-pl')],
      ['awkward values', awkward],
    ];

    it.each(cases)('verify accepts the units of %s without a warning', (name, make) => {
      const [service, timer] = onDisk(units(make()), name.replace(/\W+/g, '-'));
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', service, timer], { encoding: 'utf8', timeout: 30_000 });
      expect(r.status, r.stderr).toBe(0);
      // verify exits 0 on unknown keys and bad values, warning only: no output means nothing to say.
      expect((r.stdout + r.stderr).trim()).toBe('');
    });

    it('verify would catch a mistake (the check is not vacuous)', () => {
      const files = units(model('payment-center-by'));
      const broken = new Map([...files].map(([k, v]) => [k, v.replace('ProtectSystem=strict', 'ProtectSystem=strickt').replace('User=asterisk', 'Usr=asterisk')]));
      const [service, timer] = onDisk(broken, 'broken');
      const r = spawnSync('systemd-analyze', ['verify', '--man=no', service, timer], { encoding: 'utf8', timeout: 30_000 });
      expect(r.stdout + r.stderr).toMatch(/Unknown key 'Usr'/);
      expect(r.stdout + r.stderr).toMatch(/protect system value.*strickt/i);
    });

    it.skipIf(systemdVersion < 250)('the service is well hardened (systemd-analyze security: exposure at most 2.0, "OK")', () => {
      const [service] = onDisk(units(model('payment-center-by')), 'security');
      const r = spawnSync('systemd-analyze', ['security', '--offline=yes', '--no-pager', service], { encoding: 'utf8', timeout: 30_000 });
      const m = /Overall exposure level for .*: (\d+\.\d+) (\w+)/.exec(r.stdout + r.stderr);
      expect(m, r.stdout + r.stderr).not.toBeNull();
      expect(Number(m![1])).toBeLessThanOrEqual(2.0);
    });
  });
});

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callplan, STACK } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const STRONG = { CALLPLAN_DEVICE_MASTER: 'k3J9-vQ2x!Lm8#Rt5Zp7Wc4Yb6Nd1Hs0Fg', CARRIER_SIP_PASSWORD: 'Tq7!mZ2#vK9pL4xR' };

describe('callplan CLI', () => {
  it('prints its version', () => {
    const r = callplan(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^callplan\/\d+\.\d+\.\d+ /);
  });

  it.each(['init', 'validate', 'schema', 'build', 'trace', 'test', 'graph'])('has help with examples for %s', (cmd) => {
    const r = callplan([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('EXAMPLES');
    expect(r.stdout).toContain(`callplan ${cmd}`);
  });

  it('init writes a starter project that validates, with weak secrets refused until strong ones are set', () => {
    const dir = path.join(tmp, 'starter');
    const init = callplan(['init', dir]);
    expect(init.code).toBe(0);
    expect(readFileSync(path.join(dir, 'callplan.yaml'), 'utf8')).toMatch(/^# yaml-language-server: \$schema=\.callplan\/callplan\.schema\.json/);
    expect(readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain('secrets.yaml');
    expect(JSON.parse(readFileSync(path.join(dir, '.callplan/callplan.schema.json'), 'utf8')).$id).toMatch(/callplan/);

    expect(callplan(['validate', dir]).code).toBe(0);
    const weak = callplan(['validate', dir], { env: { ...STRONG, CARRIER_SIP_PASSWORD: 'secret123' } });
    expect(weak.code).toBe(1);
    expect(weak.stdout).toMatch(/callplan\.yaml:\d+:\d+: error: trunk carrier password .* is weak/);
    expect(weak.stdout).not.toContain('secret123');
    expect(callplan(['validate', dir], { env: STRONG }).code).toBe(0);
  });

  it('init refuses to overwrite a project', () => {
    const dir = path.join(tmp, 'again');
    expect(callplan(['init', dir]).code).toBe(0);
    const r = callplan(['init', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/already has callplan\.yaml.*--force/);
  });

  it('exits 1 with file:line:col diagnostics on an invalid project, in each format', () => {
    const dir = path.join(tmp, 'invalid');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'callplan.yaml'), 'version: 1\nsites:\n  hq: { timezone: Mars/Olympus }\n');
    const text = callplan(['validate', dir]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/invalid\/callplan\.yaml:3:19: error: site hq: unknown time zone "Mars\/Olympus" \[invalid-timezone\]\n\s+hint: Use an IANA zone/);
    const json = JSON.parse(callplan(['validate', dir, '--format', 'json']).stdout);
    expect(json).toMatchObject({ valid: false, errors: 1, diagnostics: [{ rule: 'invalid-timezone', line: 3, column: 19 }] });
    expect(callplan(['validate', dir, '--format', 'github']).stdout).toMatch(/^::error file=.*callplan\.yaml,line=3,col=19,title=callplan invalid-timezone::/);
  });

  it('--strict turns warnings into exit 1', () => {
    const dir = path.join(tmp, 'warn');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'callplan.yaml'), 'version: 1\nsites:\n  hq: { timezone: Europe/Warsaw }\nusers:\n  - { extension: "1001", name: A, site: hq, devices: [{ type: snom, model: D785, mac: "00:11:22:33:44:55" }] }\n');
    expect(callplan(['validate', dir]).code).toBe(0);
    expect(callplan(['validate', dir, '--strict']).code).toBe(1);
  });

  it('validate reports the hours a number reaches nobody, for the week --at names', () => {
    const dir = path.join(tmp, 'coverage');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      path.join(dir, 'callplan.yaml'),
      'version: 1\nname: c\nsites:\n  hq: { timezone: Asia/Yekaterinburg, hours: { mon-fri: "09:00-18:00" } }\nusers:\n  - { extension: "1001", name: A, site: hq, devices: [{ type: softphone, name: desk }] }\ninbound:\n  - did: "+73432000000"\n    open: [{ site: hq, to: user:1001 }]\n',
    );
    const r = callplan(['validate', dir, '--at', '2026-11-25T12:00+05:00']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      'callplan.yaml:8:10: warning: +73432000000 reaches nobody and the caller hears nothing at mon-fri 00:00-09:00, 18:00-24:00; sat-sun 00:00-24:00 (Asia/Yekaterinburg)',
    );
    expect(r.stdout).toContain('[coverage-hole]');
    expect(callplan(['validate', dir, '--strict']).code).toBe(1);
    const json = JSON.parse(callplan(['validate', dir, '--format', 'json']).stdout);
    expect(json.diagnostics.map((d: { rule: string }) => d.rule)).toContain('coverage-hole');
  });

  it('exits 2 on usage errors, without a stack trace', () => {
    for (const args of [['validate', '.', '--at', 'tomorrow'], ['trace', 'examples/payment-center-by', '--to', '+375173880000', '--override', 'nowhere=open'], ['validate', path.join(tmp, 'missing')], ['validate', '--format', 'xml'], ['frobnicate'], ['build', '--nope']]) {
      const r = callplan(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr + r.stdout).not.toMatch(STACK);
    }
  });

  it('build writes model.json, byte-identical on every build, and replaces the whole output directory', () => {
    const dir = path.join(tmp, 'build-src');
    callplan(['init', dir]);
    const out = path.join(tmp, 'build-out');
    expect(callplan(['build', dir, '--out', out], { env: STRONG }).code).toBe(0);
    const first = readFileSync(path.join(out, 'model.json'), 'utf8');
    const pjsip = readFileSync(path.join(out, 'asterisk/pjsip.conf'), 'utf8');
    writeFileSync(path.join(out, 'stale.txt'), 'left over');
    expect(callplan(['build', dir, '--out', out], { env: STRONG }).code).toBe(0);
    expect(readFileSync(path.join(out, 'model.json'), 'utf8')).toBe(first);
    expect(readFileSync(path.join(out, 'asterisk/pjsip.conf'), 'utf8')).toBe(pjsip);
    // The trunk password reaches pjsip.conf, and nowhere else.
    expect(pjsip).toContain(`password = ${STRONG.CARRIER_SIP_PASSWORD}`);
    expect(existsSync(path.join(out, 'stale.txt'))).toBe(false);
    const model = JSON.parse(first);
    expect(model.users.map((u: { extension: string }) => u.extension)).toEqual(['1001', '1002', '1003']);
    expect(first).not.toMatch(/Tq7!|k3J9/);
  });

  it('build writes nothing when the project has errors, and never touches a directory it did not create', () => {
    const bad = path.join(tmp, 'bad-src');
    mkdirSync(bad, { recursive: true });
    writeFileSync(path.join(bad, 'callplan.yaml'), 'version: 1\nusers: [{ extension: 1001 }]\n');
    const out = path.join(tmp, 'bad-out');
    expect(callplan(['build', bad, '--out', out]).code).toBe(1);
    expect(existsSync(out)).toBe(false);

    const src = path.join(tmp, 'build-src');
    const foreign = path.join(tmp, 'foreign');
    mkdirSync(foreign, { recursive: true });
    writeFileSync(path.join(foreign, 'important.txt'), 'keep me');
    const r = callplan(['build', src, '--out', foreign], { env: STRONG });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not written by callplan build/);
    expect(readFileSync(path.join(foreign, 'important.txt'), 'utf8')).toBe('keep me');
  });

  it('build lists every missing secret, writes nothing and never prints a value', () => {
    const dir = path.join(tmp, 'build-src');
    const out = path.join(tmp, 'no-secrets-out');
    const r = callplan(['build', dir, '--out', out], { env: { CALLPLAN_DEVICE_MASTER: '', CARRIER_SIP_PASSWORD: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/2 secrets are not set:\n\s+\$\{env:CALLPLAN_DEVICE_MASTER\} \(secrets\.device_master\)\n\s+\$\{env:CARRIER_SIP_PASSWORD\}/);
    expect(existsSync(out)).toBe(false);
  });

  it('trace follows a call through the starter project, as text and JSON', () => {
    const dir = path.join(tmp, 'trace-src');
    callplan(['init', dir]);
    const text = callplan(['trace', dir, '--to', '+48221234567', '--at', '2026-11-25T10:00+01:00', '--digits', '1']);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/site hq: open at 2026-11-25 wed 10:00 Europe\/Warsaw/);
    expect(text.stdout).toMatch(/=> answered by user:100[123]/);
    const night = JSON.parse(callplan(['trace', dir, '--to', '+48221234567', '--at', '2026-11-25T22:00+01:00', '--format', 'json']).stdout);
    expect(night.reached).toEqual(['announcement:closed', 'voicemail:1001']);
    const denied = JSON.parse(callplan(['trace', dir, '--from', '1002', '--to', '0048221234567', '--format', 'json']).stdout);
    expect(denied.outcome).toEqual({ kind: 'refused', reason: 'not permitted for class office' });
    const bad = callplan(['trace', dir, '--to', '1001', '--at', 'tomorrow']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--at tomorrow: give an ISO time with its offset/);
  });

  it('test runs the starter project\'s call-flow tests; a broken expectation fails with its position', () => {
    const dir = path.join(tmp, 'test-src');
    callplan(['init', dir]);
    const ok = callplan(['test', dir]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/6 passed, 0 failed/);
    const file = path.join(dir, 'tests/calls.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('ends: "voicemail:1001"', 'ends: "voicemail:1002"'));
    const failed = callplan(['test', dir, '--format', 'github']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^::error file=.*tests\/calls\.yaml,line=9,col=5,title=callplan callflow-test::At night the closed message leaves a voicemail for Anna: expected to end voicemail:1002; it ends in voicemail:1001/m);
  });

  it('schema prints the JSON Schema', () => {
    const r = callplan(['schema']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });
});

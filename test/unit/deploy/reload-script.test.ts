import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reloadFunctions } from '../../../src/deploy/shell-host.js';

/**
 * The shell functions deploy runs Asterisk's reloads with on the host, run by the local /bin/sh
 * against a stand-in `asterisk` that answers as Asterisk 22's console does (main/cli.c
 * handle_reload, main/loader.c ast_module_reload) and a `sleep` that returns at once. The real
 * Asterisk runs them in test/e2e/deploy*.e2e.test.ts.
 */
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callplan-reload-script-'));
  writeFileSync(join(dir, 'sleep'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(dir, 'sleep'), 0o755);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A stand-in for `asterisk -rx`: logs each command; `answers` maps a command to what it prints on
 * each call in turn (the last answer repeats). The probe answers "already in progress" `busy`
 * times, then "No such module".
 */
function standIn(answers: Record<string, string[]>, busy = 0): string {
  const path = join(dir, 'asterisk');
  writeFileSync(join(dir, 'busy'), String(busy));
  const cases = Object.entries(answers)
    .map(([command, outs]) => {
      const lines = outs.map((o, i) => `${i + 1}) echo ${JSON.stringify(o)} ;;`).join(' ');
      return `  ${JSON.stringify(command)}) n=$(grep -cFx -- "$2" "$D/log"); case $n in ${lines} *) echo ${JSON.stringify(outs.at(-1))} ;; esac ;;`;
    })
    .join('\n');
  writeFileSync(
    path,
    `#!/bin/sh
D=${JSON.stringify(dir)}
printf '%s\\n' "$2" >> "$D/log"
case "$2" in
  'core waitfullybooted') echo 'Asterisk has fully booted.' ;;
  'module reload callplan-reload-probe')
    b=$(cat "$D/busy"); if [ "$b" -gt 0 ]; then echo $((b-1)) > "$D/busy"; echo 'A module reload request is already in progress; please be patient'; else echo "No such module 'callplan-reload-probe'"; fi ;;
${cases}
  *) ;;
esac
`,
  );
  chmodSync(path, 0o755);
  return path;
}

function run(asterisk: string, commands: string[], limitS?: number): { code: number; out: string; log: string[] } {
  const script = [reloadFunctions(asterisk, limitS), ...commands.map((c) => `reload '${c}'`)].join(' && ');
  const r = spawnSync('sh', ['-c', script], { encoding: 'utf8', env: { ...process.env, PATH: `${dir}:${process.env.PATH}` } });
  const log = readFileSync(join(dir, 'log'), 'utf8').trim().split('\n');
  return { code: r.status ?? -1, out: r.stdout + r.stderr, log };
}

describe('reload functions (deploy on the host)', () => {
  it('runs each reload, then waits until no reload holds Asterisk before the next', () => {
    const a = standIn({ 'module reload pbx_config.so': ["Module 'pbx_config.so' reloaded successfully."] });
    const r = run(a, ['module reload res_pjsip.so', 'module reload pbx_config.so']);
    expect(r.code).toBe(0);
    expect(r.log).toEqual(['module reload res_pjsip.so', 'module reload callplan-reload-probe', 'module reload pbx_config.so', 'module reload callplan-reload-probe']);
    expect(r.out).toContain("Module 'pbx_config.so' reloaded successfully.");
  });

  it('waits for a reload that outlasted asterisk -rx (no output after 60 s) before going on', () => {
    const a = standIn({}, 4);
    const r = run(a, ['module reload pbx_config.so', 'queue reload members']);
    expect(r.code).toBe(0);
    const probes = (from: number, to: number) => r.log.slice(from, to).filter((c) => c === 'module reload callplan-reload-probe').length;
    const next = r.log.indexOf('queue reload members');
    // Four probes found the reload still running, the fifth found it over; only then the next reload.
    expect(probes(0, next)).toBe(5);
    expect(next).toBe(6);
  });

  it('runs a reload again that Asterisk turned away because another was running', () => {
    const busy = 'A module reload request is already in progress; please be patient';
    const a = standIn({ 'module reload res_pjsip.so': [busy, busy, "Module 'res_pjsip.so' reloaded successfully."] });
    const r = run(a, ['module reload res_pjsip.so']);
    expect(r.code).toBe(0);
    expect(r.log.filter((c) => c === 'module reload res_pjsip.so')).toHaveLength(3);
  });

  it.each([
    ["The module 'pbx_config.so' reported a reload failure"],
    ["No such module 'pbx_config.so'"],
    ["No such command 'queue reload members' (type 'core show help queue reload' for other possible commands)"],
    ['Unable to connect to remote asterisk (does /var/run/asterisk/asterisk.ctl exist?)'],
  ])('stops at a reload Asterisk did not do (%s), running none after it', (answer) => {
    const a = standIn({ 'module reload pbx_config.so': [answer] });
    const r = run(a, ['module reload pbx_config.so', 'queue reload members']);
    expect(r.code).not.toBe(0);
    expect(r.out).toContain('callplan: Asterisk did not run module reload pbx_config.so');
    expect(r.out).toContain(answer);
    expect(r.log).not.toContain('queue reload members');
  });

  it('gives up on a node that stays busy, saying so', () => {
    const a = standIn({}, 1_000_000);
    const r = run(a, ['module reload pbx_config.so'], 5);
    expect(r.code).not.toBe(0);
    expect(r.log.filter((c) => c === 'module reload callplan-reload-probe')).toHaveLength(5);
    expect(r.out).toMatch(/callplan: Asterisk was still reloading 5 s after module reload pbx_config\.so/);
  });

});

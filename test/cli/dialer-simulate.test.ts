import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { callplan, STACK } from '../helpers/cli.js';

const EXAMPLE = 'examples/debt-collection-pl';
/** A short run: the unit of these tests is the command, not the algorithm. */
const SHORT = ['--campaign', 'early-arrears', '--agents', '6', '--hours', '0.5', '--talk', '60'];

describe('callplan dialer simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callplan-dialer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the table of every policy, the ceiling, and the violations the simulator found', () => {
    const r = callplan(['dialer', 'simulate', EXAMPLE, ...SHORT]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const id of ['progressive', 'fixed-2', 'vicidial-hard-limit', 'vicidial-tapered-avail', 'issabel', 'ours', 'oracle', 'ceiling']) expect(r.stdout).toMatch(new RegExp(`^${id} `, 'm'));
    expect(r.stdout).toContain('gap closed');
    expect(r.stdout).toMatch(/profile custom: at most 3\.0 % of live answers abandoned over 1 day/);
  });

  it('gives the same output for the same seed, byte for byte, as JSON too', () => {
    const a = callplan(['dialer', 'simulate', EXAMPLE, ...SHORT, '--seed', '5', '--format', 'json', '--policies', 'ours,issabel']);
    const b = callplan(['dialer', 'simulate', EXAMPLE, ...SHORT, '--seed', '5', '--format', 'json', '--policies', 'ours,issabel']);
    expect(a.code).toBe(0);
    expect(b.stdout).toBe(a.stdout);
    const json = JSON.parse(a.stdout);
    expect(json.rows.map((r: { policy: string }) => r.policy)).toEqual(['progressive', 'issabel', 'ours', 'oracle']);
    expect(json.rows.find((r: { policy: string }) => r.policy === 'oracle').gapClosed).toBe(1);
    expect(json.scenario).toMatchObject({ agents: 6, hours: 0.5, seed: 5 });
  });

  it('writes a self-contained HTML report with the charts', () => {
    const file = join(dir, 'report.html');
    const r = callplan(['dialer', 'simulate', EXAMPLE, ...SHORT, '--policies', 'ours', '--shift', '15:2', '--report', file]);
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('new uPlot(');
    expect(html).toMatch(/<div id="occupancy"/);
    expect(html).toMatch(/<div id="abandon"/);
    expect(html).toMatch(/<div id="level"/);
    expect(html).not.toMatch(/<(script|link)[^>]+(src|href)=/); // nothing loaded from elsewhere
  });

  it('refuses an unknown campaign, policy or shift with exit 2 and one line', () => {
    for (const extra of [['--campaign', 'nope'], ['--campaign', 'early-arrears', '--policies', 'magic'], ['--campaign', 'early-arrears', '--shift', 'soon']]) {
      const r = callplan(['dialer', 'simulate', EXAMPLE, ...extra]);
      expect(r.code, extra.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^callplan: /);
      expect(r.stderr).not.toMatch(STACK);
    }
  });
});

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callplan, REPO, STACK } from '../helpers/cli.js';

/**
 * `callplan plan --against REV` on a real git repository: a copy of the payment center example,
 * committed, then changed in the working tree.
 */
const tmp = mkdtempSync(path.join(tmpdir(), 'callplan-plan-'));
const repo = path.join(tmp, 'repo');
const project = path.join(repo, 'pbx');
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=ci@example.com', '-c', 'user.name=CI', ...args], { cwd: repo, encoding: 'utf8' });

beforeAll(() => {
  mkdirSync(repo);
  cpSync(path.join(REPO, 'examples/payment-center-by'), project, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-qm', 'the PBX');
});

function change(file: string, from: string, to: string) {
  const full = path.join(project, file);
  const text = readFileSync(full, 'utf8');
  expect(text).toContain(from);
  writeFileSync(full, text.replace(from, to));
}

describe('callplan plan --against', () => {
  it('no change: says so; --detailed-exitcode exits 0', () => {
    const r = callplan(['plan', 'pbx', '--against', 'main', '--detailed-exitcode'], { cwd: repo });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Plan for pbx against main \([0-9a-f]{7}\)\n\nNo changes/);
    expect(r.code).toBe(0);
  });

  it('a change: summary, reloads and diffs; exit 10 with --detailed-exitcode, 0 without', () => {
    change('routing.yaml', '    ring_timeout: 15\n    wrapup: 10', '    ring_timeout: 30\n    wrapup: 10');
    const r = callplan(['plan', 'pbx', '--against', 'main', '--detailed-exitcode'], { cwd: repo });
    expect(r.code).toBe(10);
    expect(r.stdout).toContain('~ queue payments: ring_timeout 15 → 30 s');
    expect(r.stdout).toMatch(/pbx-minsk:\n {4}queue reload parameters {2}\(asterisk\)/);
    expect(r.stdout).toContain('-timeout = 15\n+timeout = 30');
    expect(callplan(['plan', 'pbx', '--against', 'main'], { cwd: repo }).code).toBe(0);
  });

  it('from inside the project, PATH "." is found in the repository', () => {
    const r = callplan(['plan', '.', '--against', 'main', '--format', 'json'], { cwd: project });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ project: '.', changed: true, semantic: { changes: [{ kind: 'queue', id: 'payments', change: 'changed' }] } });
    expect(json.reloads.nodes['pbx-minsk'].reloads).toEqual([expect.objectContaining({ command: 'queue reload parameters' })]);
  });

  it('markdown for a pull request: diffs folded', () => {
    const r = callplan(['plan', 'pbx', '--against', 'main', '--format', 'markdown'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^### callplan plan: pbx against main/);
    expect(r.stdout).toContain('<details><summary><code>asterisk/queues.conf</code> changed (+1 −1)</summary>');
  });

  it('a revision where the project did not exist: everything is added', () => {
    // A commit of an empty tree: the project is not in it.
    const tree = git('mktree').trim();
    const lone = git('commit-tree', tree, '-m', 'nothing').trim();
    const r = callplan(['plan', 'pbx', '--against', lone, '--format', 'json'], { cwd: repo });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.against).toMatch(/where the project did not exist/);
    expect(json.files.every((f: { change: string }) => f.change === 'added')).toBe(true);
  });

  it('without --against the plan is against the nodes: their files hold the secrets, so a missing one is named (exit 1), nothing is contacted', () => {
    const r = callplan(['plan', 'pbx'], { cwd: repo, env: { CALLPLAN_DEVICE_MASTER: '' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/cannot build: not set: .*CALLPLAN_DEVICE_MASTER/);
    expect(r.stderr).toContain('plan against a git revision with --against');
    expect(r.stderr).not.toMatch(STACK);
  });

  it('an unknown revision, --node with --against, not a repository: exit 2, one line, no stack', () => {
    for (const [args, cwd, message] of [
      [['plan', 'pbx', '--against', 'no-such-branch'], repo, /--against no-such-branch: no such revision/],
      [['plan', 'pbx', '--against', 'HEAD', '--node', 'pbx-1'], repo, /--node is for a plan against the nodes/],
    ] as const) {
      const r = callplan([...args], { cwd });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(STACK);
    }
    const outside = mkdtempSync(path.join(tmpdir(), 'callplan-plan-nogit-'));
    try {
      cpSync(path.join(REPO, 'examples/payment-center-by'), outside, { recursive: true });
      const r = callplan(['plan', '.', '--against', 'main'], { cwd: outside });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not inside a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('a project with errors: exit 1 with the diagnostics', () => {
    change('routing.yaml', 'queue:payments\n      "2"', 'queue:paymentz\n      "2"');
    const r = callplan(['plan', 'pbx', '--against', 'main'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/routing\.yaml:\d+:\d+: error: .*paymentz/);
    expect(r.stdout).toBe('');
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { callplan, REPO } from '../helpers/cli.js';

/**
 * The CI recipes in examples/ci/ parse, have the shape the README promises (validate as
 * annotations, plan on every pull request, deploy on main behind an approval, secrets only where
 * deploy runs), and call only commands and flags that exist: each command's `--help` is asked for
 * its flags and their options.
 */
const CI = path.join(REPO, 'examples/ci');
const github = parse(readFileSync(path.join(CI, '.github/workflows/callplan.yml'), 'utf8')) as GithubWorkflow;
const gitlab = parse(readFileSync(path.join(CI, '.gitlab-ci.yml'), 'utf8')) as Record<string, GitlabJob & Record<string, unknown>>;
const commandIds = new Set(Object.keys((JSON.parse(readFileSync(path.join(REPO, 'oclif.manifest.json'), 'utf8')) as { commands: object }).commands));

interface GithubStep {
  run?: string;
  uses?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface GithubJob {
  if?: string;
  needs?: string | string[];
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps: GithubStep[];
}
interface GithubWorkflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, GithubJob>;
}
interface GitlabJob {
  stage?: string;
  script?: string[];
  before_script?: string[];
  after_script?: string[];
  rules?: { if?: string; when?: string }[];
  environment?: { name: string };
  variables?: Record<string, string>;
}

const githubScripts = (job: string) => github.jobs[job]!.steps.flatMap((s) => (s.run ? [s.run] : []));
const gitlabScripts = (job: string) => [...(gitlab[job]!.before_script ?? []), ...(gitlab[job]!.script ?? []), ...(gitlab[job]!.after_script ?? [])];
const allScripts = [
  ...Object.keys(github.jobs).flatMap(githubScripts),
  ...Object.entries(gitlab)
    .filter(([, v]) => v && typeof v === 'object' && ('script' in v || 'before_script' in v))
    .flatMap(([name]) => gitlabScripts(name)),
];

interface Call {
  id: string;
  flags: { name: string; value?: string }[];
  text: string;
}

/** Every `npx callplan …` in a script: its command id (from the manifest) and its flags. */
function calls(script: string): Call[] {
  return [...script.matchAll(/npx callplan ([^\n|>&;]*)/g)].map((m) => {
    const tokens = m[1]!.trim().split(/\s+/);
    const two = `${tokens[0]}:${tokens[1]}`;
    const id = commandIds.has(two) ? two : tokens[0]!;
    const flags: Call['flags'] = [];
    tokens.forEach((t, i) => {
      if (!t.startsWith('--')) return;
      const [name, inline] = t.slice(2).split('=');
      const next = tokens[i + 1];
      flags.push({ name: name!, value: inline ?? (next && !next.startsWith('-') ? next : undefined) });
    });
    return { id, flags, text: m[0] };
  });
}

/** A command's flags and, for options, their choices, as its --help prints them. */
function helpFlags(id: string): Map<string, string[] | undefined> {
  const r = callplan([...id.split(':'), '--help']);
  expect(r.code, `${id} --help: ${r.stderr}`).toBe(0);
  const section = r.stdout.slice(r.stdout.indexOf('FLAGS'), r.stdout.indexOf('\nDESCRIPTION'));
  const out = new Map<string, string[] | undefined>();
  let last: string | undefined;
  for (const line of section.split('\n')) {
    const flag = /^\s+(?:-\w, )?--([a-z][a-z-]*)/.exec(line);
    if (flag) {
      last = flag[1]!;
      out.set(last, undefined);
    }
    const options = /<options: ([^>]+)>/.exec(line);
    if (options && last) out.set(last, options[1]!.split('|'));
  }
  return out;
}

describe('CI recipes', () => {
  const every = allScripts.flatMap(calls);

  it('call callplan in every job that needs it', () => {
    expect(new Set(every.map((c) => c.id))).toEqual(new Set(['validate', 'test', 'plan', 'deploy']));
  });

  it.each([...new Set(every.map((c) => c.id))])('%s: exists, and takes every flag and option given to it', (id) => {
    expect(commandIds.has(id)).toBe(true);
    const known = helpFlags(id);
    for (const call of every.filter((c) => c.id === id)) {
      for (const flag of call.flags) {
        expect(known.has(flag.name), `${call.text}: --${flag.name} is not a flag of ${id}`).toBe(true);
        const options = known.get(flag.name);
        if (options) expect(options, `${call.text}: --${flag.name} ${flag.value}`).toContain(flag.value);
      }
    }
  });

  it('GitHub: validate and test as annotations; plan on every pull request as a comment; deploy on main behind the production environment', () => {
    expect(Object.keys(github.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(githubScripts('validate').join('\n')).toMatch(/callplan validate .*--format github/);
    expect(githubScripts('validate').join('\n')).toMatch(/callplan test .*--format github/);
    const plan = github.jobs.plan!;
    expect(plan.if).toContain("github.event_name == 'pull_request'");
    expect(plan.permissions).toMatchObject({ 'pull-requests': 'write' });
    expect(plan.steps.find((s) => s.uses === 'actions/checkout@v4')?.with).toMatchObject({ 'fetch-depth': 0 });
    expect(githubScripts('plan').join('\n')).toMatch(/callplan plan .*--against "origin\/\$BASE_REF" --format markdown --detailed-exitcode/);
    expect(plan.steps.some((s) => s.uses?.startsWith('actions/github-script') && String(s.with?.script).includes('createComment'))).toBe(true);
    const deploy = github.jobs.deploy!;
    expect(deploy.if).toContain("github.ref == 'refs/heads/main'");
    expect(deploy.environment).toBe('production');
    expect(githubScripts('deploy').join('\n')).toMatch(/callplan deploy .*--known-hosts ci\/known_hosts/);
  });

  it('GitHub: secrets only in the deploy job, and no expression spliced into a shell script', () => {
    for (const [name, job] of Object.entries(github.jobs)) {
      const text = JSON.stringify(job);
      if (name !== 'deploy') expect(text, name).not.toContain('secrets.');
      for (const step of job.steps) if (step.run) expect(step.run, `${name}: ${step.run}`).not.toContain('${{');
    }
    expect(github.permissions).toEqual({ contents: 'read' });
  });

  it('GitLab: plan in merge requests, deploy by hand on the default branch to production, host keys pinned', () => {
    expect(gitlab.stages).toEqual(['validate', 'plan', 'deploy']);
    expect(gitlab.plan!.rules).toEqual([{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }]);
    expect(gitlab.plan!.variables).toMatchObject({ GIT_DEPTH: 0 });
    expect(gitlabScripts('plan').join('\n')).toMatch(/callplan plan .*--against "origin\/\$CI_MERGE_REQUEST_TARGET_BRANCH_NAME" --format markdown --detailed-exitcode/);
    expect(gitlab.deploy!.rules).toEqual([{ if: '$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', when: 'manual' }]);
    expect(gitlab.deploy!.environment).toEqual({ name: 'production' });
    expect(gitlabScripts('deploy').join('\n')).toMatch(/callplan deploy .*--known-hosts ci\/known_hosts/);
  });

  it('the pinned known_hosts the recipes name holds no key until you add yours', () => {
    const text = readFileSync(path.join(CI, 'ci/known_hosts'), 'utf8');
    expect(text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#'))).toEqual([]);
  });
});

import type { Rule } from '../model/rules/rule.js';

/** Checks made outside the rule modules (loader, schema, project assembly), documented beside them. */
export const BUILT_IN_CHECKS: readonly Pick<Rule, 'id' | 'description' | 'severity'>[] = [
  { id: 'yaml-syntax', description: 'The file is YAML 1.2: no tabs for indentation, no duplicate keys, closed quotes and brackets, at most 64 levels deep, aliases that do not explode.', severity: 'error' },
  { id: 'schema', description: 'The data matches schemas/callplan.schema.json: known keys, required keys, types (numbers, DIDs and extensions quoted), names and references well formed.', severity: 'error' },
  { id: 'include-no-match', description: 'Every include pattern of callplan.yaml matches at least one file.', severity: 'error' },
  { id: 'root-only-key', description: 'version, name, description, include, secrets and defaults appear only in callplan.yaml.', severity: 'error' },
  { id: 'duplicate-name', description: 'A name (site, queue, menu, trunk, route ...) or a whole section (recording, provisioning) is defined in one place only, across all files.', severity: 'error' },
  { id: 'secrets-file', description: 'The secrets file, when present, is a mapping of NAME: value.', severity: 'error' },
];

/** Checks of the generated files, run by validate and build beside the call-flow analyses. */
export const GENERATED_FILE_CHECKS: readonly Pick<Rule, 'id' | 'description' | 'severity'>[] = [
  { id: 'toll-fraud-path', description: 'No path in the generated dialplan leads a call from an unauthenticated entry (a carrier, an unknown caller) to a caller-chosen number on a trunk; a finding shows the path, context by context.', severity: 'error' },
];

type Described = Pick<Rule, 'id' | 'description' | 'severity'>;

/** docs/rules.md, generated so the documentation lists exactly the checks the code makes. */
export function renderRulesReference(rules: readonly Described[], analyses: readonly Described[]): string {
  const row = (r: Pick<Rule, 'id' | 'description' | 'severity'>) => `| \`${r.id}\` | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} |`;
  return [
    '# Validation rules',
    '',
    '<!-- Generated from src/model/rules, src/analysis and src/docs/rules-reference.ts by `UPDATE_DOCS=1 npx vitest run test/unit/docs`. Do not edit by hand. -->',
    '',
    'Every diagnostic names one of these ids. Errors make `callplan validate` exit 1; warnings do not, unless `--strict`.',
    '',
    '## Reading the files',
    '',
    '| id | severity | what it checks |',
    '|---|---|---|',
    ...BUILT_IN_CHECKS.map(row),
    '',
    '## Semantic rules',
    '',
    '| id | severity | what it checks |',
    '|---|---|---|',
    ...rules.map(row),
    '',
    '## Call-flow analyses',
    '',
    'Run by `callplan validate` once the rules pass: they follow calls through the normalized model with `trace` over the week that starts at `--at` (default now), the same week half a year later (the other side of daylight saving time) and every holiday of the coming year, assuming everyone answers and nobody presses a key.',
    '',
    '| id | severity | what it checks |',
    '|---|---|---|',
    ...[...analyses, ...GENERATED_FILE_CHECKS].map(row),
    '',
  ].join('\n');
}

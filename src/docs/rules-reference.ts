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

/** docs/rules.md, generated so the documentation lists exactly the checks the code makes. */
export function renderRulesReference(rules: readonly Pick<Rule, 'id' | 'description' | 'severity'>[]): string {
  const row = (r: Pick<Rule, 'id' | 'description' | 'severity'>) => `| \`${r.id}\` | ${r.severity} | ${r.description.replace(/\|/g, '\\|')} |`;
  return [
    '# Validation rules',
    '',
    '<!-- Generated from src/model/rules and src/docs/rules-reference.ts by `UPDATE_DOCS=1 npx vitest run test/unit/docs`. Do not edit by hand. -->',
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
  ].join('\n');
}

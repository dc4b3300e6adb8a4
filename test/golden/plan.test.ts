import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildFiles } from '../../src/project/build.js';
import { PLACEHOLDER_SECRETS } from '../../src/plan/build-side.js';
import { makePlan } from '../../src/plan/plan.js';
import { renderJson } from '../../src/plan/render/json.js';
import { renderMarkdown } from '../../src/plan/render/markdown.js';
import { renderText } from '../../src/plan/render/text.js';
import { edit, exampleFiles, modelOf } from '../helpers/example-project.js';
import { expectGolden } from '../helpers/golden.js';
import type { Files } from '../helpers/project.js';

/**
 * `plan` on example changes, in every format, compared with test/golden/plan/<case>/. The two
 * sides are built as `plan --against` builds them (stand-in secrets); `UPDATE_GOLDEN=1` rewrites.
 */
const GOLDEN = fileURLToPath(new URL('./plan/', import.meta.url));

interface Case {
  name: string;
  example: string;
  edits: Record<string, [string, string][]>;
}

const CASES: Case[] = [
  {
    name: 'payment-queue-and-ivr',
    example: 'payment-center-by',
    edits: {
      'routing.yaml': [
        ['    ring_timeout: 15\n    wrapup: 10', '    ring_timeout: 30\n    wrapup: 10'],
        ['      primary: [group:payments-team]\n', '      primary: [group:payments-team, user:2003]\n'],
        ['      backup: [user:2002, user:2003, group:identification-team]', '      backup: [user:2002, group:identification-team]'],
        ['      "3": ivr:greeting-be\n      "0"', '      "3": ivr:greeting-be\n      "4": queue:identification\n      "0"'],
      ],
    },
  },
  {
    name: 'debt-new-phone-and-window',
    example: 'debt-collection-pl',
    edits: {
      'users/warsaw-office.yaml': [
        [
          '  - extension: "1003"',
          '  - extension: "1056"\n    name: Tomasz Nowy\n    site: warsaw\n    group: waw-management\n    roles: [manager]\n    devices: [{ type: snom, model: D785, mac: "00:04:13:42:99:01" }]\n\n  - extension: "1003"',
        ],
      ],
      'contact-center/campaigns.yaml': [['window: { from: "09:00", to: "20:00", days: mon-fri }', 'window: { from: "09:00", to: "19:00", days: mon-fri }']],
    },
  },
  {
    name: 'sales-node-moved',
    example: 'sales-ru-follow-the-sun',
    edits: {
      'telephony.yaml': [
        ['    address: 10.0.10.22\n    weight: 50', '    address: 10.0.10.23\n    weight: 70'],
        ['      host: 10.0.10.22', '      host: 10.0.10.23'],
      ],
    },
  },
];

function sides(example: string, edits: Case['edits']) {
  const before: Files = exampleFiles(example);
  const after = edit(before, edits);
  const [old, now] = [modelOf(before), modelOf(after)];
  return { beforeModel: old, afterModel: now, before: buildFiles(old, PLACEHOLDER_SECRETS), after: buildFiles(now, PLACEHOLDER_SECRETS) };
}

describe.each(CASES)('plan golden: $name', ({ name, example, edits }) => {
  const plan = makePlan(sides(example, edits));
  const source = { project: `examples/${example}`, against: 'main (0000000)' };
  const dir = path.join(GOLDEN, name);

  it('has changes', () => {
    expect(plan.changed).toBe(true);
  });
  it('text', () => expectGolden(path.join(dir, 'plan.txt'), renderText(plan, source)));
  it('json', () => expectGolden(path.join(dir, 'plan.json'), renderJson(plan, source)));
  it('markdown', () => expectGolden(path.join(dir, 'plan.md'), renderMarkdown(plan, source)));
});

describe('plan golden: no change', () => {
  it('says so in every format', () => {
    const files = exampleFiles('payment-center-by');
    const model = modelOf(files);
    const built = buildFiles(model, PLACEHOLDER_SECRETS);
    const plan = makePlan({ before: built, after: built, beforeModel: model, afterModel: model });
    const source = { project: 'examples/payment-center-by', against: 'main (0000000)' };
    expect(plan.changed).toBe(false);
    expect(renderText(plan, source)).toContain('No changes');
    expect(renderMarkdown(plan, source)).toContain('No changes');
    expect(JSON.parse(renderJson(plan, source))).toMatchObject({ changed: false, files: [], semantic: { changes: [] } });
  });
});

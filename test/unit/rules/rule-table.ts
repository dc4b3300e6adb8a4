/**
 * An eslint-RuleTester-style table for one diagnostic id: every case is a whole in-memory project
 * run through load → validate → normalize (test/helpers/project.ts), so positions are the ones a
 * user sees. Not a test file itself (no .test.ts): each rule's test file calls ruleTable once.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Severity } from '../../../src/diagnostics/diagnostic.js';
import { RULES } from '../../../src/model/rules/index.js';
import { check, type Files } from '../../helpers/project.js';

export interface Expected {
  line: number;
  column: number;
  /** A key part of the message: a substring, or a pattern. */
  message: string | RegExp;
  /** Part of the hint; when left out the hint must still be there. */
  hint?: string | RegExp;
  /** Default callplan.yaml. */
  file?: string;
}

interface Case {
  name: string;
  /** A single string is callplan.yaml alone. */
  files: Files | string;
  env?: Record<string, string>;
  /**
   * Other rule ids this case is expected to trigger as well (exactly these, in any number);
   * none by default, so every valid case is a wholly valid project.
   */
  others?: string[];
  /** Secret values that no diagnostic may show; the values of `env` are always checked too. */
  secrets?: string[];
}

export type ValidCase = Case;

export interface InvalidCase extends Case {
  /** In diagnostic order: by file, line, column. */
  errors: Expected[];
}

/** Text with each `from` replaced once by `to`; a `from` that is not there is a broken test, not a no-op. */
export function edit(text: string, ...replacements: Array<[from: string, to: string]>): string {
  let out = text;
  for (const [from, to] of replacements) {
    if (!out.includes(from)) throw new Error(`edit: ${JSON.stringify(from)} is not in the text`);
    out = out.replace(from, to);
  }
  return out;
}

function run(c: Case): Diagnostic[] {
  const files = typeof c.files === 'string' ? { 'callplan.yaml': c.files } : c.files;
  const result = check(files, c.env);
  const secrets = [...(c.secrets ?? []), ...Object.values(c.env ?? {})].filter((s) => s !== '');
  for (const d of result.diagnostics) {
    for (const s of secrets) {
      expect(d.message, `${d.rule} message shows a secret`).not.toContain(s);
      expect(d.hint ?? '', `${d.rule} hint shows a secret`).not.toContain(s);
    }
  }
  if (!result.diagnostics.some((d) => d.severity === 'error')) expect(result.model).toBeDefined();
  return result.diagnostics;
}

function expectOthers(diagnostics: Diagnostic[], rule: string, others: string[] = []): void {
  const seen = [...new Set(diagnostics.filter((d) => d.rule !== rule).map((d) => d.rule))].sort();
  expect(seen, 'diagnostics of other rules').toEqual([...new Set(others)].sort());
}

export function ruleTable(rule: string, severity: Severity, cases: { valid: ValidCase[]; invalid: InvalidCase[] }): void {
  describe(rule, () => {
    const declared = RULES.find((r) => r.id === rule);
    if (declared) {
      it(`is a registered rule of severity ${severity}`, () => {
        expect(declared.severity).toBe(severity);
      });
    }

    it.each(cases.valid)('valid: $name', (c) => {
      const diagnostics = run(c);
      expect(diagnostics.filter((d) => d.rule === rule)).toEqual([]);
      expectOthers(diagnostics, rule, c.others);
    });

    it.each(cases.invalid)('invalid: $name', (c) => {
      expect(c.errors.length, 'an invalid case names its findings').toBeGreaterThan(0);
      const diagnostics = run(c);
      const found = diagnostics.filter((d) => d.rule === rule);
      expect(found).toEqual(
        c.errors.map((e) => ({
          severity,
          rule,
          file: e.file ?? 'callplan.yaml',
          line: e.line,
          column: e.column,
          message: typeof e.message === 'string' ? expect.stringContaining(e.message) : expect.stringMatching(e.message),
          hint: e.hint === undefined ? expect.stringMatching(/\S/) : typeof e.hint === 'string' ? expect.stringContaining(e.hint) : expect.stringMatching(e.hint),
        })),
      );
      expectOthers(diagnostics, rule, c.others);
    });
  });
}

/** BASE's one-line entry of a user, by extension. */
const BASE_USERS: Record<string, string> = {
  '1001': '  - { extension: "1001", name: Anna, site: hq, group: team }\n',
  '1002': '  - { extension: "1002", name: Piotr, site: hq, group: team }\n',
  '1003': '  - { extension: "1003", name: Ewa, site: hq, group: team }\n',
};

/**
 * Rewrites users of BASE in block style with one device each. A rewritten user takes 8 lines
 * (`- extension` … `type`, `model`, `mac`): user 1001 alone puts its device's type at 24:15,
 * model at 25:16 and mac at 26:14; with 1001 and 1002 rewritten, 1002's mac is at 34:14, and
 * with all three, 1003's at 42:14.
 */
export function withPhones(text: string, phones: Record<string, { type?: string; model?: string; mac?: string; more?: string }>): string {
  const names: Record<string, string> = { '1001': 'Anna', '1002': 'Piotr', '1003': 'Ewa' };
  let out = text;
  for (const [ext, d] of Object.entries(phones)) {
    const device =
      `      - type: ${d.type ?? 'snom'}\n` +
      (d.model === undefined ? '' : `        model: ${d.model}\n`) +
      (d.mac === undefined ? '' : `        mac: "${d.mac}"\n`) +
      (d.more ?? '');
    out = edit(out, [BASE_USERS[ext]!, `  - extension: "${ext}"\n    name: ${names[ext]}\n    site: hq\n    group: team\n    devices:\n${device}`]);
  }
  return out;
}

/** BASE's IVR section: menu main on lines 27-29, reached from the inbound route, option 1 to queue:support. */
const BASE_IVR = 'ivr:\n  main:\n    prompt: custom/welcome\n    options: { "1": queue:support }\n';

/**
 * Replaces BASE's menus: main keeps lines 27-29 with `mainOptions`, then `more` (menus built
 * with `menu`) from line 30 on.
 */
export function withMenus(text: string, mainOptions: string, more = ''): string {
  return edit(text, [BASE_IVR, `ivr:\n  main:\n    prompt: custom/welcome\n    options: ${mainOptions}\n${more}`]);
}

/** One menu in three lines (name, prompt, options), plus any `extra` lines such as on_timeout. */
export function menu(name: string, options: string, ...extra: string[]): string {
  return `  ${name}:\n    prompt: custom/${name}\n    options: ${options}\n${extra.map((e) => `    ${e}\n`).join('')}`;
}

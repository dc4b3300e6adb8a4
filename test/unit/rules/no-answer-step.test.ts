import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

const EWA = '  - { extension: "1003", name: Ewa, site: hq, group: team }\n';

/**
 * BASE with Ewa (1003) written out with her own no-answer rule: with a group its `then` list is
 * on line 27, without one on line 26; each line of `more` moves it one down. The first step is
 * at column 14.
 */
function ewa(then: string, { group = 'team', more = '' }: { group?: string | null; more?: string } = {}): string {
  const lines = `  - extension: "1003"\n    name: Ewa\n    site: hq\n${group ? `    group: ${group}\n` : ''}${more}    no_answer:\n      after: 20\n      then: ${then}\n`;
  return edit(BASE, [EWA, lines]);
}

/** `defaults` on lines 3 on; with `no_answer` written as below its `then` is on line 6, first step at column 12. */
const withDefaults = (text: string, lines: string) => edit(text, ['name: base\n', `name: base\ndefaults:\n${lines}`]);
const defaultRule = (then: string) => `  no_answer:\n    after: 15\n    then: ${then}\n`;
/** A user without a group, after Ewa. */
const JAN = '  - { extension: "1004", name: Jan, site: hq }\n';
const addJan = (text: string) => edit(text, ['queues:\n', `${JAN}queues:\n`]);

ruleTable('no-answer-step', 'warning', {
  valid: [
    { name: 'colleagues, then the supervisor, then voicemail', files: ewa('[group, supervisor, voicemail]') },
    { name: 'a secretary the group has', files: edit(ewa('[secretary]'), ['    supervisor: user:1001\n', '    supervisor: user:1001\n    secretary: user:1002\n']) },
    { name: 'voicemail switched on for her though off by default', files: withDefaults(ewa('[voicemail]', { more: '    voicemail: true\n' }), '  voicemail: false\n') },
    { name: 'a voicemail box with e-mail', files: ewa('[voicemail]', { more: '    voicemail: { email: ewa@example.com }\n' }) },
    { name: 'steps that name their target', files: ewa('[user:1001, queue:support, external:+48221234500, hangup]', { group: null }) },
    { name: 'default steps every user can take', files: withDefaults(BASE, defaultRule('[group, supervisor, voicemail]')) },
    {
      name: 'defaults nobody uses (every user has an own rule)',
      files: withDefaults(
        edit(BASE, ['group: team }\n  - { extension: "1002"', 'group: team, no_answer: { after: 10 } }\n  - { extension: "1002"'], ['name: Piotr, site: hq, group: team }', 'name: Piotr, site: hq, group: team, no_answer: { after: 10 } }'], ['name: Ewa, site: hq, group: team }', 'name: Ewa, site: hq, group: team, no_answer: { after: 10 } }']),
        defaultRule('[secretary]'),
      ),
    },
  ],
  invalid: [
    {
      name: 'a secretary the group does not have',
      files: ewa('[secretary]'),
      errors: [{ line: 27, column: 14, message: 'no-answer step "secretary" of user 1003 is always skipped: the user group team has no secretary', hint: 'Remove the step' }],
    },
    { name: 'colleagues of a user in no group', files: ewa('[group]', { group: null }), errors: [{ line: 26, column: 14, message: 'step "group" of user 1003 is always skipped: the user has no group' }] },
    { name: 'a supervisor of a user in no group', files: ewa('[supervisor]', { group: null }), errors: [{ line: 26, column: 14, message: 'the user has no group, so no supervisor' }] },
    { name: 'a secretary of a user in no group', files: ewa('[secretary]', { group: null }), errors: [{ line: 26, column: 14, message: 'the user has no group, so no secretary' }] },
    {
      name: 'a supervisor the group does not have',
      files: edit(ewa('[supervisor]', { group: 'sales' }), ['groups:\n', 'groups:\n  sales:\n    site: hq\n']),
      errors: [{ line: 29, column: 14, message: 'step "supervisor" of user 1003 is always skipped: the user group sales has no supervisor' }],
    },
    {
      name: 'voicemail of a user without a box',
      files: ewa('[voicemail]', { more: '    voicemail: false\n' }),
      errors: [{ line: 28, column: 14, message: 'step "voicemail" of user 1003 is always skipped: the user has no voicemail box' }],
    },
    {
      name: 'voicemail when the defaults turn boxes off',
      files: withDefaults(ewa('[voicemail]'), '  voicemail: false\n'),
      errors: [{ line: 29, column: 14, message: 'step "voicemail" of user 1003 is always skipped: the user has no voicemail box' }],
    },
    {
      name: 'each skipped step of one list',
      files: ewa('[secretary, user:1001, voicemail]', { more: '    voicemail: false\n' }),
      errors: [
        { line: 28, column: 14, message: 'step "secretary" of user 1003' },
        { line: 28, column: 36, message: 'step "voicemail" of user 1003' },
      ],
    },
    {
      name: 'a default step, reported once at the defaults',
      files: withDefaults(BASE, defaultRule('[secretary]')),
      errors: [{ line: 6, column: 12, message: 'step "secretary" of user 1001 is always skipped: the user group team has no secretary' }],
    },
    {
      name: 'a default step names the first user without an own rule',
      files: withDefaults(edit(BASE, ['name: Anna, site: hq, group: team }', 'name: Anna, site: hq, group: team, no_answer: { after: 10 } }']), defaultRule('[secretary]')),
      errors: [{ line: 6, column: 12, message: 'step "secretary" of user 1002 is always skipped' }],
    },
    {
      name: 'a default step skipped for a user listed last',
      files: withDefaults(addJan(BASE), defaultRule('[supervisor]')),
      errors: [{ line: 6, column: 12, message: 'step "supervisor" of user 1004 is always skipped: the user has no group, so no supervisor' }],
    },
    {
      name: 'default steps skipped for different users',
      files: withDefaults(addJan(BASE), defaultRule('[group, secretary]')),
      errors: [
        { line: 6, column: 12, message: 'step "group" of user 1004 is always skipped: the user has no group' },
        { line: 6, column: 19, message: 'step "secretary" of user 1001 is always skipped: the user group team has no secretary' },
      ],
    },
  ],
});

import { describe, expect, it } from 'vitest';
import { BASE, findings } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/**
 * BASE with queue support overflowing to `to` (its overflow at 26:15) and `more` queues from
 * line 27; BASE's remaining 12 lines follow, so appended announcements start at line 39 + the
 * lines of `more`.
 */
const support = (to: string, more = '') => edit(BASE, ['    members: { primary: [group:team] }\n', `    members: { primary: [group:team] }\n    overflow: ${to}\n${more}`]);

/** A queue in three lines; its overflow value at column 15 of the third. */
const queue = (name: string, overflow: string) => `  ${name}:\n    members: { primary: [user:1002] }\n    overflow: ${overflow}\n`;

/** Announcements in three lines each; `then` at column 11 of the third. */
const announcements = (list: Record<string, string>) =>
  'announcements:\n' + Object.entries(list).map(([name, then]) => `  ${name}:\n    prompt: custom/${name}\n    then: ${then}\n`).join('');

ruleTable('overflow-cycle', 'error', {
  valid: [
    { name: 'an overflow to voicemail', files: support('voicemail:1001') },
    { name: 'a chain of queues ending in a group', files: support('queue:billing', queue('billing', 'group:team')) },
    { name: 'an announcement, then voicemail', files: support('announcement:busy') + announcements({ busy: 'voicemail:1001' }) },
    { name: 'an announcement, then hang up', files: support('announcement:busy') + announcements({ busy: 'hangup' }) },
    { name: 'an announcement back to a queue that does not overflow', files: BASE + announcements({ hello: 'queue:support' }) },
    { name: 'two queues overflowing to one', files: support('queue:backup', queue('billing', 'queue:backup') + '  backup:\n    members: { primary: [group:team] }\n') },
    { name: 'an overflow to a menu leading back (the caller chooses)', files: support('ivr:main') },
    { name: 'an overflow to an outside number', files: support('external:+48221234500') },
  ],
  invalid: [
    {
      name: 'two queues overflowing to each other',
      files: support('queue:billing', queue('billing', 'queue:support')),
      errors: [{ line: 26, column: 15, message: 'queue:support → queue:billing → queue:support forward to each other in a cycle', hint: 'voicemail' }],
    },
    {
      name: 'a queue overflowing to itself',
      files: support('queue:support'),
      errors: [{ line: 26, column: 15, message: 'queue:support → queue:support forward to each other in a cycle' }],
    },
    {
      name: 'a queue and its "all agents busy" announcement',
      files: support('announcement:busy') + announcements({ busy: 'queue:support' }),
      errors: [{ line: 26, column: 15, message: 'queue:support → announcement:busy → queue:support' }],
    },
    {
      name: 'announcements leading to each other',
      files: BASE + announcements({ first: 'announcement:second', second: 'announcement:first' }),
      errors: [{ line: 41, column: 11, message: 'announcement:first → announcement:second → announcement:first' }],
    },
    {
      name: 'a cycle behind a chain: reported where the cycle starts',
      files: support('queue:billing', queue('billing', 'queue:sales') + queue('sales', 'announcement:busy')) + announcements({ busy: 'queue:billing' }),
      errors: [{ line: 29, column: 15, message: 'queue:billing → queue:sales → announcement:busy → queue:billing' }],
    },
    {
      name: 'a cycle of queues from an included file',
      files: {
        'callplan.yaml': edit(support('queue:billing'), ['name: base\n', 'name: base\ninclude: [queues/*.yaml]\n']),
        'queues/billing.yaml': `queues:\n${queue('billing', 'queue:support')}`,
      },
      errors: [{ line: 27, column: 15, message: 'queue:support → queue:billing → queue:support' }],
    },
  ],
});

describe('overflow-cycle through an IVR timeout', () => {
  it('refuses a queue overflowing to a menu whose timeout sends a silent caller back to the queue', () => {
    const yaml = BASE.replace('    members: { primary: [group:team] }', '    members: { primary: [group:team] }\n    overflow: ivr:main').replace('    options: { "1": queue:support }', '    options: { "1": queue:support }\n    on_timeout: queue:support');
    const found = findings({ 'callplan.yaml': yaml }, 'overflow-cycle');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/queue:support → ivr:main → queue:support|ivr:main → queue:support → ivr:main/);
  });
});

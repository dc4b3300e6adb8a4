import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

const ANNA = '  - { extension: "1001", name: Anna, site: hq, group: team }\n';

/**
 * Anna (1001) in block style with declared keys; `more` adds lines after group (roles ...).
 * Without `more` her first key is on line 24, so `- { blf: ` puts its value at 24:16.
 */
const keys = (list: string[], more = '', text = BASE) =>
  edit(text, [ANNA, `  - extension: "1001"\n    name: Anna\n    site: hq\n    group: team\n${more}    keys:\n${list.map((k) => `      - ${k}\n`).join('')}`]);

const SUPERVISORS = 'supervisors:\n  - { user: user:1001, queues: [queue:support], modes: [listen] }\n';
const OVERRIDE_SITE = (text: string) => edit(text, ['    timezone: Europe/Warsaw\n', '    timezone: Europe/Warsaw\n    override: true\n']);
const SECOND_QUEUE = (text: string) => edit(text, ['ivr:\n', 'queues_more_placeholder\nivr:\n']).replace('queues_more_placeholder\n', '  back-office:\n    members: { primary: [user:1003] }\n');

ruleTable('function-key-reference', 'error', {
  valid: [
    { name: 'a colleague, a number, a queue with an extension, agent keys', files: keys(['{ blf: user:1002, label: Piotr }', '{ speed: "+48601234567" }', '{ queue: queue:support }', '{ agent: login }', '{ agent: pause }']) },
    { name: 'a granted spy mode', files: keys(['{ spy: listen }']) + SUPERVISORS },
    { name: 'a supervisor’s override key for a site with override', files: OVERRIDE_SITE(keys(['{ override: hq }'], '    roles: [supervisor]\n')) },
    { name: 'a supervisor by the supervisors list, not the role', files: OVERRIDE_SITE(keys(['{ override: hq }'])) + SUPERVISORS },
    { name: 'no keys at all', files: BASE },
    { name: 'a not-ready agent status', files: `${keys(['{ status: break }'])}agent_statuses:\n  break: { ready: false, code: 1 }\n` },
  ],
  invalid: [
    {
      name: 'BLF on a user who does not exist',
      files: keys(['{ blf: user:1009 }']),
      errors: [{ line: 24, column: 16, message: 'keys[0] of user 1001: unknown user "1009"', hint: /Did you mean user:100[123]\?/ }],
    },
    {
      name: 'a misspelt queue',
      files: keys(['{ speed: "123" }', '{ queue: queue:suport }']),
      errors: [{ line: 25, column: 18, message: 'keys[1] of user 1001: unknown queue "suport"', hint: 'Did you mean queue:support?' }],
    },
    {
      name: 'a queue nobody can dial',
      files: SECOND_QUEUE(keys(['{ queue: queue:back-office }'])),
      errors: [{ line: 24, column: 18, message: 'queue back-office has no extension, so no key can dial it', hint: 'Give queue back-office an extension' }],
    },
    {
      name: 'an override key for a site without override',
      files: keys(['{ override: hq }'], '    roles: [supervisor]\n'),
      errors: [{ line: 25, column: 21, message: 'site hq cannot be forced open or closed', hint: 'Set override: true on site hq' }],
    },
    {
      name: 'an override key for an unknown site',
      files: keys(['{ override: hw }'], '    roles: [supervisor]\n'),
      errors: [{ line: 25, column: 21, message: 'unknown site "hw"', hint: 'Did you mean "hq"?' }],
    },
    {
      name: 'an override key on a phone that is no supervisor’s',
      files: OVERRIDE_SITE(keys(['{ override: hq }'])),
      errors: [{ line: 25, column: 21, message: 'only supervisors may force a site open or closed, and user 1001 is none' }],
    },
    {
      name: 'a spy mode not granted',
      files: keys(['{ spy: listen }', '{ spy: barge }']) + SUPERVISORS,
      errors: [{ line: 25, column: 16, message: 'keys[1] of user 1001: user 1001 may not barge on any queue', hint: 'modes: [barge]' }],
    },
    {
      name: 'a misspelt agent status',
      files: `${keys(['{ status: breaks }'])}agent_statuses:\n  break: { ready: false, code: 1 }\n`,
      errors: [{ line: 24, column: 19, message: 'keys[0] of user 1001: unknown agent status "breaks"', hint: 'Did you mean "break"?' }],
    },
    {
      name: 'a ready status on a status key',
      files: `${keys(['{ status: available }'])}agent_statuses:\n  available: { ready: true }\n`,
      errors: [{ line: 24, column: 19, message: 'agent status available is a ready status: it has no pause code', hint: '{ agent: login }' }],
    },
    {
      name: 'a status beyond the nine codes',
      files: `${keys(['{ status: s9 }'])}agent_statuses:\n${Array.from({ length: 10 }, (_, i) => `  s${i}: { ready: false }\n`).join('')}`,
      errors: [{ line: 24, column: 19, message: 'agent status s9 has no phone code: *941-*949 are all taken' }],
      others: ['agent-status-without-code'],
    },
    {
      name: 'a spy key of someone who supervises nothing',
      files: keys(['{ spy: whisper }']),
      errors: [{ line: 24, column: 16, message: 'user 1001 may not whisper on any queue' }],
    },
  ],
});

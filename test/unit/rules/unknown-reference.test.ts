import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

const withInclude = (pattern: string) => edit(BASE, ['name: base\n', `name: base\ninclude: [${pattern}]\n`]);
/** BASE with `defaults` on lines 3 on (BASE's own lines move down by as many). */
const withDefaults = (text: string, lines: string) => edit(text, ['name: base\n', `name: base\ndefaults:\n${lines}`]);
const campaign = (queue: string, outboundClass: string) =>
  `${BASE}campaigns:\n  renewals:\n    mode: progressive\n    queue: ${queue}\n    contacts: { source: api }\n    window: { from: "09:00", to: "20:00" }\n    outbound_class: ${outboundClass}\n`;

ruleTable('unknown-reference', 'error', {
  valid: [
    { name: 'BASE', files: BASE },
    {
      name: 'a queue member defined in an included file',
      files: {
        'callplan.yaml': edit(withInclude('users/*.yaml'), ['[group:team]', '[group:team, user:1004]']),
        'users/more.yaml': 'users:\n  - { extension: "1004", name: Jan, site: hq }\n',
      },
    },
    {
      name: 'a reference to a queue the schema refused is not reported again',
      files: edit(BASE, ['"1": queue:support }', '"1": queue:support, "2": queue:billing }'], ['queues:\n', 'queues:\n  billing:\n    strategy: roundrobin\n    members: { primary: [group:team] }\n']),
      others: ['schema'],
    },
    {
      name: 'a reference to a user the schema refused is not reported again',
      files: edit(BASE, ['[group:team]', '[group:team, user:1004]'], ['  - { extension: "1003"', '  - { extension: "1004", name: Jan, site: hq, roles: [boss] }\n  - { extension: "1003"']),
      others: ['schema'],
    },
    { name: 'outside numbers and hang-up are not names', files: edit(BASE, ['"1": queue:support }', '"1": queue:support, "8": external:+48221234500, "0": hangup }']) },
    { name: 'no-answer steps relative to the user', files: withDefaults(BASE, '  no_answer: { after: 20, then: [group, supervisor, voicemail, hangup] }\n') },
    { name: 'voicemail of a user who has it by default', files: edit(BASE, ['"1": queue:support }', '"1": queue:support, "0": voicemail:1002 }']) },
  ],
  invalid: [
    {
      name: 'a queue member who is not a user (a typo)',
      files: edit(BASE, ['[group:team]', '[group:team, user:1009]']),
      errors: [{ line: 25, column: 38, message: 'user:1009 refers to an unknown user "1009"', hint: 'Did you mean user:1001?' }],
    },
    {
      name: 'a queue member nothing like a user',
      files: edit(BASE, ['[group:team]', '[group:team, user:4711]']),
      errors: [{ line: 25, column: 38, message: 'user:4711 refers to an unknown user "4711"', hint: 'Define user "4711", or point somewhere else.' }],
    },
    {
      name: 'an unknown group of members',
      files: edit(BASE, ['[group:team]', '[group:sales]']),
      errors: [{ line: 25, column: 26, message: 'group:sales refers to an unknown group "sales"' }],
      others: ['empty-queue'],
    },
    {
      name: 'a backup member',
      files: edit(BASE, ['{ primary: [group:team] }', '{ primary: [group:team], backup: [user:2001] }']),
      errors: [{ line: 25, column: 48, message: 'user:2001 refers to an unknown user "2001"' }],
    },
    {
      name: 'an IVR option to a misspelt queue',
      files: edit(BASE, ['"1": queue:support }', '"1": queue:suport }']),
      errors: [{ line: 29, column: 21, message: 'queue:suport refers to an unknown queue "suport"', hint: 'Did you mean queue:support?' }],
    },
    {
      name: 'an inbound route to a misspelt menu',
      files: edit(BASE, ['to: ivr:main', 'to: ivr:man']),
      errors: [{ line: 32, column: 28, message: 'ivr:man refers to an unknown IVR menu "man"', hint: 'Did you mean ivr:main?' }],
      others: ['unreachable-ivr'],
    },
    {
      name: 'two letters swapped in a short name is too far for a guess',
      files: edit(BASE, ['to: ivr:main', 'to: ivr:mian']),
      errors: [{ line: 32, column: 28, message: 'ivr:mian refers to an unknown IVR menu "mian"', hint: 'Define IVR menu "mian", or point somewhere else.' }],
      others: ['unreachable-ivr'],
    },
    {
      name: 'an inbound route for an unknown site',
      files: edit(BASE, ['{ site: hq, to: ivr:main }', '{ site: hg, to: ivr:main }']),
      errors: [{ line: 32, column: 20, message: 'unknown site "hg"', hint: 'Did you mean "hq"?' }],
    },
    {
      name: 'an inbound route for an unknown trunk',
      files: edit(BASE, ['  - did: "+48221234567"\n', '  - did: "+48221234567"\n    trunk: carrer\n']),
      errors: [{ line: 32, column: 12, message: 'unknown trunk "carrer"', hint: 'Did you mean "carrier"?' }],
    },
    {
      name: 'closed-hours voicemail of an unknown user',
      files: edit(BASE, ['to: ivr:main }]\n', 'to: ivr:main }]\n    closed: voicemail:1009\n']),
      errors: [{ line: 33, column: 13, message: 'voicemail:1009 refers to an unknown user "1009"' }],
    },
    {
      name: 'a user at an unknown site',
      files: edit(BASE, ['name: Anna, site: hq', 'name: Anna, site: hr']),
      errors: [{ line: 19, column: 44, message: 'unknown site "hr"', hint: 'Did you mean "hq"?' }],
    },
    {
      name: 'a user in an unknown group',
      files: edit(BASE, ['name: Anna, site: hq, group: team', 'name: Anna, site: hq, group: teem']),
      errors: [{ line: 19, column: 55, message: 'unknown group "teem"', hint: 'Did you mean "team"?' }],
    },
    {
      name: 'a user with an unknown permission class',
      files: edit(BASE, ['name: Anna, site: hq, group: team }', 'name: Anna, site: hq, group: team, outbound: boss }']),
      errors: [{ line: 19, column: 71, message: 'unknown permission class "boss"', hint: 'Define it under outbound.classes, or fix the name.' }],
    },
    {
      name: 'a group at an unknown site',
      files: edit(BASE, ['    site: hq\n    supervisor', '    site: hg\n    supervisor']),
      errors: [{ line: 16, column: 11, message: 'unknown site "hg"' }],
    },
    {
      name: 'a group supervisor who is not a user',
      files: edit(BASE, ['supervisor: user:1001', 'supervisor: user:1009']),
      errors: [{ line: 17, column: 17, message: 'user:1009 refers to an unknown user "1009"' }],
    },
    {
      name: 'a queue at an unknown site',
      files: edit(BASE, ['    extension: "600"\n', '    extension: "600"\n    site: warsaw\n']),
      errors: [{ line: 25, column: 11, message: 'unknown site "warsaw"', hint: 'Define it under sites, or fix the name.' }],
    },
    {
      name: 'a queue overflowing to an unknown queue',
      files: edit(BASE, ['    extension: "600"\n', '    extension: "600"\n    overflow: queue:backup\n']),
      errors: [{ line: 25, column: 15, message: 'queue:backup refers to an unknown queue "backup"' }],
    },
    {
      name: 'an outbound route over a misspelt trunk',
      files: edit(BASE, ['trunks: [carrier]', 'trunks: [carier]']),
      errors: [{ line: 35, column: 53, message: 'unknown trunk "carier"', hint: 'Did you mean "carrier"?' }],
    },
    {
      name: 'a class granting an undefined route',
      files: edit(BASE, ['office: [national]', 'office: [national, international]']),
      errors: [{ line: 37, column: 24, message: 'unknown outbound route "international"', hint: 'Define it under outbound.routes, or fix the name.' }],
    },
    {
      name: 'voicemail of a user without a box',
      files: edit(BASE, ['name: Anna, site: hq, group: team }', 'name: Anna, site: hq, group: team, voicemail: false }'], ['"1": queue:support }', '"1": queue:support, "0": voicemail:1001 }']),
      errors: [{ line: 29, column: 41, message: 'voicemail:1001: user 1001 has no voicemail box', hint: 'Give user 1001 voicemail: true' }],
    },
    {
      name: 'voicemail when the defaults turn boxes off',
      files: withDefaults(edit(BASE, ['"1": queue:support }', '"1": queue:support, "0": voicemail:1002 }']), '  voicemail: false\n'),
      errors: [{ line: 31, column: 41, message: 'voicemail:1002: user 1002 has no voicemail box' }],
    },
    {
      name: 'a default permission class that does not exist',
      files: withDefaults(BASE, '  outbound_class: ofice\n'),
      errors: [{ line: 4, column: 19, message: 'unknown permission class "ofice"', hint: 'Did you mean "office"?' }],
    },
    {
      name: 'a default no-answer step to an unknown queue',
      files: withDefaults(BASE, '  no_answer:\n    after: 20\n    then: [group, queue:sales]\n'),
      errors: [{ line: 6, column: 19, message: 'queue:sales refers to an unknown queue "sales"' }],
    },
    {
      name: 'an announcement followed by an unknown queue',
      files: `${BASE}announcements:\n  closed:\n    prompt: custom/closed\n    then: queue:sales\n`,
      errors: [{ line: 41, column: 11, message: 'queue:sales refers to an unknown queue "sales"' }],
    },
    {
      name: 'a campaign’s queue and permission class',
      files: campaign('queue:billing', 'ofice'),
      errors: [
        { line: 41, column: 12, message: 'queue:billing refers to an unknown queue "billing"' },
        { line: 44, column: 21, message: 'unknown permission class "ofice"' },
      ],
    },
    {
      name: 'a supervisor who is not a user, of an unknown queue',
      files: `${BASE}supervisors:\n  - user: user:1009\n    queues: [queue:support, queue:sales]\n`,
      errors: [
        { line: 39, column: 11, message: 'user:1009 refers to an unknown user "1009"' },
        { line: 40, column: 29, message: 'queue:sales refers to an unknown queue "sales"' },
      ],
    },
    {
      name: 'a recording policy for unknown users and queues',
      files: `${BASE}recording:\n  policies:\n    - name: all\n      users: [user:1001, user:1009]\n      queues: [queue:sales]\n`,
      errors: [
        { line: 41, column: 26, message: 'user:1009 refers to an unknown user "1009"' },
        { line: 42, column: 16, message: 'queue:sales refers to an unknown queue "sales"' },
      ],
    },
    {
      name: 'a reference from an included file',
      files: { 'callplan.yaml': withInclude('queues/*.yaml'), 'queues/sales.yaml': 'queues:\n  sales:\n    members: { primary: [user:1009] }\n' },
      errors: [{ file: 'queues/sales.yaml', line: 3, column: 26, message: 'user:1009 refers to an unknown user "1009"' }],
    },
  ],
});

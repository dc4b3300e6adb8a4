import { BASE } from '../../helpers/project.js';
import { edit, menu, ruleTable, withMenus } from './rule-table.js';

/** BASE's main menu, unchanged, then `more` from line 30. */
const plus = (more: string) => withMenus(BASE, '{ "1": queue:support }', more);
const night = menu('night', '{ "1": voicemail:1001 }');

ruleTable('unreachable-ivr', 'error', {
  valid: [
    { name: 'a menu an inbound route opens to', files: BASE },
    { name: 'a sub-menu', files: withMenus(BASE, '{ "1": queue:support, "2": ivr:night }', night) },
    { name: 'a sub-menu of a sub-menu', files: withMenus(BASE, '{ "1": queue:support, "2": ivr:night }', menu('night', '{ "1": ivr:deeper }') + menu('deeper', '{ "1": queue:support }')) },
    { name: 'a menu reached on timeout', files: withMenus(BASE, '{ "1": queue:support }\n    on_timeout: ivr:night', night) },
    { name: 'a menu for closed hours', files: edit(plus(night), ['open: [{ site: hq, to: ivr:main }]\n', 'open: [{ site: hq, to: ivr:main }]\n    closed: ivr:night\n']) },
    { name: 'a menu for holidays', files: edit(plus(night), ['open: [{ site: hq, to: ivr:main }]\n', 'open: [{ site: hq, to: ivr:main }]\n    holiday: ivr:night\n']) },
    { name: 'a menu a queue overflows to', files: edit(plus(night), ['    members: { primary: [group:team] }\n', '    members: { primary: [group:team] }\n    overflow: ivr:night\n']) },
    { name: 'a menu after an announcement', files: `${plus(night)}announcements:\n  welcome:\n    prompt: custom/hello\n    then: ivr:night\n` },
    { name: 'no menus at all', files: edit(BASE, ['ivr:\n  main:\n    prompt: custom/welcome\n    options: { "1": queue:support }\n', ''], ['to: ivr:main', 'to: queue:support']) },
    {
      name: 'a menu in an included file',
      files: {
        'callplan.yaml': edit(BASE, ['name: base\n', 'name: base\ninclude: [ivr/*.yaml]\n'], ['"1": queue:support }', '"1": queue:support, "2": ivr:night }']),
        'ivr/night.yaml': `ivr:\n${night}`,
      },
    },
  ],
  invalid: [
    {
      name: 'a menu nothing routes to',
      files: plus(menu('orphan', '{ "1": queue:support }')),
      errors: [{ line: 30, column: 3, message: 'IVR menu orphan cannot be reached', hint: 'ivr:orphan' }],
    },
    {
      name: 'the inbound route goes straight to the queue',
      files: edit(BASE, ['to: ivr:main', 'to: queue:support']),
      errors: [{ line: 27, column: 3, message: 'IVR menu main cannot be reached' }],
    },
    {
      name: 'a menu reached only from itself',
      files: plus(menu('orphan', '{ "1": queue:support, "9": ivr:orphan }')),
      errors: [{ line: 30, column: 3, message: 'IVR menu orphan cannot be reached' }],
    },
    {
      name: 'menus reached only from each other',
      files: plus(menu('day', '{ "1": queue:support, "2": ivr:night }') + menu('night', '{ "1": voicemail:1001, "2": ivr:day }')),
      errors: [
        { line: 30, column: 3, message: 'IVR menu day cannot be reached' },
        { line: 33, column: 3, message: 'IVR menu night cannot be reached' },
      ],
    },
    {
      name: 'a menu reached only from an unreachable one',
      files: plus(menu('orphan', '{ "1": ivr:night }') + night),
      errors: [
        { line: 30, column: 3, message: 'IVR menu orphan cannot be reached' },
        { line: 33, column: 3, message: 'IVR menu night cannot be reached' },
      ],
    },
    {
      name: 'a menu in an included file nothing routes to',
      files: {
        'callplan.yaml': edit(BASE, ['name: base\n', 'name: base\ninclude: [ivr/*.yaml]\n']),
        'ivr/night.yaml': `ivr:\n${night}`,
      },
      errors: [{ file: 'ivr/night.yaml', line: 2, column: 3, message: 'IVR menu night cannot be reached' }],
    },
  ],
});

import { BASE } from '../../helpers/project.js';
import { menu, ruleTable, withMenus } from './rule-table.js';

/** main (reached from the inbound route, with a way out to queue:support) leads to `more`, which starts at line 30. */
const fromMain = (more: string, mainOptions = '{ "1": queue:support, "2": ivr:billing }') => withMenus(BASE, mainOptions, more);

const announcement = 'announcements:\n  closed:\n    prompt: custom/closed\n';

ruleTable('ivr-loop', 'error', {
  valid: [
    { name: 'a sub-menu leading back to a menu with a way out', files: fromMain(menu('billing', '{ "1": queue:support, "0": ivr:main }')) },
    { name: 'menus that only lead back, but main has a way out', files: fromMain(menu('billing', '{ "0": ivr:main, "9": repeat }')) },
    { name: 'a menu that replays itself and has a way out', files: withMenus(BASE, '{ "1": queue:support, "9": ivr:main }') },
    { name: 'repeat is not a loop', files: fromMain(menu('billing', '{ "1": queue:support, "9": repeat }')) },
    { name: 'a dead end (only hang-ups) is not a loop', files: fromMain(menu('billing', '{ "0": hangup }')) },
    {
      name: 'a loop left by on_timeout',
      files: fromMain(menu('billing', '{ "1": ivr:billing-more }', 'on_timeout: queue:support') + menu('billing-more', '{ "0": ivr:billing }')),
    },
    {
      name: 'a loop left by on_invalid to voicemail',
      files: fromMain(menu('billing', '{ "1": ivr:billing-more }') + menu('billing-more', '{ "0": ivr:billing }', 'on_invalid: voicemail:1001')),
    },
    {
      name: 'a loop left to an announcement',
      files: fromMain(menu('billing', '{ "1": ivr:billing-more, "2": announcement:closed }') + menu('billing-more', '{ "0": ivr:billing }')) + announcement,
    },
    { name: 'a loop left to an outside number', files: fromMain(menu('billing', '{ "1": ivr:billing-more, "2": external:+48221234500 }') + menu('billing-more', '{ "0": ivr:billing }')) },
    { name: 'a loop left to a person', files: fromMain(menu('billing', '{ "1": ivr:billing, "0": user:1001 }')) },
    {
      name: 'a loop left through a menu outside it',
      files: fromMain(menu('billing', '{ "1": ivr:billing-more }') + menu('billing-more', '{ "0": ivr:billing, "5": ivr:agents }') + menu('agents', '{ "1": group:team }')),
    },
  ],
  invalid: [
    {
      name: 'two menus leading only to each other',
      files: fromMain(menu('billing', '{ "1": ivr:billing-more, "9": repeat }') + menu('billing-more', '{ "0": ivr:billing }')),
      errors: [{ line: 30, column: 3, message: 'IVR menus billing → billing-more → billing form a loop with no way out', hint: 'on_timeout' }],
    },
    {
      name: 'a menu leading only to itself',
      files: fromMain(menu('billing', '{ "1": ivr:billing, "9": repeat }')),
      errors: [{ line: 30, column: 3, message: 'IVR menus billing → billing form a loop with no way out' }],
    },
    {
      name: 'hang-ups are no way out',
      files: fromMain(menu('billing', '{ "1": ivr:billing-more, "0": hangup }', 'on_timeout: hangup', 'on_invalid: hangup') + menu('billing-more', '{ "0": ivr:billing }')),
      errors: [{ line: 30, column: 3, message: 'IVR menus billing → billing-more → billing form a loop' }],
    },
    {
      name: 'three menus in a ring',
      files: fromMain(menu('billing', '{ "1": ivr:cards }') + menu('cards', '{ "1": ivr:loans }') + menu('loans', '{ "1": ivr:billing }')),
      errors: [{ line: 30, column: 3, message: 'IVR menus billing → cards → loans → billing form a loop' }],
    },
    {
      name: 'the whole tree loops back to main, which has no way out either',
      files: fromMain(menu('billing', '{ "0": ivr:main }'), '{ "2": ivr:billing, "9": repeat }'),
      errors: [{ line: 27, column: 3, message: 'IVR menus main → billing → main form a loop' }],
    },
    {
      name: 'each of two loops',
      files: fromMain(menu('billing', '{ "1": ivr:billing }') + menu('cards', '{ "1": ivr:loans }') + menu('loans', '{ "1": ivr:cards }'), '{ "1": queue:support, "2": ivr:billing, "3": ivr:cards }'),
      errors: [
        { line: 30, column: 3, message: 'IVR menus billing → billing form a loop' },
        { line: 33, column: 3, message: 'IVR menus cards → loans → cards form a loop' },
      ],
    },
    {
      name: 'a menu that is not defined is no way out',
      files: fromMain(menu('billing', '{ "1": ivr:billing-more, "2": ivr:nowhere }') + menu('billing-more', '{ "0": ivr:billing }')),
      errors: [{ line: 30, column: 3, message: 'IVR menus billing → billing-more → billing form a loop' }],
      others: ['unknown-reference'],
    },
  ],
});

import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/**
 * Loader level (src/model/project.ts): names are unique across all files of a project. A second
 * definition is reported at its key, with the first one's place in the hint.
 */
const root = (...patterns: string[]) => edit(BASE, ['name: base\n', `name: base\ninclude: [${patterns.join(', ')}]\n`]);

ruleTable('duplicate-name', 'error', {
  valid: [
    { name: 'sections split over files', files: { 'callplan.yaml': root('more/*.yaml'), 'more/conf.yaml': 'conferences:\n  board: { extension: "800" }\n' } },
    {
      name: 'one name in different sections',
      files: { 'callplan.yaml': root('more/*.yaml'), 'more/hq.yaml': 'groups:\n  hq: { site: hq }\nconferences:\n  support: { extension: "800" }\n' },
    },
    {
      name: 'users are a list: one extension twice is duplicate-extension’s',
      files: { 'callplan.yaml': root('more/*.yaml'), 'more/users.yaml': 'users:\n  - { extension: "1001", name: Anna, site: hq }\n' },
      others: ['duplicate-extension'],
    },
    {
      name: 'inbound routes are a list too: one DID twice is duplicate-did’s',
      files: { 'callplan.yaml': root('more/*.yaml'), 'more/did.yaml': 'inbound:\n  - did: "+48221234567"\n    open: [{ site: hq, to: queue:support }]\n' },
      others: ['duplicate-did'],
    },
    { name: 'a key twice in one file is a YAML error, not this', files: `${BASE}queues: {}\n`, others: ['yaml-syntax'] },
    { name: 'a file matched by two patterns is read once', files: { 'callplan.yaml': root('more/*.yaml', '"**/conf.yaml"'), 'more/conf.yaml': 'conferences:\n  board: { extension: "800" }\n' } },
  ],
  invalid: [
    {
      name: 'a site in the root file and an included file',
      files: { 'callplan.yaml': root('sites/*.yaml'), 'sites/hq.yaml': 'sites:\n  hq:\n    timezone: Europe/Warsaw\n' },
      errors: [{ file: 'sites/hq.yaml', line: 2, column: 3, message: 'site "hq" is defined twice', hint: 'It is already defined at callplan.yaml:5:3; names are unique across all files' }],
    },
    {
      name: 'a queue',
      files: { 'callplan.yaml': root('queues/*.yaml'), 'queues/support.yaml': 'queues:\n  support:\n    members: { primary: [user:1002] }\n' },
      errors: [{ file: 'queues/support.yaml', line: 2, column: 3, message: 'queue "support" is defined twice', hint: 'callplan.yaml:24:3' }],
    },
    {
      name: 'an IVR menu',
      files: { 'callplan.yaml': root('ivr/*.yaml'), 'ivr/main.yaml': 'ivr:\n  main:\n    prompt: custom/other\n    options: { "1": queue:support }\n' },
      errors: [{ file: 'ivr/main.yaml', line: 2, column: 3, message: 'IVR menu "main" is defined twice', hint: 'callplan.yaml:28:3' }],
    },
    {
      name: 'a trunk',
      files: { 'callplan.yaml': root('trunks/*.yaml'), 'trunks/carrier.yaml': 'trunks:\n  carrier: { auth: ip, host: sip2.example.com }\n' },
      errors: [{ file: 'trunks/carrier.yaml', line: 2, column: 3, message: 'trunk "carrier" is defined twice', hint: 'callplan.yaml:10:3' }],
    },
    {
      name: 'an outbound route',
      files: { 'callplan.yaml': root('routes.yaml'), 'routes.yaml': 'outbound:\n  routes:\n    national: { patterns: ["_0XXXXXXXX"], trunks: [carrier] }\n' },
      errors: [{ file: 'routes.yaml', line: 3, column: 5, message: 'outbound route "national" is defined twice', hint: 'callplan.yaml:36:5' }],
    },
    {
      name: 'between two included files: the later file in sorted order is reported',
      files: {
        'callplan.yaml': root('conf/*.yaml'),
        'conf/b.yaml': 'conferences:\n  board: { extension: "801" }\n',
        'conf/a.yaml': 'conferences:\n  board: { extension: "800" }\n',
      },
      errors: [{ file: 'conf/b.yaml', line: 2, column: 3, message: 'conference "board" is defined twice', hint: 'conf/a.yaml:2:3' }],
    },
    {
      name: 'a whole section defined in two files',
      files: {
        'callplan.yaml': `${root('more/*.yaml')}provisioning:\n  url: https://prov.example.com\n`,
        'more/prov.yaml': 'provisioning:\n  url: https://prov2.example.com\n',
      },
      errors: [{ file: 'more/prov.yaml', line: 1, column: 1, message: 'section "provisioning" is defined twice', hint: 'callplan.yaml:39:1' }],
    },
    {
      name: 'the first definition wins: a third is reported too',
      files: {
        'callplan.yaml': root('sites/*.yaml'),
        'sites/a.yaml': 'sites:\n  hq: { timezone: UTC }\n',
        'sites/b.yaml': 'sites:\n  hq: { timezone: UTC }\n',
      },
      errors: [
        { file: 'sites/a.yaml', line: 2, column: 3, message: 'site "hq" is defined twice', hint: 'callplan.yaml:5:3' },
        { file: 'sites/b.yaml', line: 2, column: 3, message: 'site "hq" is defined twice', hint: 'callplan.yaml:5:3' },
      ],
    },
  ],
});

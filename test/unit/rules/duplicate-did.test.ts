import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** BASE routes +48221234567 (line 31); this adds routes after it, from line 33 on (`did` value at column 10). */
function routes(...dids: string[]): string {
  const added = dids.map((did) => `  - did: ${did}\n    open: [{ site: hq, to: queue:support }]\n`).join('');
  return edit(BASE, ['outbound:\n', `${added}outbound:\n`]);
}

ruleTable('duplicate-did', 'error', {
  valid: [
    { name: 'one route per number', files: routes('"+48221234568"') },
    { name: 'several numbers in one route', files: routes('["+48221234568", "+48221234569"]') },
    { name: 'numbers that only share a prefix', files: routes('"+4822123456"', '"+482212345670"') },
    { name: 'the same digits in another country', files: routes('"+38221234567"') },
  ],
  invalid: [
    {
      name: 'the same number in two routes',
      files: routes('"+48221234567"'),
      errors: [{ line: 33, column: 10, message: 'DID +48221234567 is already routed by inbound route for +48221234567', hint: 'did: [...]' }],
    },
    {
      name: 'the same number without the +',
      files: routes('"48221234567"'),
      errors: [{ line: 33, column: 10, message: 'DID 48221234567 is already routed by inbound route for +48221234567' }],
    },
    {
      name: 'the first route named',
      files: edit(routes('"+48221234567"'), ['  - did: "+48221234567"\n    open: [{ site: hq, to: ivr:main }]', '  - name: main line\n    did: "+48221234567"\n    open: [{ site: hq, to: ivr:main }]']),
      errors: [{ line: 34, column: 10, message: 'DID +48221234567 is already routed by inbound route "main line"' }],
    },
    {
      name: 'inside a list of numbers',
      files: routes('["+48221234500", "+48221234567"]'),
      errors: [{ line: 33, column: 27, message: 'DID +48221234567 is already routed' }],
    },
    {
      name: 'twice in one list, with and without +',
      files: edit(BASE, ['did: "+48221234567"', 'did: ["+48221234567", "48221234567"]']),
      errors: [{ line: 31, column: 27, message: 'DID 48221234567 is already routed by inbound route for +48221234567' }],
    },
    {
      name: 'three routes for one number: each repeat reported',
      files: routes('"+48221234567"', '"48221234567"'),
      errors: [
        { line: 33, column: 10, message: 'DID +48221234567 is already routed' },
        { line: 35, column: 10, message: 'DID 48221234567 is already routed' },
      ],
    },
    {
      name: 'a route from an included file',
      files: {
        'callplan.yaml': edit(BASE, ['name: base\n', 'name: base\ninclude: [routing/*.yaml]\n']),
        'routing/extra.yaml': 'inbound:\n  - did: "48221234567"\n    open: [{ site: hq, to: queue:support }]\n',
      },
      errors: [{ file: 'routing/extra.yaml', line: 2, column: 10, message: 'DID 48221234567 is already routed by inbound route for +48221234567' }],
    },
  ],
});

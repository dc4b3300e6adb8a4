import { BASE } from '../../helpers/project.js';
import { edit, ruleTable } from './rule-table.js';

/** BASE with `route` added as a line above national (so at 35:5, national moving to 36). */
const route = (line: string) => edit(BASE, ['    national: {', `    ${line}\n    national: {`]);

ruleTable('unusable-outbound-route', 'error', {
  valid: [
    { name: 'every route in a class', files: edit(route('international: { patterns: ["_00X."], trunks: [carrier] }'), ['office: [national]', 'office: [national, international]']) },
    { name: 'an emergency route needs no class', files: route('emergency: { patterns: ["112", "999"], trunks: [carrier], emergency: true }') },
    { name: 'a route in a second class', files: edit(route('international: { patterns: ["_00X."], trunks: [carrier] }'), ['    office: [national]\n', '    office: [national]\n    managers: [national, international]\n']) },
    {
      name: 'a route granted by a class in an included file',
      files: {
        'callplan.yaml': edit(route('international: { patterns: ["_00X."], trunks: [carrier] }'), ['name: base\n', 'name: base\ninclude: [classes.yaml]\n']),
        'classes.yaml': 'outbound:\n  classes:\n    managers: [international]\n',
      },
    },
  ],
  invalid: [
    {
      name: 'a route no class lists',
      files: route('international: { patterns: ["_00X."], trunks: [carrier] }'),
      errors: [{ line: 35, column: 5, message: 'outbound route international is not granted to any permission class, so nobody can use it', hint: 'outbound.classes' }],
    },
    {
      name: 'emergency: false is no emergency route',
      files: route('premium: { patterns: ["_70X."], trunks: [carrier], emergency: false }'),
      errors: [{ line: 35, column: 5, message: 'outbound route premium is not granted' }],
    },
    {
      name: 'an empty class',
      files: edit(BASE, ['office: [national]', 'office: []']),
      errors: [{ line: 35, column: 5, message: 'outbound route national is not granted' }],
    },
    {
      name: 'a route in an included file',
      files: {
        'callplan.yaml': edit(BASE, ['name: base\n', 'name: base\ninclude: [routes/*.yaml]\n']),
        'routes/mobile.yaml': 'outbound:\n  routes:\n    mobile:\n      patterns: ["_5XXXXXXXX"]\n      trunks: [carrier]\n',
      },
      errors: [{ file: 'routes/mobile.yaml', line: 3, column: 5, message: 'outbound route mobile is not granted' }],
    },
  ],
});

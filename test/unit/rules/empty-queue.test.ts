import { describe, expect, it } from 'vitest';
import { BASE, check, findings } from '../../helpers/project.js';

describe('empty-queue', () => {
  it('warns about a queue whose only group has no users', () => {
    const yaml = BASE.replace('groups:\n', 'groups:\n  night: { site: hq }\n').replace('members: { primary: [group:team] }', 'members: { primary: [group:night] }');
    const found = findings({ 'callplan.yaml': yaml }, 'empty-queue');
    expect(found).toMatchObject([{ severity: 'warning', line: 26, column: 5, message: 'queue support has no members: its groups have no users' }]);
    // A warning: the project still builds.
    expect(check({ 'callplan.yaml': yaml }).model).toBeDefined();
  });

  it.each([
    ['a group with users', BASE],
    ['a single user', BASE.replace('members: { primary: [group:team] }', 'members: { primary: [user:1001] }')],
    ['an empty group beside a user', BASE.replace('groups:\n', 'groups:\n  night: { site: hq }\n').replace('members: { primary: [group:team] }', 'members: { primary: [group:night], backup: [user:1002] }')],
  ])('accepts %s', (_name, yaml) => {
    expect(findings({ 'callplan.yaml': yaml }, 'empty-queue')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { BASE, check, findings } from '../../helpers/project.js';

const queue = (extra: string) => BASE.replace('    members: { primary: [group:team] }', `    members: { primary: [user:1001], backup: [user:1002] }\n${extra}`);

describe('queue-timing', () => {
  it.each([
    ['a ring_timeout as long as backup_after', '    backup_after: 15\n    ring_timeout: 20', 27, 19, 'backups join only after the ring attempt in progress at 15 s ends (ring_timeout 20 s)'],
    ['the default ring_timeout with a short backup_after', '    backup_after: 10', 26, 19, 'at 10 s ends (ring_timeout 15 s)'],
    ['callers leaving before backups could join', '    backup_after: 60\n    max_wait: 45', 27, 15, 'callers leave after max_wait 45 s, before backups join at 60 s'],
  ])('warns about %s', (_name, extra, line, column, message) => {
    const found = findings({ 'callplan.yaml': queue(extra) }, 'queue-timing');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'warning', line, column });
    expect(found[0]!.message).toContain(message);
    expect(found[0]!.hint).toBeTruthy();
    // A warning: the project still builds.
    expect(check({ 'callplan.yaml': queue(extra) }).model).toBeDefined();
  });

  it.each([
    ['defaults (backup after 30 s, ring 15 s)', ''],
    ['a queue without backups', null],
    ['ring shorter, max_wait longer', '    backup_after: 20\n    ring_timeout: 10\n    max_wait: 120'],
  ])('accepts %s', (_name, extra) => {
    const yaml = extra === null ? BASE : queue(extra);
    expect(findings({ 'callplan.yaml': yaml }, 'queue-timing')).toEqual([]);
  });
});

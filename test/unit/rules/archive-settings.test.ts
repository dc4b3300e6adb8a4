import { describe, expect, it } from 'vitest';
import { BASE, findings } from '../../helpers/project.js';

const archive = (lines: string) => `${BASE}recording:\n  archive:\n    url: ftps://archive.example.com/rec\n    username: recorder\n    password: "\${env:ARCHIVE_PASSWORD}"\n${lines}`;

describe('archive-settings', () => {
  it.each([
    ['a layout with an unknown field', archive('    layout: "{yyyy}/{month}/{file}"\n'), 'recording.archive.layout "{yyyy}/{month}/{file}": unknown field {month}', 'layout'],
    ['a layout that does not end with the file', archive('    layout: "{file}/{yyyy}"\n'), 'must end with a file name holding {file}', 'layout'],
    ['a layout climbing out of the root', archive('    layout: "../{file}"\n'), 'empty, "." or ".." folder', 'layout'],
    ['a password in the URL', `${BASE}recording:\n  archive:\n    url: ftps://recorder:Secret-123@archive.example.com/rec\n`, 'recording.archive.url holds a password', 'url'],
    ['a timer every 30 seconds', archive('    every: 30s\n'), 'recording.archive.every is 30s', 'every'],
  ])('refuses %s', (_name, yaml, message, key) => {
    const [d, ...rest] = findings({ 'callplan.yaml': yaml }, 'archive-settings');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({ severity: 'error' });
    expect(d!.message).toContain(message);
    expect(d!.hint).toBeTruthy();
    const line = yaml.split('\n').findIndex((l) => l.trimStart().startsWith(`${key}:`)) + 1;
    expect(d!.line).toBe(line);
    expect(d!.message).not.toContain('Secret-123');
  });

  it.each([
    ['the defaults', archive('')],
    ['a layout of sidecar fields', archive('    layout: "{campaign}/{yyyy}-{mm}/{agent}_{file}"\n    every: 1h\n')],
    ['a user in the URL', `${BASE}recording:\n  archive:\n    url: ftps://recorder@archive.example.com/rec\n    password: "\${env:ARCHIVE_PASSWORD}"\n`],
  ])('accepts %s', (_name, yaml) => {
    expect(findings({ 'callplan.yaml': yaml }, 'archive-settings')).toEqual([]);
  });
});

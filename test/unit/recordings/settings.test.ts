import { describe, expect, it } from 'vitest';
import type { Recording } from '../../../src/model/types.js';
import { secretValues } from '../../../src/secrets/refs.js';
import { parseDurationFlag, resolvePassword, resolveSettings, SettingsError } from '../../../src/recordings/archive/settings.js';

const recording: Recording = {
  format: 'wav',
  directory: '/var/spool/asterisk/monitor',
  policies: [],
  archive: {
    url: 'ftps://archive.example.com/cc-recordings',
    username: 'cc-recorder',
    password: { source: 'env', name: 'ARCHIVE_FTP_PASSWORD' },
    layout: '{yyyy}/{mm}/{queue}/{file}',
    olderThan: 172800,
    verify: 'size',
    keepLocal: false,
    every: 900,
  },
};

describe('archive settings', () => {
  it('come from the model', () => {
    const s = resolveSettings({}, recording, '/root');
    expect(s).toMatchObject({
      source: '/var/spool/asterisk/monitor',
      journal: '/var/spool/asterisk/monitor/.callplan-archive.journal',
      destination: 'ftps://archive.example.com/cc-recordings',
      host: 'archive.example.com',
      port: 21,
      secure: true,
      root: '/cc-recordings',
      user: 'cc-recorder',
      passwordRef: { source: 'env', name: 'ARCHIVE_FTP_PASSWORD' },
      olderThanMs: 172_800_000,
      verify: 'size',
      keepLocal: false,
      parallel: 4,
      dryRun: false,
      insecure: false,
      timeoutMs: 30_000,
    });
    expect(s.layout.template).toBe('{yyyy}/{mm}/{queue}/{file}');
  });

  it('flags win over the model', () => {
    const s = resolveSettings(
      { source: 'rec', url: 'ftp://127.0.0.1:2121/', user: 'u', password: '${secret:FTP}', layout: '{file}', olderThan: '90s', verify: 'hash', keepLocal: true, parallel: 8, journal: 'j.log', timeout: '5s' },
      recording,
      '/work',
    );
    expect(s).toMatchObject({ source: '/work/rec', journal: '/work/j.log', destination: 'ftp://127.0.0.1:2121/', port: 2121, secure: false, root: '/', user: 'u', passwordRef: { source: 'secret', name: 'FTP' }, olderThanMs: 90_000, verify: 'hash', keepLocal: true, parallel: 8, timeoutMs: 5000 });
  });

  it('take the CA from the model, a flag winning', () => {
    const withCa = { ...recording, archive: { ...recording.archive!, ca: '/etc/ssl/archive-ca.pem' } };
    expect(resolveSettings({}, withCa, '/').ca).toBe('/etc/ssl/archive-ca.pem');
    expect(resolveSettings({ ca: 'mine.pem' }, withCa, '/tmp').ca).toBe('/tmp/mine.pem');
    expect(() => resolveSettings({ url: 'ftp://h/' }, withCa, '/')).toThrow('recording.archive.ca only applies to ftps://');
  });

  it('need no project when the flags say everything; the user may be in the URL', () => {
    const s = resolveSettings({ source: '/r', url: 'ftps://rec%40cc@[::1]:990/a%20b/', password: '${env:P}' }, undefined, '/');
    expect(s).toMatchObject({ host: '::1', port: 990, user: 'rec@cc', root: '/a b', destination: 'ftps://[::1]:990/a b', olderThanMs: 7_200_000, verify: 'size' });
  });

  it.each([
    [{ url: 'ftp://h/' }, undefined, /no recordings folder/],
    [{ source: '/r' }, undefined, /no destination: give --url/],
    [{ source: '/r' }, { ...recording, archive: undefined }, /no recording\.archive\.url/],
    [{ source: '/r', url: 'sftp://h/x', user: 'u' }, undefined, /only ftp:\/\/ and ftps:\/\//],
    [{ source: '/r', url: 'ftp://u:hunter2@h/x' }, undefined, /the URL holds a password: never write it there/],
    [{ source: '/r', url: 'ftp://h/x' }, undefined, /no user name/],
    [{ source: '/r', url: 'ftp://h/x', user: 'u', password: 'hunter2' }, undefined, /never the password itself/],
    [{ source: '/r', url: 'ftp://h/x', user: 'u', layout: '{yyyy}' }, undefined, /--layout: layout "\{yyyy\}" must end with/],
    [{ source: '/r', url: 'ftp://h/x', user: 'u', olderThan: '2 hours' }, undefined, /--older-than 2 hours: give a duration/],
    [{ source: '/r', url: 'ftp://h/x', user: 'u', parallel: 0 }, undefined, /--parallel 0: give 1 to 32/],
    [{ source: '/r', url: 'ftp://h/x', user: 'u', insecure: true }, undefined, /--insecure only applies to ftps/],
    [{ source: '/r', url: 'ftp://h/x', user: 'u', ca: 'ca.pem' }, undefined, /--ca only applies to ftps/],
  ])('refuses %j', (flags, rec, message) => {
    expect(() => resolveSettings(flags, rec as Recording | undefined, '/')).toThrow(SettingsError);
    expect(() => resolveSettings(flags, rec as Recording | undefined, '/')).toThrow(message);
  });

  it('the error for a password in the URL never repeats it', () => {
    try {
      resolveSettings({ source: '/r', url: 'ftp://u:hunter2@h/x' }, undefined, '/');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });

  it('reads the password from where the reference says, and names a missing one without a value', () => {
    const s = resolveSettings({}, recording, '/');
    expect(resolvePassword(s, secretValues({ ARCHIVE_FTP_PASSWORD: 'Zx9!long-enough-pw' }))).toBe('Zx9!long-enough-pw');
    expect(() => resolvePassword(s, secretValues({}))).toThrow('the archive password ${env:ARCHIVE_FTP_PASSWORD} is not set: set the environment variable ARCHIVE_FTP_PASSWORD');
    const noPassword = resolveSettings({ source: '/r', url: 'ftp://h/', user: 'u' }, undefined, '/');
    expect(() => resolvePassword(noPassword, secretValues({}))).toThrow(/no password/);
  });

  it('durations', () => {
    expect(parseDurationFlag('0', 'x')).toBe(0);
    expect(parseDurationFlag('90s', 'x')).toBe(90_000);
    expect(parseDurationFlag('2d', 'x')).toBe(172_800_000);
    expect(() => parseDurationFlag('5', 'x')).toThrow(/give a duration/);
  });
});

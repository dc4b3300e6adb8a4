import { FTPError } from 'basic-ftp';
import { describe, expect, it } from 'vitest';
import { ArchiveError, classify, fatalForRun, retryable } from '../../../src/recordings/archive/errors.js';

const where = { server: 'archive.example.com:21', user: 'rec', passwordFrom: '${env:ARCHIVE_PASSWORD}', file: '20260301-070000_sales_1001_1.1.wav', remote: '/a/2026/03/01/sales/20260301-070000_sales_1001_1.1.wav' };
const ftp = (code: number, message: string) => new FTPError({ code, message: `${code} ${message}` });
const sys = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('failures in words', () => {
  it.each([
    [ftp(530, 'Login authentication failed'), 'auth', /refused the login of user "rec"/, /password in \$\{env:ARCHIVE_PASSWORD\}/],
    [ftp(552, 'Disk full - please upload later'), 'full', /20260301-070000_sales_1001_1\.1\.wav: archive\.example\.com:21 has no space left for \/a\/2026/, /Free space on the archive server/],
    [ftp(452, 'Quota exceeded'), 'full', /no space left/, /quota/],
    [ftp(553, "Can't open that file: Permission denied"), 'permission', /refused to write \/a\/2026/, /write access/],
    [ftp(550, "Can't create directory: Permission denied"), 'permission', /refused to write/, /write access/],
    [ftp(421, 'Too many connections'), 'connection', /closed the connection/, /--parallel/],
    [ftp(425, 'Unable to identify the local data socket: Address already in use'), 'connection', /could not complete a transfer of \/a\/2026.*\(425 Unable/, /passive port range/],
    [ftp(550, 'Something odd'), 'server', /refused an operation on \/a\/2026/, /Run the archive again/],
    [sys('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:21 (control socket)'), 'unreachable', /cannot reach archive\.example\.com:21: connect ECONNREFUSED 127\.0\.0\.1:21$/, /host and port/],
    [sys('ENOTFOUND', 'getaddrinfo ENOTFOUND nowhere.example'), 'unreachable', /cannot reach/, /host and port/],
    [sys('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), 'tls', /TLS failed: unable to verify the first certificate/, /--ca FILE/],
    [sys('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), 'tls', /TLS failed/, /host name/],
    [sys('ECONNRESET', 'read ECONNRESET'), 'connection', /lost the connection to archive\.example\.com:21/, /Run the archive again/],
    [new Error('Server sent FIN packet unexpectedly, closing connection.'), 'connection', /lost the connection/, /partial remote file is replaced/],
    [new Error('Timeout (data socket)'), 'connection', /lost the connection.*Timeout$/, /Run the archive again/],
    [sys('EACCES', "EACCES: permission denied, unlink '/x'"), 'local', /EACCES/, /asterisk user/],
    [new ArchiveError('verify', 'sizes differ', 'run again'), 'verify', /^sizes differ$/, /^run again$/],
  ] as const)('%s → %s', (error, kind, message, hint) => {
    const f = classify(error, where);
    expect(f.kind).toBe(kind);
    expect(f.message).toMatch(message);
    expect(f.hint).toMatch(hint);
    expect(JSON.stringify(f)).not.toMatch(/\n\s+at /); // no stack
  });

  it('a timeout while connecting is an unreachable server; AUTH TLS refused is a TLS failure', () => {
    expect(classify(new Error('Timeout (control socket)'), { ...where, connecting: true }).kind).toBe('unreachable');
    expect(classify(ftp(500, 'AUTH TLS not understood'), { ...where, connecting: true })).toMatchObject({ kind: 'tls', message: /does not offer explicit TLS/ });
  });

  it('a refused data connection is retried on the same connection', () => {
    expect(classify(ftp(425, "Can't open data connection"), where).keepConnection).toBe(true);
    expect(classify(sys('ECONNRESET', 'read ECONNRESET'), where).keepConnection).toBeUndefined();
  });

  it('which failures are retried, and which end the run', () => {
    expect(retryable({ kind: 'connection', message: '', hint: '' })).toBe(true);
    expect(retryable({ kind: 'permission', message: '', hint: '' })).toBe(false);
    expect(['auth', 'unreachable', 'tls', 'full'].every((kind) => fatalForRun({ kind: kind as never, message: '', hint: '' }))).toBe(true);
    expect(fatalForRun({ kind: 'permission', message: '', hint: '' })).toBe(false);
  });
});

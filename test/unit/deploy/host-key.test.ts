import { createHmac, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprint, keyType, verifyHostKey } from '../../../src/deploy/host-key.js';

/** An ed25519 public key as the SSH wire format (the blob known_hosts holds in base64). */
function blob(): Buffer {
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b]);
  return Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)]);
}

const dir = mkdtempSync(`${tmpdir()}/callplan-hostkey-`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('host key verification', () => {
  const key = blob();
  const other = blob();
  const line = (name: string, k = key) => `${name} ssh-ed25519 ${k.toString('base64')}\n`;

  it('prints the fingerprint ssh-keygen -lf prints', () => {
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', `${dir}/k`]);
    const [, b64] = readFileSync(`${dir}/k.pub`, 'utf8').split(' ');
    const expected = execFileSync('ssh-keygen', ['-lf', `${dir}/k.pub`], { encoding: 'utf8' }).split(' ')[1];
    expect(fingerprint(Buffer.from(b64!, 'base64'))).toBe(expected);
    expect(keyType(key)).toBe('ssh-ed25519');
  });

  it('accepts the pinned key only, whatever known_hosts says', () => {
    expect(verifyHostKey({ host: 'pbx', port: 22, key, pinned: fingerprint(key) })).toMatchObject({ ok: true, by: 'pin' });
    const v = verifyHostKey({ host: 'pbx', port: 22, key: other, pinned: fingerprint(key), knownHosts: line('pbx', other) });
    expect(v).toMatchObject({ ok: false, reason: 'changed' });
    if (!v.ok) expect(v.message).toBe(`host key of pbx:22 is ${fingerprint(other)}, not the ${fingerprint(key)} pinned in the model (ssh.host_key)`);
  });

  it('finds the host in known_hosts by name, [name]:port, a list or a hashed name', () => {
    expect(verifyHostKey({ host: 'pbx', port: 22, key, knownHosts: line('other,pbx') })).toMatchObject({ ok: true, by: 'known_hosts' });
    expect(verifyHostKey({ host: '127.0.0.1', port: 2222, key, knownHosts: line('[127.0.0.1]:2222') }).ok).toBe(true);
    expect(verifyHostKey({ host: '127.0.0.1', port: 2222, key, knownHosts: line('127.0.0.1') }).ok).toBe(false);
    const salt = Buffer.from('0123456789abcdefghij');
    const hashed = `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update('pbx.example.com').digest('base64')}`;
    expect(verifyHostKey({ host: 'pbx.example.com', port: 22, key, knownHosts: `# comment\n${line(hashed)}` }).ok).toBe(true);
  });

  it('tells an unknown host from a changed key, and refuses revoked keys', () => {
    const unknown = verifyHostKey({ host: 'pbx', port: 22, key, knownHosts: line('elsewhere'), knownHostsFile: '/home/ci/.ssh/known_hosts' });
    expect(unknown).toMatchObject({ ok: false, reason: 'unknown' });
    if (!unknown.ok) expect(unknown.hint).toContain(`ssh.host_key: "${fingerprint(key)}"`);
    expect(verifyHostKey({ host: 'pbx', port: 22, key, knownHosts: line('pbx', other) })).toMatchObject({ ok: false, reason: 'changed' });
    expect(verifyHostKey({ host: 'pbx', port: 22, key, knownHosts: `@revoked ${line('pbx')}${line('pbx')}` })).toMatchObject({ ok: false, reason: 'revoked' });
  });
});

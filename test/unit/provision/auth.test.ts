import { describe, expect, it } from 'vitest';
import { authenticate, claimedMac, parseBasic } from '../../../src/provision/auth.js';

const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const passwordOf = (mac: string) => `pw-${mac}`;
const known = new Set(['000413A1B2C3']);
const isKnown = (mac: string) => known.has(mac);

describe('parseBasic', () => {
  it('reads user name and password (the password may hold colons)', () => {
    expect(parseBasic(basic('000413A1B2C3', 'a:b'))).toEqual({ username: '000413A1B2C3', password: 'a:b' });
    expect(parseBasic(`basic  ${Buffer.from('u:p').toString('base64')}`)).toEqual({ username: 'u', password: 'p' });
  });

  it.each([undefined, '', 'Bearer abc', 'Basic', 'Basic !!!', `Basic ${Buffer.from('nocolon').toString('base64')}`, `Digest username="x"`])('no credentials in %j', (header) => {
    expect(parseBasic(header)).toBeUndefined();
  });
});

describe('authenticate', () => {
  it('proves the MAC of a known phone with its own password, whatever the case of the user name', () => {
    expect(authenticate(parseBasic(basic('000413A1B2C3', 'pw-000413A1B2C3')), passwordOf, isKnown)).toBe('000413A1B2C3');
    expect(authenticate(parseBasic(basic('000413a1b2c3', 'pw-000413A1B2C3')), passwordOf, isKnown)).toBe('000413A1B2C3');
  });

  it('proves nothing for a wrong password, an unknown MAC (even with its derived password), no MAC, or no credentials', () => {
    expect(authenticate(parseBasic(basic('000413A1B2C3', 'pw-000413A1B2C4')), passwordOf, isKnown)).toBeUndefined();
    expect(authenticate(parseBasic(basic('000413A1B2C4', 'pw-000413A1B2C4')), passwordOf, isKnown)).toBeUndefined();
    expect(authenticate(parseBasic(basic('admin', 'pw-000000000000')), passwordOf, isKnown)).toBeUndefined();
    expect(authenticate(undefined, passwordOf, isKnown)).toBeUndefined();
  });

  it('takes the same steps for a wrong password and an unknown MAC: one password derived, one lookup', () => {
    const calls = (user: string, pass: string) => {
      const seen: string[] = [];
      authenticate(
        parseBasic(basic(user, pass)),
        (m) => (seen.push(`derive ${m}`), passwordOf(m)),
        (m) => (seen.push(`lookup ${m}`), isKnown(m)),
      );
      return seen.map((s) => s.split(' ')[0]);
    };
    expect(calls('000413A1B2C3', 'wrong')).toEqual(['derive', 'lookup']);
    expect(calls('000413FFFFFF', 'wrong')).toEqual(['derive', 'lookup']);
    expect(calls('not-a-mac', 'wrong')).toEqual(['derive', 'lookup']);
  });

  it('claimedMac names a MAC-shaped user name only', () => {
    expect(claimedMac(parseBasic(basic('000413a1b2c3', 'x')))).toBe('000413A1B2C3');
    expect(claimedMac(parseBasic(basic('admin', 'x')))).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { clientAddress, plainAddress, trustedProxies } from '../../../src/provision/client-ip.js';

describe('clientAddress', () => {
  const none = trustedProxies([]);
  const proxy = trustedProxies(['127.0.0.1', '10.1.0.0/16']);

  it('ignores X-Forwarded-For by default: anyone can send it', () => {
    expect(clientAddress('192.0.2.7', '10.9.9.9', none)).toBe('192.0.2.7');
  });

  it('ignores it from a peer that is not a trusted proxy', () => {
    expect(clientAddress('192.0.2.7', '10.9.9.9', proxy)).toBe('192.0.2.7');
  });

  it('believes a trusted proxy: the rightmost address that is not a trusted proxy itself', () => {
    expect(clientAddress('127.0.0.1', '10.20.30.40', proxy)).toBe('10.20.30.40');
    expect(clientAddress('127.0.0.1', '6.6.6.6, 10.20.30.40, 10.1.2.3', proxy)).toBe('10.20.30.40');
    expect(clientAddress('::ffff:127.0.0.1', '10.20.30.40', proxy)).toBe('10.20.30.40');
  });

  it('stops at a malformed hop, and takes the leftmost when every hop is trusted', () => {
    expect(clientAddress('127.0.0.1', '10.20.30.40, garbage', proxy)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '10.1.0.1, 10.1.0.2', proxy)).toBe('10.1.0.1');
    expect(clientAddress('127.0.0.1', undefined, proxy)).toBe('127.0.0.1');
  });

  it('reads IPv6 ranges and refuses what is no address or range', () => {
    expect(trustedProxies(['fd00::/8']).has('fd12::1')).toBe(true);
    expect(plainAddress('::ffff:10.0.0.1')).toBe('10.0.0.1');
    for (const bad of ['proxy.example', '10.0.0.0/33', '10.0.0.1/', '1.2.3.4/8/9', '']) expect(() => trustedProxies([bad])).toThrow(/not an IP address/);
  });
});

import { BlockList, isIP } from 'node:net';

/**
 * The client a request comes from. Behind a reverse proxy every connection comes from the proxy,
 * so X-Forwarded-For names the client; but anyone can send that header, so it is believed only
 * from the proxies listed as trusted (none by default), hop by hop from the right.
 */
export interface TrustedProxies {
  has(address: string): boolean;
  readonly empty: boolean;
}

/** `10.0.0.5`, `10.0.0.0/8`, `::1`, `fd00::/8`; throws on anything else. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  const list = new BlockList();
  for (const entry of entries) {
    const m = /^([^/\s]+)(?:\/(\d{1,3}))?$/.exec(entry.trim());
    const family = m ? isIP(m[1]!) : 0;
    const prefix = m?.[2] === undefined ? undefined : Number(m[2]);
    if (!m || family === 0 || (prefix !== undefined && prefix > (family === 4 ? 32 : 128))) throw new Error(`not an IP address or CIDR range: ${entry}`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefix === undefined) list.addAddress(m[1]!, type);
    else list.addSubnet(m[1]!, prefix, type);
  }
  return {
    empty: entries.length === 0,
    has(address) {
      const a = plainAddress(address);
      const family = isIP(a);
      return family !== 0 && list.check(a, family === 4 ? 'ipv4' : 'ipv6');
    },
  };
}

/** `::ffff:192.0.2.1` (an IPv4 client on a dual-stack socket) → `192.0.2.1`. */
export function plainAddress(address: string): string {
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return m ? m[1]! : address;
}

/**
 * The peer when it is no trusted proxy; otherwise the rightmost X-Forwarded-For address that is
 * not a trusted proxy itself (the leftmost when all are). A malformed entry stops the walk: the
 * hop that wrote it is the client as far as anyone can tell.
 */
export function clientAddress(peer: string, forwardedFor: string | undefined, trusted: TrustedProxies): string {
  let client = plainAddress(peer);
  if (trusted.empty || forwardedFor === undefined || !trusted.has(client)) return client;
  const hops = forwardedFor.split(',').map((h) => h.trim());
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!);
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!trusted.has(hop)) return client;
  }
  return client;
}

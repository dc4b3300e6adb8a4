import { createHash, createHmac } from 'node:crypto';

/**
 * Host key checks, pure: a key the server shows is accepted only when it is the key pinned in the
 * model (its SHA-256 fingerprint, as `ssh-keygen -lf` prints it) or, without a pin, a key the
 * known_hosts file lists for that host. Anything else refuses the connection before a single
 * command is sent.
 */

/** `SHA256:` and the unpadded base64 of the SHA-256 of the key blob, as ssh-keygen prints it. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyType(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return '';
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

export interface KnownHost {
  /** The host patterns of the line (`name`, `[name]:port`, `|1|salt|hash`), comma-separated in the file. */
  patterns: string[];
  type: string;
  key: Buffer;
  marker?: '@revoked' | '@cert-authority';
}

export function parseKnownHosts(text: string): KnownHost[] {
  const out: KnownHost[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHost['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift() as KnownHost['marker'];
    const [hosts, type, key] = fields;
    if (!hosts || !type || !key) continue;
    out.push({ patterns: hosts.split(','), type, key: Buffer.from(key, 'base64'), ...(marker && { marker }) });
  }
  return out;
}

/** How known_hosts names a host: `name` on port 22, `[name]:port` otherwise. */
export function knownHostName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function matches(pattern: string, name: string): boolean {
  if (pattern.startsWith('|1|')) {
    const [, , salt, hash] = pattern.split('|');
    if (!salt || !hash) return false;
    return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
  }
  if (pattern.startsWith('!')) return false;
  if (pattern.includes('*') || pattern.includes('?')) {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`, 'i');
    return re.test(name);
  }
  return pattern.toLowerCase() === name.toLowerCase();
}

export type HostKeyVerdict =
  | { ok: true; fingerprint: string; by: 'pin' | 'known_hosts' }
  | { ok: false; fingerprint: string; reason: 'changed' | 'unknown' | 'revoked'; message: string; hint: string };

/**
 * The verdict on the key a server showed. With a pin, only the pin counts. Without one, a
 * known_hosts line for the host with the same key type and another key means the key changed
 * (someone in the middle, or a reinstalled host): refused like an unknown key, but said apart.
 */
export function verifyHostKey(o: { host: string; port: number; key: Buffer; pinned?: string; knownHosts?: string; knownHostsFile?: string }): HostKeyVerdict {
  const fp = fingerprint(o.key);
  const where = `${o.host}:${o.port}`;
  if (o.pinned !== undefined) {
    if (fp === o.pinned) return { ok: true, fingerprint: fp, by: 'pin' };
    return {
      ok: false,
      fingerprint: fp,
      reason: 'changed',
      message: `host key of ${where} is ${fp}, not the ${o.pinned} pinned in the model (ssh.host_key)`,
      hint: 'If the host was reinstalled, check the new key out of band (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the host) and update ssh.host_key; otherwise someone may be in the middle.',
    };
  }
  const name = knownHostName(o.host, o.port);
  const lines = parseKnownHosts(o.knownHosts ?? '').filter((l) => l.marker !== '@cert-authority' && l.patterns.some((p) => matches(p, name)));
  if (lines.some((l) => l.marker === '@revoked' && l.key.equals(o.key))) {
    return { ok: false, fingerprint: fp, reason: 'revoked', message: `host key ${fp} of ${where} is marked @revoked in ${o.knownHostsFile ?? 'known_hosts'}`, hint: 'Do not deploy to this host until its key is replaced.' };
  }
  if (lines.some((l) => !l.marker && l.key.equals(o.key))) return { ok: true, fingerprint: fp, by: 'known_hosts' };
  const type = keyType(o.key);
  if (lines.some((l) => !l.marker && l.type === type)) {
    return {
      ok: false,
      fingerprint: fp,
      reason: 'changed',
      message: `host key of ${where} changed: it shows ${fp}, ${o.knownHostsFile ?? 'known_hosts'} has another ${type} key for ${name}`,
      hint: 'Check the new key out of band before replacing the known_hosts line; otherwise someone may be in the middle.',
    };
  }
  return {
    ok: false,
    fingerprint: fp,
    reason: 'unknown',
    message: `host key of ${where} (${fp}) is unknown: no pin in the model and no line for ${name} in ${o.knownHostsFile ?? 'known_hosts'}`,
    hint: `Pin it in the model (nodes.<name>.ssh.host_key: "${fp}") after checking it on the host with ssh-keygen -lf, or add the host to known_hosts (--known-hosts FILE).`,
  };
}

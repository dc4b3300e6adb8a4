import * as net from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * A minimal Asterisk Manager client for what `provision resync` asks: log in, run an action (or a
 * list action whose events end with `EventList: Complete`), log off. Messages are `Key: Value`
 * lines ending in a blank line; responses and list events carry the ActionID they answer.
 * Unsolicited events (none arrive for a user without read classes) go to `onEvent` (the dialer's
 * event stream), or are ignored; so do events with the ActionID of an action already answered
 * (an async Originate's OriginateResponse).
 */
export type AmiMessage = Record<string, string>;

/** Asterisk could not be reached, refused the login, or did not answer in time. */
export class AmiError extends Error {}

/** Asterisk answered and refused the user or secret: trying again will not help. */
export class AmiLoginRefused extends AmiError {}

export interface Ami {
  action(fields: AmiMessage): Promise<AmiMessage>;
  list(fields: AmiMessage): Promise<{ response: AmiMessage; events: AmiMessage[] }>;
  close(): Promise<void>;
}

interface Pending {
  events: AmiMessage[];
  response?: AmiMessage;
  list: boolean;
  resolve(v: { response: AmiMessage; events: AmiMessage[] }): void;
  reject(e: Error): void;
  timer: NodeJS.Timeout;
}

export function parseMessage(block: string): AmiMessage {
  const out: AmiMessage = {};
  for (const line of block.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon);
    // Repeated keys (rare in what we read) keep the first.
    if (!(key in out)) out[key] = line.slice(colon + 1).trim();
  }
  return out;
}

export function formatAction(fields: AmiMessage): string {
  for (const [k, v] of Object.entries(fields)) {
    if (/[\r\n]/.test(k + v) || !/^[A-Za-z][\w-]*$/.test(k)) throw new Error(`AMI field ${JSON.stringify(k)} cannot be sent`);
  }
  return `${Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n`;
}

export interface AmiOptions {
  host: string;
  port: number;
  username: string;
  secret: string;
  timeoutMs: number;
  /** Every event not part of a list action's answer, in arrival order. */
  onEvent?: (event: AmiMessage) => void;
  /** The connection ended (not by close()): the error says why. */
  onClose?: (error: Error) => void;
  /** An open connection to the manager (deploy's SSH tunnel) instead of connecting to host:port. */
  socket?: Duplex;
}

export async function connectAmi(o: AmiOptions): Promise<Ami> {
  const socket = o.socket ?? net.connect({ host: o.host, port: o.port });
  socket.setEncoding('utf8');
  const pending = new Map<string, Pending>();
  let buffer = '';
  let banner = false;
  let nextId = 1;
  let failure: Error | undefined;

  let closing = false;
  let loggedIn = false;
  const fail = (e: Error) => {
    if (failure === undefined && loggedIn && !closing) o.onClose?.(e);
    failure ??= e;
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(failure);
    }
    pending.clear();
  };

  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AmiError(`no answer from Asterisk's manager at ${o.host}:${o.port} within ${o.timeoutMs} ms`)), o.timeoutMs);
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new AmiError(`cannot reach Asterisk's manager at ${o.host}:${o.port}: ${e.code ?? e.message}`));
    });
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (!banner) {
        const end = buffer.indexOf('\r\n');
        if (end < 0) return;
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!line.startsWith('Asterisk Call Manager')) {
          clearTimeout(timer);
          reject(new AmiError(`${o.host}:${o.port} is not Asterisk's manager (it said ${JSON.stringify(line.slice(0, 60))})`));
          return;
        }
        banner = true;
        clearTimeout(timer);
        resolve();
      }
      let end: number;
      while ((end = buffer.indexOf('\r\n\r\n')) >= 0) {
        const message = parseMessage(buffer.slice(0, end));
        buffer = buffer.slice(end + 4);
        const p = message.ActionID === undefined ? undefined : pending.get(message.ActionID);
        if (!p) {
          if (message.Event !== undefined) o.onEvent?.(message);
          continue;
        }
        if (message.Response !== undefined) {
          p.response = message;
          if (!p.list || message.Response !== 'Success' || message.EventList === undefined) finish(message.ActionID!, p);
        } else if (message.Event !== undefined) {
          if (message.EventList === 'Complete') finish(message.ActionID!, p);
          else p.events.push(message);
        }
      }
    });
  });
  socket.on('error', (e: NodeJS.ErrnoException) => fail(new AmiError(`Asterisk's manager connection failed: ${e.code ?? e.message}`)));
  socket.on('close', () => fail(new AmiError("Asterisk's manager closed the connection")));

  function finish(id: string, p: Pending) {
    clearTimeout(p.timer);
    pending.delete(id);
    p.resolve({ response: p.response!, events: p.events });
  }

  function send(fields: AmiMessage, list: boolean): Promise<{ response: AmiMessage; events: AmiMessage[] }> {
    if (failure) return Promise.reject(failure);
    // A caller's own ActionID (the dialer's attempt id) lets it match events that may arrive
    // before the response has been handed to it (an async Originate's OriginateResponse).
    const id = fields.ActionID ?? String(nextId++);
    if (pending.has(id)) return Promise.reject(new AmiError(`ActionID ${id} is already waiting for an answer`));
    const text = formatAction({ ...fields, ActionID: id });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new AmiError(`Asterisk's manager did not answer ${fields.Action} within ${o.timeoutMs} ms`));
      }, o.timeoutMs);
      pending.set(id, { events: [], list, resolve, reject, timer });
      socket.write(text);
    });
  }

  try {
    await ready;
    const login = await send({ Action: 'Login', Username: o.username, Secret: o.secret }, false);
    if (login.response.Response !== 'Success') throw new AmiLoginRefused(`Asterisk's manager refused the login of ${o.username}: ${login.response.Message ?? 'no reason given'}`);
    loggedIn = true;
  } catch (e) {
    socket.destroy();
    throw e instanceof AmiError ? e : new AmiError((e as Error).message);
  }

  return {
    action: async (fields) => (await send(fields, false)).response,
    list: (fields) => send(fields, true),
    close: async () => {
      closing = true;
      if (!failure) await send({ Action: 'Logoff' }, false).catch(() => undefined);
      socket.destroy();
    },
  };
}

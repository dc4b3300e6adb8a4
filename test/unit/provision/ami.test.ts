import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AmiError, connectAmi, formatAction, parseMessage } from '../../../src/provision/ami.js';

/** A stand-in for Asterisk's manager on a loopback port, answering as Asterisk 22 did in the e2e test. */
function fakeManager(o: { banner?: string; secret?: string } = {}) {
  const received: Record<string, string>[] = [];
  const server = net.createServer((socket) => {
    socket.write(`${o.banner ?? 'Asterisk Call Manager/11.0.0'}\r\n`);
    let buffer = '';
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let end: number;
      while ((end = buffer.indexOf('\r\n\r\n')) >= 0) {
        const m = parseMessage(buffer.slice(0, end));
        buffer = buffer.slice(end + 4);
        received.push(m);
        const id = `ActionID: ${m.ActionID}\r\n`;
        if (m.Action === 'Login') socket.write(m.Secret === (o.secret ?? 's3cret') ? `Response: Success\r\n${id}Message: Authentication accepted\r\n\r\n` : `Response: Error\r\n${id}Message: Authentication failed\r\n\r\n`);
        if (m.Action === 'PJSIPShowContacts') {
          // An unsolicited event in between must be ignored.
          socket.write('Event: FullyBooted\r\nStatus: Fully Booted\r\n\r\n');
          socket.write(`Response: Success\r\n${id}EventList: start\r\nMessage: A listing of Contacts follows\r\n\r\n`);
          socket.write(`Event: ContactList\r\n${id}ObjectName: 1001-x;@a1\r\nEndpoint: 1001-x\r\nUri: sip:1001-x@127.0.0.1:5070\r\n\r\nEvent: ContactListComplete\r\n${id}EventList: Complete\r\nListItems: 1\r\n\r\n`);
        }
        if (m.Action === 'PJSIPNotify') socket.write(`Response: Success\r\n${id}Message: NOTIFY sent\r\n\r\n`);
        if (m.Action === 'Logoff') socket.end(`Response: Goodbye\r\n${id}Message: Thanks for all the fish.\r\n\r\n`);
      }
    });
  });
  return new Promise<{ port: number; received: typeof received; close(): Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ port: (server.address() as net.AddressInfo).port, received, close: () => new Promise((r) => server.close(() => r())) })),
  );
}

let closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers) await c();
  closers = [];
});

describe('AMI client', () => {
  it('logs in, reads a list to its end, runs an action, logs off', async () => {
    const m = await fakeManager();
    closers.push(m.close);
    const ami = await connectAmi({ host: '127.0.0.1', port: m.port, username: 'callplan-provision', secret: 's3cret', timeoutMs: 5000 });
    const list = await ami.list({ Action: 'PJSIPShowContacts' });
    expect(list.response).toMatchObject({ Response: 'Success', EventList: 'start' });
    expect(list.events).toEqual([{ Event: 'ContactList', ActionID: '2', ObjectName: '1001-x;@a1', Endpoint: '1001-x', Uri: 'sip:1001-x@127.0.0.1:5070' }]);
    expect(await ami.action({ Action: 'PJSIPNotify', Endpoint: '1001-x', Option: 'check-sync' })).toMatchObject({ Response: 'Success', Message: 'NOTIFY sent' });
    await ami.close();
    expect(m.received.map((r) => r.Action)).toEqual(['Login', 'PJSIPShowContacts', 'PJSIPNotify', 'Logoff']);
    expect(m.received[0]).toEqual({ Action: 'Login', Username: 'callplan-provision', Secret: 's3cret', ActionID: '1' });
  });

  it('fails with an AmiError for a refused login, nothing listening, or something else listening', async () => {
    const m = await fakeManager();
    closers.push(m.close);
    await expect(connectAmi({ host: '127.0.0.1', port: m.port, username: 'u', secret: 'wrong', timeoutMs: 5000 })).rejects.toThrow(/refused the login of u: Authentication failed/);
    const free = await new Promise<number>((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    await expect(connectAmi({ host: '127.0.0.1', port: free, username: 'u', secret: 's', timeoutMs: 5000 })).rejects.toThrow(AmiError);
    const http = await fakeManager({ banner: 'HTTP/1.1 400 Bad Request' });
    closers.push(http.close);
    await expect(connectAmi({ host: '127.0.0.1', port: http.port, username: 'u', secret: 's', timeoutMs: 5000 })).rejects.toThrow(/is not Asterisk's manager/);
  });

  it('refuses to send a field that would inject lines', () => {
    expect(formatAction({ Action: 'PJSIPNotify', Endpoint: '1001-x' })).toBe('Action: PJSIPNotify\r\nEndpoint: 1001-x\r\n\r\n');
    expect(() => formatAction({ Action: 'PJSIPNotify', Endpoint: 'x\r\nAction: Originate' })).toThrow(/cannot be sent/);
  });
});

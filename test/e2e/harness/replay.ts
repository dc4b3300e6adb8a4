import { closeSync, existsSync, mkdtempSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Asterisk } from './asterisk.js';
import { dtmfCapture } from './dtmf.js';
import { inDialogRequest, OK_WITH_SDP, register, SDP, uasAnswer, XML_HEAD } from './scenarios.js';
import { startSippUas, type SippResult, type SippUas } from './sipp.js';

/**
 * Replaying call-flow tests on a real Asterisk: a bank of phones (one SIPp registering many
 * devices), a caller that copes with every way a call can end, and the Asterisk log read as it
 * grows.
 */

const REGISTER_ALL = register({ user: '[field0]', auth: '[field1]', expiresSeconds: 3600 });

/** A phone that rings and never answers (until the caller or Asterisk cancels): uasAnswer ringing a whole day. */
export const UAS_NEVER_ANSWERS = uasAnswer({ ringMs: 24 * 3_600_000 });

export interface PhoneBank extends SippUas {
  /** The devices it registered. */
  readonly devices: readonly string[];
}

/**
 * One SIPp registering many devices (digest auth, each its own REGISTER) and taking the calls
 * Asterisk sends them: answering after `ringMs` (uasAnswer), or never ('never').
 */
export async function startPhoneBank(o: {
  devices: readonly { name: string; password: string }[];
  registrar: string;
  answer: { ringMs: number } | 'never';
}): Promise<PhoneBank> {
  const dir = mkdtempSync(path.join(tmpdir(), 'callplan-bank-'));
  const inf = path.join(dir, 'devices.csv');
  // SIPp expands no field inside [authentication ...]: the whole keyword is the second field.
  writeFileSync(inf, `SEQUENTIAL\n${o.devices.map((d) => `${d.name};[authentication username=${d.name} password=${d.password}]`).join('\n')}\n`);
  const ooc = path.join(dir, 'answer.xml');
  writeFileSync(ooc, o.answer === 'never' ? UAS_NEVER_ANSWERS : uasAnswer({ ringMs: o.answer.ringMs }));
  const n = o.devices.length;
  const uas = await startSippUas({
    scenario: REGISTER_ALL,
    target: o.registrar,
    calls: n,
    limit: n + 10,
    rate: 500,
    args: ['-inf', inf, '-oocsf', ooc],
  });
  return Object.assign(Object.create(uas) as SippUas, uas, { devices: o.devices.map((d) => d.name) }) as PhoneBank;
}

/** Waits until every device has a contact at `address` (ip:port) in Asterisk. */
export async function waitForContacts(ast: Asterisk, devices: readonly string[], address: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // `pjsip show contacts` cuts long URIs; the registrar's AstDB entries hold them whole.
    const out = await ast.rx('database show registrar/contact');
    const at = new Map([...out.matchAll(/^\/registrar\/contact\/([^;]+);.*"uri":"sip:[^"@]*@([\d.]+:\d+)/gm)].map((m) => [m[1]!, m[2]!]));
    const missing = devices.filter((d) => at.get(d) !== address);
    if (missing.length === 0) return;
    if (Date.now() > deadline) throw new Error(`devices not registered at ${address}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` and ${missing.length - 10} more` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Final failure responses a caller may get (SIPp matches response codes exactly). */
const FAILURES = [400, 403, 404, 405, 408, 410, 480, 481, 484, 486, 487, 488, 500, 501, 502, 503, 504, 600, 603, 604, 606];

export interface ReplayCallOptions {
  /** User part of From: a device (then `auth`), or the caller's number on a carrier's call. */
  from: string;
  /** Answer a digest challenge with the -au/-ap credentials. */
  auth?: boolean;
  /** Keys to press once answered, the first `firstKeyMs` after the ACK, then one every `gapMs`. */
  digits?: string;
  firstKeyMs?: number;
  gapMs?: number;
  /** Bound on waiting for the other side to hang up, default 60 s (the test hangs up through Asterisk). */
  awaitByeMs?: number;
}

/**
 * A caller for any outcome: it takes provisional responses, a final failure (ACKed; the call is
 * over) or the answer; once answered it presses the keys, re-answers re-INVITEs, and waits for
 * Asterisk to hang up (BYE, answered). Run with `-s <number>`.
 */
export function uacReplay(o: ReplayCallOptions): string {
  const from = o.from;
  const invite = (cseq: number, auth: boolean) => `  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: ${cseq} INVITE
      Contact: <sip:${from}@[local_ip]:[local_port]>
${auth ? '      [authentication]\n' : ''}      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${SDP}
    ]]>
  </send>
`;
  const ackFailure = (cseq: number) => `  <send>
    <![CDATA[
      ACK sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      CSeq: ${cseq} ACK
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
`;
  const cseq = o.auth ? 2 : 1;
  const start = o.auth
    ? `${invite(1, false)}  <recv response="100" optional="true"/>
  <recv response="401" auth="true" optional="true" next="challenged"/>
  <recv response="407" auth="true"/>
  <label id="challenged"/>
${ackFailure(1)}${invite(2, true)}`
    : invite(1, false);
  const ok = `  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
`;
  /** Waits `ms` (or for the BYE), re-answering re-INVITEs; each one starts the wait over. */
  const listen = (ms: number, id: string, then: string) => `  <label id="${id}"/>
  <recv request="INVITE" optional="true" timeout="${ms}" ontimeout="${then}" next="${id}-reinvite"/>
  <recv request="BYE" next="bye"/>
  <label id="${id}-reinvite"/>
${OK_WITH_SDP}  <recv request="ACK" next="${id}"/>
`;
  const keys = o.digits
    ? `${listen(o.firstKeyMs ?? 1_500, 'before-keys', 'keys')}  <label id="keys"/>
  <nop>
    <action>
      <exec play_pcap_audio="${dtmfCapture(o.digits, o.gapMs ?? 1_000)}"/>
    </action>
  </nop>
`
    : '';
  return `${XML_HEAD}<scenario name="replayed call">
${start}  <label id="progress"/>
  <recv response="100" optional="true" next="progress"/>
  <recv response="180" optional="true" next="progress"/>
  <recv response="183" optional="true" next="progress"/>
${FAILURES.map((c) => `  <recv response="${c}" optional="true" next="failed"/>\n`).join('')}  <recv response="200" rtd="true" rrs="true"/>
${inDialogRequest(from, 'ACK', cseq)}${keys}${listen(o.awaitByeMs ?? 60_000, 'connected', 'hang-up')}  <label id="bye"/>
${ok}  <nop next="end"/>
  <label id="hang-up"/>
${inDialogRequest(from, 'BYE', cseq + 1)}  <recv response="200" next="end"/>
  <label id="failed"/>
${ackFailure(cseq)}  <label id="end"/>
</scenario>
`;
}

/** What the caller went through, from its SIP messages. */
export function callerView(r: SippResult): { answered: boolean; failure?: number; byeFromAsterisk: boolean } {
  const received = r.messages.filter((m) => m.direction === 'received');
  const finals = received.filter((m) => m.status !== undefined && m.status >= 200 && m.status !== 401 && m.status !== 407);
  const first = finals[0];
  return {
    answered: first?.status === 200,
    ...(first && first.status !== 200 ? { failure: first.status } : {}),
    byeFromAsterisk: received.some((m) => m.method === 'BYE'),
  };
}

/**
 * Asterisk's full log read as it grows (from a byte offset, whole lines only), so a long test file
 * does not re-read megabytes on every poll.
 */
export class LogTail {
  private offset: number;
  private pending = Buffer.alloc(0);
  readonly lines: string[] = [];

  constructor(private readonly file: string) {
    this.offset = existsSync(file) ? statSync(file).size : 0;
  }

  /** Reads what was appended since; returns the new complete lines. */
  read(): string[] {
    const fd = openSync(this.file, 'r');
    const fresh: string[] = [];
    try {
      const chunk = Buffer.alloc(1 << 20);
      for (let n; (n = readSync(fd, chunk, 0, chunk.length, this.offset)) > 0; ) {
        this.offset += n;
        this.pending = Buffer.concat([this.pending, chunk.subarray(0, n)]);
      }
    } finally {
      closeSync(fd);
    }
    const end = this.pending.lastIndexOf(0x0a);
    if (end >= 0) {
      fresh.push(...this.pending.subarray(0, end).toString('utf8').split('\n'));
      this.pending = this.pending.subarray(end + 1);
      this.lines.push(...fresh);
    }
    return fresh;
  }
}

import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { inDialogRequest, OK_WITH_SDP, SDP, XML_HEAD } from './scenarios.js';

/**
 * SIPp callers that press keys: RFC 4733 telephone-events played from RTP captures with
 * `play_pcap_audio` (needs a raw socket: root or CAP_NET_RAW). SIPp ships one capture per key in
 * /usr/share/sip-tester/ (dtmf_2833_0..9, _star, _pound), each with one fixed RTP timestamp, so
 * the same capture played twice in a call is ignored the second time. `dtmfCapture` writes a
 * capture of a key sequence, each key with a later timestamp, for calls that press several keys.
 */

/** SIPp's capture of one key, e.g. dtmfKey('1') → /usr/share/sip-tester/dtmf_2833_1.pcap. */
export function dtmfKey(key: string): string {
  const name = key === '#' ? 'pound' : key === '*' ? 'star' : key;
  if (!/^(\d|pound|star)$/.test(name)) throw new Error(`no SIPp DTMF capture for key ${JSON.stringify(key)}`);
  return `/usr/share/sip-tester/dtmf_2833_${name}.pcap`;
}

export type CallStep =
  /** Play an RTP capture (pcap) to the other side; non-blocking, so follow it with a pause. */
  | { play: string }
  | { pauseMs: number };

export interface UacScriptOptions {
  /** User part of From, default "sipp". */
  from?: string;
  /** What the caller does once answered (after the ACK), in order. */
  steps: CallStep[];
  /**
   * How the call ends after the steps: 'bye' (the caller hangs up), or wait at most `awaitByeMs`
   * for the other side's BYE and answer it (no BYE in time fails the call).
   */
  end: 'bye' | { awaitByeMs: number };
}

/**
 * A pause that answers the re-INVITEs Asterisk sends meanwhile (a connected-line update when an
 * agent answers, for instance): each one is answered with 200 and SDP, and the pause starts over.
 */
function listen(ms: number, id: string): string {
  return `  <label id="${id}"/>
  <recv request="INVITE" timeout="${ms}" ontimeout="${id}-end"/>
${OK_WITH_SDP}  <recv request="ACK" next="${id}"/>
  <label id="${id}-end"/>
`;
}

/**
 * A caller that is answered, then follows a script (pauses, key presses), then hangs up or waits
 * to be hung up. Provisional responses may come in any order and number before the 200.
 * Run with `-s <number>`.
 */
export function uacScript(o: UacScriptOptions): string {
  const from = o.from ?? 'sipp';
  const inDialog = (method: string, cseq: number) => inDialogRequest(from, method, cseq);
  const steps = o.steps.map((s, i) => ('play' in s ? `  <nop>\n    <action>\n      <exec play_pcap_audio="${s.play}"/>\n    </action>\n  </nop>\n` : listen(s.pauseMs, `pause-${i}`))).join('');
  const end =
    o.end === 'bye'
      ? `${inDialog('BYE', 2)}  <recv response="200" crlf="true"/>\n`
      : `  <recv request="BYE" timeout="${o.end.awaitByeMs}"/>
  <send>
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
  return `${XML_HEAD}<scenario name="uac script">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:${from}@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${SDP}
    ]]>
  </send>
  <label id="provisional"/>
  <recv response="100" optional="true" next="provisional"/>
  <recv response="180" optional="true" next="provisional"/>
  <recv response="183" optional="true" next="provisional"/>
  <recv response="200" rtd="true" rrs="true"/>
${inDialog('ACK', 1)}${steps}${end}</scenario>
`;
}

/**
 * Writes a capture of RFC 4733 events for `keys` (0-9, *, #, A-D), one key every `gapMs` from
 * 100 ms on, each 140 ms long with its three end packets, consecutive sequence numbers and its own
 * timestamp (so Asterisk takes every key). Returns its path. Addresses and ports in it do not
 * matter: SIPp sends the RTP from its media port to the answer's media address.
 */
export function dtmfCapture(keys: string, gapMs = 1_000): string {
  const dir = `${tmpdir()}/callplan-e2e-dtmf`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/keys-${[...keys].map((k) => k.charCodeAt(0).toString(16)).join('')}-${gapMs}.pcap`;
  if (existsSync(file)) return file;
  const packets: { atMs: number; rtp: Buffer }[] = [];
  let seq = 1000;
  const ssrc = 0x43504450; // "CPDP"
  [...keys].forEach((key, i) => {
    const event = '0123456789*#ABCD'.indexOf(key.toUpperCase());
    if (event < 0) throw new Error(`not a DTMF key: ${JSON.stringify(key)}`);
    const start = 100 + i * gapMs;
    const timestamp = 8_000 + i * gapMs * 8; // 8 kHz clock, advancing with the key's start
    const packet = (duration: number, end: boolean, marker: boolean) => {
      const b = Buffer.alloc(16);
      b[0] = 0x80; // version 2
      b[1] = (marker ? 0x80 : 0) | 101;
      b.writeUInt16BE(seq++ & 0xffff, 2);
      b.writeUInt32BE(timestamp, 4);
      b.writeUInt32BE(ssrc, 8);
      b[12] = event;
      b[13] = (end ? 0x80 : 0) | 10; // volume -10 dBm0
      b.writeUInt16BE(duration, 14);
      return b;
    };
    for (let n = 0; n < 7; n++) packets.push({ atMs: start + n * 20, rtp: packet(n * 160, false, n === 0) });
    for (let n = 0; n < 3; n++) packets.push({ atMs: start + 140, rtp: packet(1_120, true, false) });
  });
  // Written aside, then renamed: a parallel test file may be reading the same capture.
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, pcap(packets));
  renameSync(partial, file);
  return file;
}

/** A classic pcap (Ethernet, IPv4, UDP 127.0.0.1:10000 → 127.0.0.1:20000) of RTP payloads. */
function pcap(packets: { atMs: number; rtp: Buffer }[]): Buffer {
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65_535, 16);
  header.writeUInt32LE(1, 20); // Ethernet
  const records = packets.map(({ atMs, rtp }) => {
    const udpLength = 8 + rtp.length;
    const ipLength = 20 + udpLength;
    const frame = Buffer.alloc(14 + ipLength);
    frame.writeUInt16BE(0x0800, 12);
    const ip = frame.subarray(14);
    ip[0] = 0x45;
    ip.writeUInt16BE(ipLength, 2);
    ip[8] = 64;
    ip[9] = 17;
    Buffer.from([127, 0, 0, 1]).copy(ip, 12);
    Buffer.from([127, 0, 0, 1]).copy(ip, 16);
    let sum = 0;
    for (let i = 0; i < 20; i += 2) sum += ip.readUInt16BE(i);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    ip.writeUInt16BE(~sum & 0xffff, 10);
    const udp = ip.subarray(20);
    udp.writeUInt16BE(10_000, 0);
    udp.writeUInt16BE(20_000, 2);
    udp.writeUInt16BE(udpLength, 4);
    rtp.copy(udp, 8);
    const record = Buffer.alloc(16);
    record.writeUInt32LE(1_700_000_000 + Math.floor(atMs / 1000), 0);
    record.writeUInt32LE((atMs % 1000) * 1000, 4);
    record.writeUInt32LE(frame.length, 8);
    record.writeUInt32LE(frame.length, 12);
    return Buffer.concat([record, frame]);
  });
  return Buffer.concat([header, ...records]);
}

import { SDP, XML_HEAD } from './scenarios.js';

/**
 * The dialer's callees behind a trunk, played by one SIPp UAS: what each call does is chosen by the
 * last digit of the number dialled, so one process serves a whole campaign list.
 *
 *   …0  a person: rings `ringMs`, answers, stays on until hung up (sends no audio: with AMD on,
 *       AMD gives up undecided, which the dialer treats as a person)
 *   …1  busy: 486
 *   …2  no answer: rings until cancelled
 *   …3  an answering machine: answers and plays SIPp's 7-second greeting (g711a.pcap, ~0.6 s of
 *       silence then speech), which AMD hears as a long greeting; needs root (raw socket)
 *   …4  a person who hangs up after `talkMs`
 */
export const CALLEE = { person: '0', busy: '1', noAnswer: '2', machine: '3', hangsUp: '4' } as const;

const GREETING = '/usr/share/sip-tester/g711a.pcap';

const RESPONSE_HEADERS = `      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>`;

export function calleeScenario(o: { ringMs?: number; talkMs?: number } = {}): string {
  const ringMs = o.ringMs ?? 300;
  const talkMs = o.talkMs ?? 2_000;
  const digit = (d: string, name: string) => `      <ereg regexp="INVITE sip:\\+?[0-9]*${d}@" search_in="msg" check_it="false" assign_to="${name}"/>\n`;
  const final = (code: string) => `  <send>
    <![CDATA[
      SIP/2.0 ${code}
${RESPONSE_HEADERS}
      Content-Length: 0
    ]]>
  </send>
`;
  return `${XML_HEAD}<scenario name="dialer callees">
  <recv request="INVITE" rrs="true">
    <action>
${digit(CALLEE.busy, 'busy')}${digit(CALLEE.noAnswer, 'noanswer')}${digit(CALLEE.machine, 'machine')}${digit(CALLEE.hangsUp, 'hangsup')}      <ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" assign_to="invite_cseq"/>
      <ereg regexp=".*" search_in="hdr" header="From:" assign_to="remote"/>
      <ereg regexp=".*" search_in="hdr" header="To:" assign_to="local"/>
      <ereg regexp="sip:[^>;]*" search_in="hdr" header="Contact:" assign_to="contact"/>
    </action>
  </recv>
  <send>
    <![CDATA[
      SIP/2.0 100 Trying
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <nop next="busy" test="busy"/>
${final('180 Ringing')}  <nop next="ringing" test="noanswer"/>
  <pause milliseconds="${ringMs}"/>
  <send retrans="500">
    <![CDATA[
      SIP/2.0 200 OK
${RESPONSE_HEADERS}
      [last_Record-Route:]
      Content-Type: application/sdp
      Content-Length: [len]

${SDP}
    ]]>
  </send>
  <recv request="ACK" crlf="true"/>
  <nop next="greeting" test="machine"/>
  <nop next="talk" test="hangsup"/>
  <nop next="wait-bye"/>
  <label id="greeting"/>
  <nop>
    <action>
      <exec play_pcap_audio="${GREETING}"/>
    </action>
  </nop>
  <nop next="wait-bye"/>
  <label id="talk"/>
  <recv request="BYE" timeout="${talkMs}" ontimeout="hang-up" next="bye-ok"/>
  <label id="hang-up"/>
  <send retrans="500">
    <![CDATA[
      BYE [$contact] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: [$local];tag=[pid]SIPpTag01[call_number]
      To: [$remote]
      Call-ID: [call_id]
      CSeq: 2 BYE
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" next="end"/>
  <label id="wait-bye"/>
  <recv request="BYE"/>
  <label id="bye-ok"/>
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
  <nop next="end"/>
  <label id="busy"/>
${final('486 Busy Here')}  <recv request="ACK" next="end"/>
  <label id="ringing"/>
  <recv request="CANCEL"/>
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
  <send>
    <![CDATA[
      SIP/2.0 487 Request Terminated
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      CSeq: [$invite_cseq] INVITE
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>
  <label id="end"/>
</scenario>
`;
}

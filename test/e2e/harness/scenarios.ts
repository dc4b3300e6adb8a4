/**
 * Small SIPp 3.6 scenarios for end-to-end tests, as XML strings for runSipp/startSippUas.
 * The UAC ones dial `[service]` (sipp -s) at the target; the answering ones answer whatever comes.
 * All of them keep Record-Route (rrs) and send in-dialog requests to the Contact, so they also work
 * through a proxy.
 */

export interface UacOptions {
  /** User part of From (Asterisk identifies the endpoint by it), default "sipp". */
  from?: string;
  /**
   * Expect a digest challenge (401 or 407) first and answer it with the -au/-ap credentials.
   * Without it, a challenge fails the call.
   */
  auth?: boolean;
  /** Extra header lines for the INVITE(s), without line breaks at the end. */
  headers?: string[];
}

export interface UacCallOptions extends UacOptions {
  /** How long to stay in the call after the ACK before sending BYE, default 500 ms. */
  holdMs?: number;
}

export const XML_HEAD = '<?xml version="1.0" encoding="ISO-8859-1" ?>\n<!DOCTYPE scenario SYSTEM "sipp.dtd">\n';

/** The SDP offer and answer of every scenario (PCMA, PCMU, telephone-event 101, as the SIPp captures are), indented for a CDATA block. */
export const SDP = `v=0
o=- 53655765 2353687637 IN IP[local_ip_type] [local_ip]
s=-
c=IN IP[media_ip_type] [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 8 0 101
a=rtpmap:8 PCMA/8000
a=rtpmap:0 PCMU/8000
a=rtpmap:101 telephone-event/8000
a=fmtp:101 0-16
a=sendrecv`.replace(/^/gm, '      ');

function invite(o: UacOptions, cseq: number, withAuth: boolean): string {
  const from = o.from ?? 'sipp';
  return `  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: ${cseq} INVITE
      Contact: <sip:${from}@[local_ip]:[local_port]>
${withAuth ? '      [authentication]\n' : ''}${(o.headers ?? []).map((h) => `      ${h}\n`).join('')}      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

${SDP}
    ]]>
  </send>
`;
}

/** ACK for a non-2xx final response: same transaction, so the Via (branch) of the response. */
const ACK_FAILURE = (cseq: number) => `  <send>
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

const PROVISIONAL = `  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
`;

/** INVITE, and when auth: the challenge, its ACK and the INVITE again with credentials. Returns [xml, cseq of the last INVITE]. */
function inviteMaybeAuth(o: UacOptions): [string, number] {
  if (!o.auth) return [invite(o, 1, false), 1];
  return [
    invite(o, 1, false) +
      `  <recv response="100" optional="true"/>
  <recv response="401" auth="true" optional="true" next="challenged"/>
  <recv response="407" auth="true"/>
  <label id="challenged"/>
` +
      ACK_FAILURE(1) +
      invite(o, 2, true),
    2,
  ];
}

/**
 * A call that must be answered: INVITE (answering a digest challenge when `auth`), 200, ACK,
 * hold, BYE, 200. Run with `-s <number>` and, for auth, `-au/-ap`.
 */
/** A request inside the dialog (BYE, ...) from `from`, following Record-Route. */
export function inDialogRequest(from: string, method: string, cseq: number): string {
  return `  <send${method === 'BYE' ? ' retrans="500"' : ''}>
    <![CDATA[
      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:${from}@[local_ip]:[local_port]>
      [routes]
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
`;
}

/** 200 OK with the SDP to a request just received (a re-INVITE), as a phone in a call answers it. */
export const OK_WITH_SDP = `  <send retrans="500">
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

${SDP}
    ]]>
  </send>
`;

/**
 * A call that is answered, held for holdMs and hung up. A re-INVITE during the hold (Asterisk
 * updating the connected line once a forwarded call is answered) is answered and the hold starts over.
 */
export function uacCall(o: UacCallOptions = {}): string {
  const [start, cseq] = inviteMaybeAuth(o);
  const from = o.from ?? 'sipp';
  const dialog = (method: string, n: number) => inDialogRequest(from, method, n);
  return `${XML_HEAD}<scenario name="uac call">
${start}${PROVISIONAL}  <recv response="200" rtd="true" rrs="true"/>
${dialog('ACK', cseq)}  <label id="hold"/>
  <recv request="INVITE" timeout="${o.holdMs ?? 500}" ontimeout="hang-up"/>
${OK_WITH_SDP}  <recv request="ACK" next="hold"/>
  <label id="hang-up"/>
${dialog('BYE', cseq + 1)}  <recv response="200" crlf="true"/>
</scenario>
`;
}

/**
 * A call that must fail with `code` (e.g. 401 without credentials, 403, 404, 486, 503): INVITE
 * (answering a challenge first when `auth`), provisional responses, `code`, ACK.
 */
export function uacExpectFailure(code: number, o: UacOptions = {}): string {
  const [start, cseq] = inviteMaybeAuth(o);
  return `${XML_HEAD}<scenario name="uac expects ${code}">
${start}${PROVISIONAL}  <recv response="${code}"/>
${ACK_FAILURE(cseq)}</scenario>
`;
}

export interface UacCancelOptions extends UacOptions {
  /** The provisional response to wait for before hanging up, default 180. */
  provisional?: 180 | 183;
  /** How long to let it ring after that response before the CANCEL, default 500 ms. */
  afterMs?: number;
}

/**
 * A caller who hangs up while it rings (an abandoned call): INVITE, 180 (or 183), wait, CANCEL,
 * 200 for the CANCEL, 487 for the INVITE, ACK.
 */
export function uacCancel(o: UacCancelOptions = {}): string {
  const [start, cseq] = inviteMaybeAuth(o);
  const from = o.from ?? 'sipp';
  return `${XML_HEAD}<scenario name="uac cancels">
${start}  <recv response="100" optional="true"/>
  <recv response="${o.provisional ?? 180}"/>
  <pause milliseconds="${o.afterMs ?? 500}"/>
  <send retrans="500">
    <![CDATA[
      CANCEL sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      [last_Via:]
      From: <sip:${from}@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: ${cseq} CANCEL
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>
  <recv response="487"/>
${ACK_FAILURE(cseq)}</scenario>
`;
}

export interface UasAnswerOptions {
  /** Ring (180) this long before answering, default 0. A CANCEL while ringing is answered (200, 487) and ends the call normally. */
  ringMs?: number;
}

const RESPONSE_HEADERS = `      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[local_ip]:[local_port];transport=[transport]>`;

/** Answers each INVITE: 100, 180, after ringMs 200 with SDP, ACK, then waits for the BYE and answers it. For agents and phones. */
export function uasAnswer(o: UasAnswerOptions = {}): string {
  const ringMs = o.ringMs ?? 0;
  const ring =
    ringMs > 0
      ? `  <recv request="CANCEL" timeout="${ringMs}" ontimeout="answer"/>
  <send>
    <![CDATA[
      SIP/2.0 200 OK
${RESPONSE_HEADERS}
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
  <recv request="ACK" next="end"/>
  <label id="answer"/>
`
      : '';
  return `${XML_HEAD}<scenario name="uas answer">
  <recv request="INVITE" rrs="true">${
    ringMs > 0
      ? `
    <action>
      <ereg regexp="[0-9]+" search_in="hdr" header="CSeq:" assign_to="invite_cseq"/>
    </action>
  </recv>`
      : '</recv>'
  }
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
  <send>
    <![CDATA[
      SIP/2.0 180 Ringing
${RESPONSE_HEADERS}
      Content-Length: 0
    ]]>
  </send>
${ring}  <send retrans="500">
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
  <recv request="BYE"/>
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
  <label id="end"/>
</scenario>
`;
}

/** Rejects each INVITE with `code` (e.g. 503 for a failing trunk, 486 busy) and takes the ACK. */
export function uasReject(code: number, reason = 'Rejected'): string {
  return `${XML_HEAD}<scenario name="uas rejects ${code}">
  <recv request="INVITE"/>
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
  <send>
    <![CDATA[
      SIP/2.0 ${code} ${reason}
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]SIPpTag01[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0
    ]]>
  </send>
  <recv request="ACK"/>
</scenario>
`;
}

/**
 * REGISTER with digest auth, then stay registered for `expiresSeconds`. `user` and `auth` are
 * SIPp keywords: `[service]` and `[authentication]` for one phone (sipp -s, -au/-ap), or
 * `[field0]` and `[field1]` for many devices from an injection file.
 */
export function register(o: { user: string; auth: string; expiresSeconds: number }): string {
  const request = (cseq: number, auth: boolean) => `  <send retrans="500">
    <![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:${o.user}@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:${o.user}@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: ${cseq} REGISTER
      Contact: <sip:${o.user}@[local_ip]:[local_port]>
${auth ? `      ${o.auth}\n` : ''}      Expires: ${o.expiresSeconds}
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
`;
  return `${XML_HEAD}<scenario name="register, then stay registered">
${request(1, false)}  <recv response="401" auth="true"/>
${request(2, true)}  <recv response="200"/>
  <pause milliseconds="${o.expiresSeconds * 1000}"/>
</scenario>
`;
}

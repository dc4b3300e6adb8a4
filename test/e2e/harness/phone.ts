import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { uasAnswer, type UasAnswerOptions } from './scenarios.js';
import { startSippUas, type SippUas } from './sipp.js';

/**
 * A SIP phone played by one SIPp process: it registers as a device (digest auth), then answers
 * the calls Asterisk sends to the contact it registered, through SIPp's out-of-call scenario
 * (-oocsf). One process, one socket: the registered contact is where calls really arrive, as
 * with a real phone behind rewrite_contact.
 */
export interface Phone extends SippUas {
  /** The device (SIP user name) it registered as. */
  readonly device: string;
}

const REGISTER = (expiresSeconds: number) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="register, then stay registered">
  <send retrans="500">
    <![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[service]@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 REGISTER
      Contact: <sip:[service]@[local_ip]:[local_port]>
      Expires: ${expiresSeconds}
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="401" auth="true"/>
  <send retrans="500">
    <![CDATA[
      REGISTER sip:[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: <sip:[service]@[remote_ip]:[remote_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 2 REGISTER
      Contact: <sip:[service]@[local_ip]:[local_port]>
      [authentication]
      Expires: ${expiresSeconds}
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200"/>
  <pause milliseconds="${expiresSeconds * 1000}"/>
</scenario>
`;

export async function startPhone(o: { device: string; password: string; registrar: string; answer?: UasAnswerOptions }): Promise<Phone> {
  const dir = mkdtempSync(path.join(tmpdir(), 'callplan-phone-'));
  const ooc = path.join(dir, 'answer.xml');
  writeFileSync(ooc, uasAnswer(o.answer ?? {}));
  const uas = await startSippUas({
    scenario: REGISTER(600),
    target: o.registrar,
    service: o.device,
    auth: { username: o.device, password: o.password },
    calls: 1,
    args: ['-oocsf', ooc],
  });
  return Object.assign(Object.create(uas) as SippUas, uas, { device: o.device }) as Phone;
}

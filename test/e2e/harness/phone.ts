import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { register, uasAnswer, type UasAnswerOptions } from './scenarios.js';
import { startSippUas, type SippUas } from './sipp.js';

/**
 * A SIP phone played by one SIPp process: it registers as a device (digest auth), then answers
 * the calls Asterisk sends to the contact it registered, through SIPp's out-of-call scenario
 * (-oocsf). One process, one socket: the registered contact is where calls really arrive, as
 * with a real phone behind rewrite_contact. startPhone resolves once the registration is accepted.
 */
export interface Phone extends SippUas {
  /** The device (SIP user name) it registered as. */
  readonly device: string;
}

export async function startPhone(o: { device: string; password: string; registrar: string; answer?: UasAnswerOptions }): Promise<Phone> {
  const dir = mkdtempSync(path.join(tmpdir(), 'callplan-phone-'));
  const ooc = path.join(dir, 'answer.xml');
  writeFileSync(ooc, uasAnswer(o.answer ?? {}));
  const uas = await startSippUas({
    scenario: register({ user: '[service]', auth: '[authentication]', expiresSeconds: 600 }),
    target: o.registrar,
    service: o.device,
    auth: { username: o.device, password: o.password },
    calls: 1,
    args: ['-oocsf', ooc],
  });
  // SIPp listens before its REGISTER is answered: a call placed meanwhile would find the
  // device unreachable (seen in deploy-calls: the first call went to voicemail).
  const cseq = (m: { text: string }) => /^CSeq:\s*\d+\s+REGISTER\s*$/im.test(m.text);
  const deadline = Date.now() + 10_000;
  while (!uas.messages().some((m) => m.direction === 'received' && m.status === 200 && cseq(m))) {
    if (Date.now() > deadline) {
      const flow = uas.messages().map((m) => `${m.direction === 'sent' ? '->' : '<-'} ${m.firstLine}`).join('\n');
      await uas.stop();
      throw new Error(`phone ${o.device} did not register at ${o.registrar} within 10 s:\n${flow || '(nothing sent or received)'}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return Object.assign(Object.create(uas) as SippUas, uas, { device: o.device }) as Phone;
}

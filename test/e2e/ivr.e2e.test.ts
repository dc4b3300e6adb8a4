import { describe, expect, it } from 'vitest';
import type { AsteriskContext } from './harness/asterisk.js';
import { executed, invitesTo, problemsWithOurFiles, startCallplanPbx } from './harness/callplan-pbx.js';
import { dtmfCapture, dtmfKey, uacScript, type CallStep } from './harness/dtmf.js';
import { perFile } from './harness/lifecycle.js';
import { runSipp, sippReport } from './harness/sipp.js';

/**
 * An IVR menu callplan builds, on a real Asterisk: a carrier (SIPp on 127.0.0.2) calls the DID,
 * the menu answers, and the caller presses keys as RFC 4733 events (SIPp's DTMF captures played
 * with play_pcap_audio). Agents are registered SIPp phones that answer.
 */
const TIMEOUT = 2;
const RETRIES = 1;

const PROJECT = ({ ports: p }: AsteriskContext) => `version: 1
name: e2e-ivr
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${p.sip}, ami_port: ${p.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  always-open:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: 127.0.0.2, addresses: [127.0.0.2] }
users:
  - { extension: "2001", name: Paula, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "2002", name: Ivan, site: always-open, devices: [{ type: softphone, name: desk }] }
queues:
  payments: { members: { primary: [user:2001] }, ring_timeout: 5 }
  identification: { members: { primary: [user:2002] }, ring_timeout: 5 }
ivr:
  main:
    prompt: beep                       # a stock sound of the chroot (~0.4 s)
    options:
      "1": queue:payments
      "2": queue:identification
    timeout: ${TIMEOUT}
    retries: ${RETRIES}
    on_timeout: announcement:goodbye
    on_invalid: hangup
announcements:
  goodbye: { prompt: vm-goodbye, then: hangup }
inbound:
  - name: hotline
    did: "+48221000100"
    open:
      - { site: always-open, to: ivr:main }
`;

const env = perFile(() => startCallplanPbx({ name: 'ivr', project: PROJECT, phones: { '2001': {}, '2002': {} }, requireModules: ['app_queue.so'] }));
const ast = () => env().ast;
const phone = (ext: string) => env().phones[ext]!;

/** The carrier calls the hotline; once answered the caller follows `steps`, then as `end` says. */
function carrierCall(steps: CallStep[], end: 'bye' | { awaitByeMs: number } = 'bye') {
  return runSipp({
    scenario: uacScript({ from: 'carrier', steps, end }),
    target: `127.0.0.1:${ast().ports.sip}`,
    service: '+48221000100',
    localIp: '127.0.0.2',
    timeoutMs: 20_000,
  });
}

/**
 * The menu answers (Asterisk's Answer waits up to 0.5 s for the caller's audio), waits 0.5 s, then
 * plays the prompt (~0.4 s) from ~1 s after the ACK and waits: a key 1.5 s after the ACK lands in
 * WaitExten (a key during the Wait before the prompt would be lost).
 */
const KEY_AFTER_ACK_MS = 1_500;

/** Presses `key` in the menu's WaitExten, stays 1.5 s, hangs up. */
const pressKey = (key: string): CallStep[] => [{ pauseMs: KEY_AFTER_ACK_MS }, { play: dtmfKey(key) }, { pauseMs: 1_500 }];

/**
 * What a phone received in its last call, as methods (INVITE, ACK, BYE or CANCEL ...), once it
 * ended (the caller's BYE reaches the agent a moment after the caller's own call is over).
 */
async function lastCall(ext: string): Promise<(string | undefined)[]> {
  const deadline = Date.now() + 3_000;
  for (;;) {
    const requests = phone(ext).received();
    const callId = requests.filter((m) => m.method === 'INVITE').at(-1)?.callId;
    const methods = requests.filter((m) => m.callId === callId).map((m) => m.method);
    if (methods.includes('BYE') || methods.includes('CANCEL') || Date.now() > deadline) return methods;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('an IVR menu from callplan on a real Asterisk', () => {
  it('key 1 puts the carrier\'s caller into queue payments, whose agent\'s phone rings and answers', async () => {
    const from = ast().log().length;
    const before = { paula: invitesTo(phone('2001')), ivan: invitesTo(phone('2002')) };
    const r = await carrierCall(pressKey('1'));
    expect(r.code, sippReport(r)).toBe(0);
    const log = ast().log().slice(from);
    const steps = executed(log);
    expect(log).toMatch(/DTMF end '1' received on PJSIP\/trunk-carrier-/);
    expect(steps, log).toContainEqual(expect.stringMatching(/^1@ivr-main:\d+ Goto\(queue-payments,s,1\)$/));
    expect(steps).toContainEqual(expect.stringMatching(/^s@queue-payments:\d+ Queue\(payments,/));
    expect(invitesTo(phone('2001'))).toBe(before.paula + 1);
    expect(invitesTo(phone('2002'))).toBe(before.ivan);
    // Answered and bridged to the caller: the agent took the ACK, and the caller's BYE reached it.
    expect(await lastCall('2001')).toEqual(['INVITE', 'ACK', 'BYE']);
    expect(problemsWithOurFiles(log)).toEqual([]);
  });

  it('key 2 reaches the identification agent instead', async () => {
    const from = ast().log().length;
    const before = { paula: invitesTo(phone('2001')), ivan: invitesTo(phone('2002')) };
    const r = await carrierCall(pressKey('2'));
    expect(r.code, sippReport(r)).toBe(0);
    const steps = executed(ast().log().slice(from));
    expect(steps).toContainEqual(expect.stringMatching(/^2@ivr-main:\d+ Goto\(queue-identification,s,1\)$/));
    expect(steps).toContainEqual(expect.stringMatching(/^s@queue-identification:\d+ Queue\(identification,/));
    expect(steps.some((s) => s.includes('queue-payments'))).toBe(false);
    expect(invitesTo(phone('2002'))).toBe(before.ivan + 1);
    expect(invitesTo(phone('2001'))).toBe(before.paula);
    expect(await lastCall('2002')).toEqual(['INVITE', 'ACK', 'BYE']);
  });

  it('without a key: prompts retries+1 times, waits timeout each, then on_timeout (announcement, then hang-up)', async () => {
    const from = ast().log().length;
    const before = { paula: invitesTo(phone('2001')), ivan: invitesTo(phone('2002')) };
    const t0 = Date.now();
    const r = await carrierCall([], { awaitByeMs: 15_000 });
    const elapsed = Date.now() - t0;
    expect(r.code, sippReport(r)).toBe(0);
    // Asterisk hung up on the caller (the scenario took its BYE).
    expect(r.messages.some((m) => m.direction === 'received' && m.method === 'BYE')).toBe(true);
    const steps = executed(ast().log().slice(from));
    // The menu's fixed shape: s,2 plays the prompt, s,3 waits; t (no digit) counts the tries.
    expect(steps.filter((s) => /^s@ivr-main:2 BackGround\(beep\)$/i.test(s))).toHaveLength(RETRIES + 1);
    expect(steps.filter((s) => s === `s@ivr-main:3 WaitExten(${TIMEOUT})`)).toHaveLength(RETRIES + 1);
    expect(steps.filter((s) => s.startsWith('t@ivr-main:1 '))).toHaveLength(RETRIES + 1);
    expect(steps).toContainEqual(expect.stringMatching(/^t@ivr-main:\d+ Goto\(announcement-goodbye,s,1\)$/));
    expect(steps).toContainEqual(expect.stringMatching(/^s@announcement-goodbye:\d+ Playback\(vm-goodbye\)$/));
    expect(steps.some((s) => s.includes('Queue('))).toBe(false);
    expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT * (RETRIES + 1) * 1000);
    expect(invitesTo(phone('2001')) + invitesTo(phone('2002'))).toBe(before.paula + before.ivan);
  });

  it('two keys that are not options: prompts again after the first, then on_invalid (hang-up) after retries+1', async () => {
    const from = ast().log().length;
    const before = invitesTo(phone('2001')) + invitesTo(phone('2002'));
    // 9 in WaitExten, then 8 1.5 s later in the second WaitExten: one capture, a timestamp per key.
    const r = await carrierCall([{ pauseMs: KEY_AFTER_ACK_MS }, { play: dtmfCapture('98', 1_500) }], { awaitByeMs: 8_000 });
    expect(r.code, sippReport(r)).toBe(0);
    const log = ast().log().slice(from);
    expect(log).toMatch(/DTMF end '9' received on PJSIP\/trunk-carrier-/);
    expect(log).toMatch(/DTMF end '8' received on PJSIP\/trunk-carrier-/);
    const steps = executed(log);
    expect(steps.filter((s) => s.startsWith('i@ivr-main:1 ')), log).toHaveLength(RETRIES + 1);
    expect(steps.filter((s) => /^s@ivr-main:2 BackGround\(beep\)$/i.test(s))).toHaveLength(RETRIES + 1);
    expect(steps).toContainEqual(expect.stringMatching(/^i@ivr-main:\d+ Goto\(cp-hangup,s,1\)$/));
    expect(steps.some((s) => s.startsWith('t@ivr-main') || s.includes('Queue('))).toBe(false);
    expect(invitesTo(phone('2001')) + invitesTo(phone('2002'))).toBe(before);
  });
});

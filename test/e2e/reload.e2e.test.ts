import { describe, expect, it } from 'vitest';
import type { AsteriskContext } from './harness/asterisk.js';
import { executed, invitesTo, problemsWithOurFiles, startCallplanPbx } from './harness/callplan-pbx.js';
import { dtmfKey, uacScript, type CallStep } from './harness/dtmf.js';
import { perFile } from './harness/lifecycle.js';
import { runSipp, sippReport, type SippResult } from './harness/sipp.js';

/**
 * Rebuilding the project and reloading Asterisk while calls wait. Asterisk resumes a call by
 * priority number in the new dialplan once the step it waits in returns, so the generated
 * contexts must not shift under the steps where calls wait (Queue, WaitExten ...) and what follows
 * the wait must have been decided when the caller arrived. Each test loads version 1, puts a
 * caller in a waiting step, rebuilds as version 2 and reloads every changed file, then follows
 * the caller.
 *
 * Version 2 changes what the generator emits before and around those steps: the DIDs go through
 * a second (closed) site first, the queue gets a recording policy (a step more in its prelude),
 * another max_wait and another overflow target, the menu another prompt, timeout, retries and
 * options, and a queue, a user and an announcement are added.
 */
const V1 = ({ ports }: AsteriskContext) => `version: 1
name: e2e-reload
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${ports.sip}, ami_port: ${ports.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  always-open:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: 127.0.0.2, addresses: [127.0.0.2] }
users:
  - { extension: "3001", name: Olga, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "3002", name: Borys, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "3003", name: Celina, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "3009", name: Absent, site: always-open, devices: [{ type: softphone, name: desk }] }
queues:
  waiting: { members: { primary: [user:3009] }, ring_timeout: 2, max_wait: 3, overflow: user:3001 }
ivr:
  main:
    prompt: beep
    options: { "1": user:3003 }
    timeout: 6
    retries: 0
  listen:
    prompt: conf-getpin                # ~2.4 s
    options: { "1": user:3003 }
    timeout: 4
    retries: 0
inbound:
  - { name: queue line, did: "+48221000200", to: queue:waiting }
  - { name: menu line, did: "+48221000201", to: ivr:main }
  - { name: listen line, did: "+48221000202", to: ivr:listen }
`;

const V2 = ({ ports, chrootDir }: AsteriskContext) => `version: 1
name: e2e-reload
nodes:
  pbx: { role: asterisk, address: 127.0.0.1, sip_port: ${ports.sip}, ami_port: ${ports.ami} }
secrets:
  device_master: "\${env:CALLPLAN_DEVICE_MASTER}"
sites:
  night:
    timezone: Asia/Sakhalin          # no hours: never open
  always-open:
    timezone: Europe/Warsaw
    hours: { mon-sun: "00:00-24:00" }
trunks:
  carrier: { auth: ip, host: 127.0.0.2, addresses: [127.0.0.2] }
users:
  - { extension: "3001", name: Olga, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "3002", name: Borys, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "3003", name: Celina, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "3009", name: Absent, site: always-open, devices: [{ type: softphone, name: desk }] }
  - { extension: "3010", name: Nowy, site: always-open, devices: [{ type: softphone, name: desk }] }
queues:
  early: { members: { primary: [user:3010] }, max_wait: 2, overflow: user:3010 }
  waiting: { members: { primary: [user:3009] }, ring_timeout: 3, max_wait: 2, overflow: user:3002 }
ivr:
  main:
    prompt: beeperr
    options: { "1": user:3003, "2": queue:early, "3": announcement:bye }
    timeout: 9
    retries: 2
    on_timeout: announcement:bye
  listen:
    language: en
    prompt: beeperr
    options: { "0": user:3001, "1": user:3003, "2": user:3002 }
    timeout: 7
    retries: 1
    on_timeout: announcement:bye
announcements:
  bye: { prompt: vm-goodbye, then: hangup }
inbound:
  - name: queue line
    did: "+48221000200"
    open: [{ site: night, to: queue:early }, { site: always-open, to: queue:waiting }]
  - name: menu line
    did: "+48221000201"
    open: [{ site: night, to: announcement:bye }, { site: always-open, to: ivr:main }]
  - name: listen line
    did: "+48221000202"
    open: [{ site: night, to: announcement:bye }, { site: always-open, to: ivr:listen }]
recording:
  directory: ${chrootDir}/spool/monitor
  policies:
    - { name: everything, queues: [queue:waiting, queue:early], users: [user:3001, user:3002, user:3003] }
`;

const env = perFile(() =>
  startCallplanPbx({ name: 'reload', project: V1, phones: { '3001': {}, '3002': {}, '3003': {} }, requireModules: ['app_queue.so'] }),
);
const ast = () => env().ast;
const phone = (ext: string) => env().phones[ext]!;
const counts = () => Object.fromEntries(['3001', '3002', '3003'].map((ext) => [ext, invitesTo(phone(ext))]));

/** A carrier's call to one of our DIDs, answered eventually, following `steps`, then hanging up. */
function carrierCall(did: string, steps: CallStep[]): Promise<SippResult> {
  return runSipp({
    scenario: uacScript({ from: 'carrier', steps, end: 'bye' }),
    target: `127.0.0.1:${ast().ports.sip}`,
    service: did,
    localIp: '127.0.0.2',
    recvTimeoutMs: 15_000,
    timeoutMs: 20_000,
  });
}

/** Loads `project` (when it differs from what runs) and checks the reload applied cleanly. */
async function load(project: typeof V1): Promise<{ logFrom: number; doneAt: number; changed: string[] }> {
  const r = await env().reloadProject(project);
  const doneAt = ast().log().length;
  const logged = ast().log().slice(r.logFrom);
  expect(problemsWithOurFiles(logged), `reloading ${r.changed.join(', ')}:\n${r.output}\n${logged}`).toEqual([]);
  if (r.changed.includes('extensions.conf')) expect(logged, r.output).toMatch(/pbx_config successfully loaded \d+ contexts/);
  return { logFrom: r.logFrom, doneAt, changed: r.changed };
}

/** Loads version 1, starts a carrier's call to `did`, waits until the log shows it reached `waiting`, then loads version 2. */
async function reloadWhile(did: string, steps: CallStep[], waiting: RegExp) {
  await load(V1);
  const before = counts();
  const from = ast().log().length;
  const call = carrierCall(did, steps);
  try {
    await ast().waitForLog(waiting, { from, timeoutMs: 5_000 });
  } catch (e) {
    const r = await call;
    throw new Error(`${(e as Error).message}\n${sippReport(r)}\n${ast().log().slice(from)}`);
  }
  const reload = await load(V2);
  expect(reload.changed).toEqual(expect.arrayContaining(['extensions.conf', 'queues.conf', 'pjsip.conf']));
  const r = await call;
  expect(r.code, sippReport(r)).toBe(0);
  const log = ast().log();
  return {
    before,
    /** Steps the call ran before the reload started, and after it had finished. */
    stepsBefore: executed(log.slice(from, reload.logFrom)),
    stepsAfter: executed(log.slice(reload.doneAt)),
    /** The log from the call's start, for assertion messages; and the reload's end in the whole log. */
    log: log.slice(from),
    doneAt: reload.doneAt,
  };
}

describe('dialplan reload under waiting calls (callplan on a real Asterisk)', () => {
  it('a caller waiting in a queue during the reload leaves it for the overflow target it had on arrival', async () => {
    const r = await reloadWhile('+48221000200', [{ pauseMs: 500 }], /Executing \[s@queue-waiting:2\] Queue\("PJSIP\/trunk-carrier-[^"]+", "waiting,,,,3"\)/);
    // In Queue (s,2) when the reload started; nothing else ran until it had finished.
    expect(r.stepsBefore.at(-1), r.log).toBe('s@queue-waiting:2 Queue(waiting,,,,3)');
    // Then the step after the wait (s,3 of the new plan, the same Goto), to version 1's overflow
    // target (user 3001, decided by the prelude on arrival), not version 2's (3002), and neither
    // the queue nor its prelude again.
    expect(r.stepsAfter[0], r.log).toBe('s@queue-waiting:3 Goto(user-3001,s,1)');
    expect(r.stepsAfter.filter((s) => s.includes('queue-waiting'))).toHaveLength(1);
    expect(invitesTo(phone('3001'))).toBe(r.before['3001']! + 1);
    expect(invitesTo(phone('3002'))).toBe(r.before['3002']);

    // The reload did apply: a caller arriving now gets version 2's overflow.
    const from = ast().log().length;
    const next = await carrierCall('+48221000200', [{ pauseMs: 500 }]);
    expect(next.code, sippReport(next)).toBe(0);
    expect(executed(ast().log().slice(from))).toContain('s@queue-waiting:3 Goto(user-3002,s,1)');
    expect(invitesTo(phone('3002'))).toBe(r.before['3002']! + 1);
    expect(invitesTo(phone('3001'))).toBe(r.before['3001']! + 1);
    expect(problemsWithOurFiles(ast().log().slice(from))).toEqual([]);
  });

  it("a caller in a menu's WaitExten during the reload still reaches the target of the key it presses", async () => {
    // In WaitExten from ~1.5 s after the ACK (answer, 0.5 s, prompt); the key comes 2.5 s after the ACK.
    const r = await reloadWhile(
      '+48221000201',
      [{ pauseMs: 2_500 }, { play: dtmfKey('1') }, { pauseMs: 1_500 }],
      /Executing \[s@ivr-main:3\] WaitExten\("PJSIP\/trunk-carrier-[^"]+", "6"\)/,
    );
    expect(r.stepsBefore.at(-1), r.log).toBe('s@ivr-main:3 WaitExten(6)');
    // The key arrived after the reload had finished, while the caller was still in WaitExten.
    expect(ast().log().indexOf("DTMF end '1' received on PJSIP/trunk-carrier-", r.doneAt), r.log).toBeGreaterThan(0);
    expect(r.stepsAfter[0], r.log).toBe('1@ivr-main:1 Goto(user-3003,s,1)');
    expect(invitesTo(phone('3003'))).toBe(r.before['3003']! + 1);
    expect(invitesTo(phone('3001')) + invitesTo(phone('3002'))).toBe(r.before['3001']! + r.before['3002']!);
  });

  it("a caller listening to a menu's prompt during the reload then waits for a key in the same menu (the new plan's WaitExten)", async () => {
    // The prompt (~2.4 s) plays from ~1 s after the ACK; the key comes 4.3 s after the ACK.
    const r = await reloadWhile(
      '+48221000202',
      [{ pauseMs: 4_300 }, { play: dtmfKey('1') }, { pauseMs: 1_500 }],
      /Executing \[s@ivr-listen:2\] BackGround\("PJSIP\/trunk-carrier-[^"]+", "conf-getpin"\)/i,
    );
    expect(r.stepsBefore.at(-1), r.log).toMatch(/^s@ivr-listen:2 BackGround\(conf-getpin\)$/i);
    // After the prompt: priority 3 of the new plan, the same WaitExten step (with version 2's
    // timeout), then the key's target; not the prompt again, nor a timeout.
    expect(r.stepsAfter.slice(0, 2), r.log).toEqual(['s@ivr-listen:3 WaitExten(7)', '1@ivr-listen:1 Goto(user-3003,s,1)']);
    expect(invitesTo(phone('3003'))).toBe(r.before['3003']! + 1);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AgentTracker, memberExtension } from '../../../src/dialer/daemon/agents.js';
import { CallTracker, unansweredOutcome } from '../../../src/dialer/daemon/calls.js';
import type { DialerEvent } from '../../../src/dialer/pacing/types.js';
import type { PlannedAttempt } from '../../../src/dialer/runtime/contract.js';
import type { AmiMessage } from '../../../src/provision/ami.js';

/**
 * Asterisk's events → the pacing core's events, on a sequence recorded from the real Asterisk of
 * test/e2e/dialer-asterisk.e2e.test.ts (test/fixtures/ami/dialer-calls.jsonl): a person put
 * through to 1001, two calls to agents, an abandoned person (both agents on a break), a busy
 * callee, one that never answered (ring timeout), and an answering machine AMD recognised.
 */
const RECORDED: AmiMessage[] = readFileSync(new URL('../../fixtures/ami/dialer-calls.jsonl', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as AmiMessage);

/** Each attempt of the recording and the ActionID its Originate got. */
const ATTEMPTS: [string, string, string][] = [
  ['t8481-1', '2', 'sales'],
  ['t8481-2', '3', 'sales'],
  ['t8481-3', '4', 'sales'],
  ['t8481-4', '7', 'sales'],
  ['t8481-5', '11', 'sales'],
  ['t8481-6', '12', 'sales'],
  ['t8481-7', '13', 'robo'],
];

const attempt = (id: string, campaign: string, contact: number): PlannedAttempt => ({
  attemptId: id,
  campaign,
  contact,
  contactId: `c${contact}`,
  number: '48221000100',
  numberIndex: 0,
  // Contacts alternate: even ones are dialled on a mobile, odd ones on a landline.
  numberType: contact % 2 === 0 ? 'mobile' : 'landline',
  kind: 'predictive',
  ringTimeoutSeconds: 25,
  data: {},
});

function replay(): { events: { campaign: string; event: DialerEvent }[]; tracker: CallTracker } {
  const tracker = new CallTracker();
  ATTEMPTS.forEach(([id, action, campaign], i) => {
    tracker.placed(attempt(id, campaign, i), 1_000 * i, campaign === 'robo');
    tracker.originated(id, action);
  });
  const events: { campaign: string; event: DialerEvent }[] = [];
  RECORDED.forEach((e, k) => events.push(...tracker.onEvent(e, 100_000 + 1_000 * k)));
  return { events, tracker };
}

describe('AMI events → core events (recorded on Asterisk 22)', () => {
  it('ends every attempt exactly once, with the outcome Asterisk reported', () => {
    const { events, tracker } = replay();
    const ended = events.filter((e) => e.event.type === 'ended').map((e) => e.event as Extract<DialerEvent, { type: 'ended' }>);
    expect(ended.map((e) => [e.call, e.outcome, e.agent])).toEqual([
      ['t8481-1', 'connected', '1001'],
      ['t8481-2', 'connected', '1002'],
      ['t8481-3', 'connected', '1001'],
      ['t8481-4', 'abandoned', undefined],
      ['t8481-5', 'busy', undefined],
      ['t8481-6', 'noAnswer', undefined],
      ['t8481-7', 'machine', undefined],
    ]);
    expect(tracker.size).toBe(0);
  });

  it('reports the answer with its ring time, and AMD\'s verdict only where AMD ran', () => {
    const { events } = replay();
    const answered = events.filter((e) => e.event.type === 'answered').map((e) => (e.event as Extract<DialerEvent, { type: 'answered' }>).call);
    expect(answered).toEqual(['t8481-1', 't8481-2', 't8481-3', 't8481-4', 't8481-7']);
    for (const e of events) if (e.event.type === 'answered') expect(e.event.ringSeconds).toBeGreaterThan(0);
    const amd = events.filter((e) => e.event.type === 'amd').map((e) => e.event);
    expect(amd).toEqual([expect.objectContaining({ call: 't8481-7', passed: false })]);
    expect(events.filter((e) => e.campaign === 'robo').map((e) => e.event.type)).toEqual(['answered', 'amd', 'ended']);
  });

  it("carries each attempt's number type into the calls in flight and into every answer and end the core learns from", () => {
    const tracker = new CallTracker();
    ATTEMPTS.forEach(([id, action, campaign], i) => {
      tracker.placed(attempt(id, campaign, i), 0, false);
      tracker.originated(id, action);
    });
    expect(tracker.views('sales').map((v) => [v.id, v.numberType])).toEqual(ATTEMPTS.slice(0, 6).map(([id], i) => [id, i % 2 === 0 ? 'mobile' : 'landline']));
    const { events } = replay();
    const typed = events.filter((e) => e.event.type === 'answered' || e.event.type === 'ended').map((e) => e.event as Extract<DialerEvent, { type: 'answered' | 'ended' }>);
    expect(typed.length).toBeGreaterThan(0);
    for (const e of typed) expect(e.numberType).toBe(ATTEMPTS.findIndex(([id]) => id === e.call) % 2 === 0 ? 'mobile' : 'landline');
  });

  it('follows each call\'s phase for the live state: ringing, waiting, connected', () => {
    const tracker = new CallTracker();
    tracker.placed(attempt('t8481-1', 'sales', 0), 0, false);
    tracker.originated('t8481-1', '2');
    const phases: string[] = [];
    for (const e of RECORDED.filter((x) => x.Attempt === 't8481-1' || x.ActionID === '2')) {
      tracker.onEvent(e, 5_000);
      phases.push(tracker.get('t8481-1')?.phase ?? 'gone');
    }
    expect(phases).toEqual(['ringing', 'waiting', 'waiting', 'connected', 'gone']);
    expect(tracker.takeTalks()).toEqual([{ campaign: 'sales', agent: '1001', talkSeconds: 0, endedAt: 5_000 }]);
  });

  it('ignores events about calls it did not place, and an end seen twice', () => {
    const tracker = new CallTracker();
    expect(tracker.onEvent({ Event: 'UserEvent', UserEvent: 'CallplanDialer', Attempt: 'other', Phase: 'ended', Outcome: 'connected' }, 1)).toEqual([]);
    tracker.placed(attempt('a', 'sales', 1), 0, false);
    const end = { Event: 'UserEvent', UserEvent: 'CallplanDialer', Attempt: 'a', Phase: 'ended', Outcome: 'abandoned' };
    expect(tracker.onEvent(end, 1)).toHaveLength(1);
    expect(tracker.onEvent(end, 2)).toEqual([]);
  });

  it('maps an unanswered Originate by the trunk\'s answer first, else by its reason', () => {
    expect(unansweredOutcome('5', undefined)).toBe('busy');
    expect(unansweredOutcome('3', undefined)).toBe('noAnswer');
    expect(unansweredOutcome('8', undefined)).toBe('failed');
    expect(unansweredOutcome('0', undefined)).toBe('failed');
    expect(unansweredOutcome('1', 'BUSY')).toBe('busy');
    expect(unansweredOutcome('3', 'CHANUNAVAIL')).toBe('failed');
  });
});

describe('queue-member events → agents\' live state', () => {
  const member = (fields: Partial<AmiMessage>): AmiMessage => ({ Event: 'QueueMemberStatus', Queue: 'sales', Interface: 'Local/1001@cp-queue-members/n', Status: '1', Paused: '0', PausedReason: '', InCall: '0', LastCall: '0', ...fields });

  it('reads the extension from the member interface', () => {
    expect(memberExtension('Local/1001@cp-queue-members/n')).toBe('1001');
    expect(memberExtension('PJSIP/1001-desk')).toBeUndefined();
  });

  it('replays the recording: ringing and in use are talking, a break is paused, back is ready', () => {
    const agents = new AgentTracker(() => 0);
    agents.onEvent({ ...member({}), Event: 'QueueMember' }, 0);
    agents.onEvent({ ...member({ Interface: 'Local/1002@cp-queue-members/n' }), Event: 'QueueMember' }, 0);
    const seen: string[] = [];
    RECORDED.filter((e) => e.Queue === 'sales' && (e.Event === 'QueueMemberStatus' || e.Event === 'QueueMemberPause')).forEach((e, k) => {
      const now = Date.parse('2026-11-25T17:49:25Z') + 1_000 * k;
      agents.onEvent(e, now);
      seen.push(agents.views('sales', ['1001', '1002'], now).map((a) => `${a.id}:${a.status}`).join(' '));
    });
    expect(seen.slice(0, 4)).toEqual(['1001:talking 1002:ready', '1001:talking 1002:ready', '1001:ready 1002:ready', '1001:ready 1002:talking']);
    expect(seen).toContain('1001:paused 1002:paused');
    expect(seen.at(-1)).toBe('1001:ready 1002:ready');
  });

  it('keeps an agent in wrap-up for the queue\'s wrap-up time after a call, by the clock alone', () => {
    const agents = new AgentTracker(() => 10);
    agents.onEvent(member({ LastCall: '1000' }), 1_000_000);
    expect(agents.status('sales', '1001', 1_005_000)).toBe('wrapup');
    const view = agents.views('sales', ['1001'], 1_011_000)[0]!;
    expect(view).toEqual({ id: '1001', status: 'ready', since: 1_011_000 });
  });

  it('takes a wrap-up pause for wrap-up, a logout for offline, an unreachable phone for offline, an unnamed agent for offline', () => {
    const agents = new AgentTracker(() => 0);
    agents.onEvent(member({ Paused: '1', PausedReason: 'wrap-up' }), 0);
    expect(agents.status('sales', '1001', 1)).toBe('wrapup');
    agents.onEvent(member({ Paused: '1', PausedReason: 'logout' }), 2);
    expect(agents.status('sales', '1001', 3)).toBe('offline');
    agents.onEvent(member({ Paused: '0', Status: '5' }), 4);
    expect(agents.status('sales', '1001', 5)).toBe('offline');
    expect(agents.views('sales', ['4242'], 6)).toEqual([{ id: '4242', status: 'offline', since: 0 }]);
  });
});

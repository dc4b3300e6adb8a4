import { describe, expect, it } from 'vitest';
import { AgentAllotment, type AllotmentCandidate } from '../../../src/dialer/daemon/allotment.js';

const c = (campaign: string, more: Partial<AllotmentCandidate> = {}): AllotmentCandidate => ({ campaign, tier: 'primary', status: 'ready', paused: false, unreservedCalls: 0, ...more });

describe('agents shared by campaigns', () => {
  it('go to one campaign per ready period, in turn: the one that had them least recently, by name on a tie', () => {
    const a = new AgentAllotment();
    const owners: (string | undefined)[] = [];
    let t = 0;
    for (let round = 0; round < 6; round++) {
      owners.push(a.decide('1001', [c('b'), c('a'), c('c')], (t += 1000)));
      // Still ready at the next decision: no change within the ready period.
      expect(a.decide('1001', [c('b'), c('a'), c('c')], (t += 1000))).toBe(owners.at(-1));
      a.decide('1001', [c('a', { status: 'talking' }), c('b', { status: 'talking' }), c('c', { status: 'talking' })], (t += 1000));
    }
    expect(owners).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('stay with a campaign that has predictive calls on their way counting on them', () => {
    const a = new AgentAllotment();
    expect(a.decide('1001', [c('a'), c('b')], 1)).toBe('a');
    a.decide('1001', [c('a', { status: 'wrapup' }), c('b', { status: 'wrapup' })], 2);
    expect(a.decide('1001', [c('a', { unreservedCalls: 2 }), c('b')], 3)).toBe('a');
    a.decide('1001', [c('a', { status: 'talking' }), c('b', { status: 'talking' })], 4);
    expect(a.decide('1001', [c('a'), c('b')], 5)).toBe('b');
  });

  it('belong to the campaign whose call they took, and go to primary campaigns before backup ones, never to paused ones', () => {
    const a = new AgentAllotment();
    expect(a.decide('1001', [c('a', { tier: 'backup' }), c('b'), c('c', { paused: true })], 1)).toBe('b');
    a.decide('1001', [c('a', { status: 'talking' }), c('b', { status: 'talking' }), c('c', { status: 'talking' })], 2);
    // Asterisk's queue put them through to a call of a (a backup member there): a's through the talk and wrap-up.
    a.took('1001', 'a', 3);
    expect(a.decide('1001', [c('a', { tier: 'backup', status: 'wrapup' }), c('b', { status: 'wrapup' }), c('c', { status: 'wrapup' })], 4)).toBe('a');
    // Ready again: b, the only primary campaign not paused.
    expect(a.decide('1001', [c('a', { tier: 'backup' }), c('b'), c('c', { paused: true })], 5)).toBe('b');
  });

  it('leave a paused campaign at once when it has nothing on its way', () => {
    const a = new AgentAllotment();
    expect(a.decide('1001', [c('a'), c('b')], 1)).toBe('a');
    expect(a.decide('1001', [c('a', { paused: true, unreservedCalls: 1 }), c('b')], 2)).toBe('a');
    expect(a.decide('1001', [c('a', { paused: true }), c('b')], 3)).toBe('b');
    expect(a.decide('1001', [c('a', { paused: true }), c('b')], 4)).toBe('b');
  });
});

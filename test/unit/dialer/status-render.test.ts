import { describe, expect, it } from 'vitest';
import type { LiveStats } from '../../../src/dialer/api/backend.js';
import { formatStats } from '../../../src/dialer/status/render.js';

const STATS: LiveStats = {
  at: '2026-03-02T10:00:00.000Z',
  agents: {
    byState: { ready: 1, talking: 1, wrapup: 0, paused: 1, offline: 1 },
    list: [
      { id: '1002', state: 'talking', since: '2026-03-02T09:58:30.000Z' },
      { id: '1001', state: 'paused', reason: 'consultation', since: '2026-03-02T08:45:00.000Z' },
      { id: '1003', state: 'ready', since: '2026-03-02T09:59:55.000Z' },
      { id: '1004', state: 'offline', since: '2026-03-02T07:00:00.000Z' },
    ],
  },
  campaigns: [
    { name: 'early-arrears', mode: 'predictive', paused: false, callsInProgress: 7, dialLevel: 1.75, answerRate: 0.312, abandon: { rate: 0.021, target: 0.03, limit: 0.03, windowSeconds: 86400, liveAnswers: 482, abandoned: 10 }, contacts: { total: 900, pending: 700, dialing: 7, reserved: 0, reached: 150, exhausted: 40, callback: 3, removed: 0 } },
    { name: 'pre-court', mode: 'preview', paused: true, callsInProgress: 0, dialLevel: 0, answerRate: null, abandon: { rate: 0.05, target: 0.03, limit: 0.03, windowSeconds: 2_592_000, liveAnswers: 20, abandoned: 1 }, contacts: { total: 10, pending: 10, dialing: 0, reserved: 0, reached: 0, exhausted: 0, callback: 0, removed: 0 } },
  ],
};

describe('dialer status view', () => {
  it('shows agents by state, each campaign against its abandon target, and the agents at work with their time in state', () => {
    expect(formatStats(STATS)).toBe(
      [
        'agents: 1 ready, 1 talking, 0 wrap-up, 1 paused, 1 offline',
        '',
        'campaign       mode        state    calls  level  answered  abandoned         target  window  contacts',
        'early-arrears  predictive  running  7      1.75   31.2%     2.1% (10/482)     3.0%    1d      700 pending, 7 in calls, 3 callbacks, 150 reached, 40 exhausted',
        'pre-court      preview     paused   0      0.00   -         5.0% (1/20) OVER  3.0%    30d     10 pending, 0 in calls, 0 callbacks, 0 reached, 0 exhausted',
        '',
        'agent  state                  since',
        '1003   ready                  0m05s',
        '1002   talking                1m30s',
        '1001   paused (consultation)  1h15m',
        '',
      ].join('\n'),
    );
  });
});

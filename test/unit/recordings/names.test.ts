import { describe, expect, it } from 'vitest';
import { parseRecordingName } from '../../../src/recordings/archive/names.js';

describe('recording file names (as cp-answered writes them)', () => {
  it('reads time, queue, agent and call id', () => {
    expect(parseRecordingName('20250314-093005_payments_3001_1741944605.42.wav')).toEqual({
      name: '20250314-093005_payments_3001_1741944605.42.wav',
      base: '20250314-093005_payments_3001_1741944605.42',
      kind: 'recording',
      extension: 'wav',
      started: new Date('2025-03-14T09:30:05Z'),
      queue: 'payments',
      agent: '3001',
      callId: '1741944605.42',
    });
  });

  it('keeps "_" inside queue names, and reads direct calls, sidecars and every format', () => {
    expect(parseRecordingName('20250314-093005_early_arrears_3001_1.2.WAV')).toMatchObject({ queue: 'early_arrears', agent: '3001', callId: '1.2', kind: 'recording', extension: 'WAV' });
    expect(parseRecordingName('20250314-093005_direct_1001_1.2.json')).toMatchObject({ queue: 'direct', kind: 'sidecar', base: '20250314-093005_direct_1001_1.2' });
    expect(parseRecordingName('20250314-093005_direct__1.2.gsm')).toMatchObject({ agent: '', kind: 'recording' });
    expect(parseRecordingName('20250314-093005_q_1_2.ogg')).toMatchObject({ queue: 'q', agent: '1', callId: '2' });
  });

  it.each([
    'notes.txt',
    '20250314-093005_payments_3001_1.2.mp3',
    '20250230-093005_payments_3001_1.2.wav', // 30 February
    '20251314-093005_payments_3001_1.2.wav',
    '20250314-246005_payments_3001_1.2.wav',
    '20250314-093005_Payments_3001_1.2.wav', // queue names are lower case
    '20250314-093005_payments_1.2.wav', // no agent field
    '20250314093005_payments_3001_1.2.wav',
    '.20250314-093005_payments_3001_1.2.wav.callplan-partial',
  ])('refuses %s', (name) => {
    expect(parseRecordingName(name)).toBeUndefined();
  });
});

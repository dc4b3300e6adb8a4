import { describe, expect, it } from 'vitest';
import { uacCall, uacCancel, uacExpectFailure, uasAnswer, uasReject } from './harness/scenarios.js';
import { runSipp, sippReport, startSippUas, type SippUas } from './harness/sipp.js';

/** The scenario builders against each other, SIPp to SIPp on loopback (no Asterisk): each run takes milliseconds. */
describe('SIPp scenario builders', () => {
  const withUas = async (scenario: string, body: (uas: SippUas) => Promise<void>) => {
    const uas = await startSippUas({ scenario });
    try {
      await body(uas);
    } finally {
      await uas.stop();
    }
  };
  const methods = (uas: SippUas) => uas.received().map((m) => m.method);

  it('uacCall is answered by uasAnswer: INVITE, 200, ACK, BYE, 200', async () => {
    await withUas(uasAnswer(), async (uas) => {
      const r = await runSipp({ scenario: uacCall({ holdMs: 50 }), target: uas.address, service: '100' });
      expect(r.code, sippReport(r)).toBe(0);
      expect(r.messages.map((m) => m.status ?? m.method)).toEqual(['INVITE', 100, 180, 200, 'ACK', 'BYE', 200]);
      expect(methods(uas)).toEqual(['INVITE', 'ACK', 'BYE']);
    });
  });

  it('uasAnswer rings before answering, and uacCall waits for it', async () => {
    await withUas(uasAnswer({ ringMs: 300 }), async (uas) => {
      const t0 = Date.now();
      const r = await runSipp({ scenario: uacCall({ holdMs: 0 }), target: uas.address, service: '100', calls: 2 });
      expect(r.code, sippReport(r)).toBe(0);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      expect(methods(uas).filter((m) => m === 'BYE')).toHaveLength(2);
    });
  });

  it('uacCancel hangs up while uasAnswer rings: CANCEL, 200, 487, ACK', async () => {
    await withUas(uasAnswer({ ringMs: 10_000 }), async (uas) => {
      const r = await runSipp({ scenario: uacCancel({ afterMs: 50 }), target: uas.address, service: '100' });
      expect(r.code, sippReport(r)).toBe(0);
      expect(r.messages.map((m) => m.status ?? m.method)).toEqual(['INVITE', 100, 180, 'CANCEL', 200, 487, 'ACK']);
      expect(methods(uas)).toEqual(['INVITE', 'CANCEL', 'ACK']);
    });
  });

  it('uasReject fails the call with its code and uacExpectFailure expects exactly that code', async () => {
    await withUas(uasReject(503, 'Service Unavailable'), async (uas) => {
      const ok = await runSipp({ scenario: uacExpectFailure(503), target: uas.address, service: '100' });
      expect(ok.code, sippReport(ok)).toBe(0);
      const wrong = await runSipp({ scenario: uacExpectFailure(404), target: uas.address, service: '100' });
      expect(wrong.code, sippReport(wrong)).toBe(1);
      const call = await runSipp({ scenario: uacCall(), target: uas.address, service: '100' });
      expect(call.code, sippReport(call)).toBe(1);
    });
  });

  it('runs SIPp from other loopback addresses (distinct hosts) when asked', async () => {
    const uas = await startSippUas({ scenario: uasAnswer(), localIp: '127.0.0.2' });
    try {
      expect(uas.address).toBe(`127.0.0.2:${uas.port}`);
      const r = await runSipp({ scenario: uacCall({ holdMs: 0 }), target: uas.address, service: '100', localIp: '127.0.0.3' });
      expect(r.code, sippReport(r)).toBe(0);
      expect(uas.received()[0]?.text).toMatch(/^Via: SIP\/2\.0\/UDP 127\.0\.0\.3:/m);
    } finally {
      await uas.stop();
    }
  });

  it('a UAC with nobody listening fails within its receive timeout', async () => {
    const r = await runSipp({ scenario: uacCall(), target: '127.0.0.1:9', service: '100', recvTimeoutMs: 1_000, timeoutMs: 10_000 });
    expect(r.code, sippReport(r)).not.toBe(0);
    expect(r.timedOut).toBe(false);
  });
});

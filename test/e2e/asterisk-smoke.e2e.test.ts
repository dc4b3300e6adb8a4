import { describe, expect, it } from 'vitest';
import { startAsterisk } from './harness/asterisk.js';
import { installedAsterisk } from './harness/env.js';
import { perFile } from './harness/lifecycle.js';
import { uacCall, uacExpectFailure, uasAnswer } from './harness/scenarios.js';
import { runSipp, sippReport, startSippUas } from './harness/sipp.js';

/**
 * Proves the e2e harness with a hand-written config: a real Asterisk from the cached chroot, a SIPp
 * phone for "bob" (the aor contacts of alice and bob), and SIPp callers.
 */
const PASSWORD = 'Xy9-strong-test-pass';

const env = perFile(async () => {
  const phone = await startSippUas({ scenario: uasAnswer({ ringMs: 100 }) });
  try {
    const ast = await startAsterisk({ name: 'smoke', configs: ({ ports }) => configs(ports.sip, phone.address) });
    return {
      ast,
      phone,
      stop: async () => {
        try {
          await ast.stop();
        } finally {
          await phone.stop();
        }
      },
    };
  } catch (e) {
    await phone.stop();
    throw e;
  }
});

/** alice (with a password) and bob are both reached at the SIPp phone; alice may call 200, which rings bob. */
function configs(sipPort: number, phone: string) {
  return {
    'pjsip.conf': `
[transport-udp]
type = transport
protocol = udp
bind = 127.0.0.1:${sipPort}

[endpoint-common](!)
type = endpoint
transport = transport-udp
disallow = all
allow = alaw,ulaw
direct_media = no

[alice](endpoint-common)
context = from-alice
auth = alice-auth
aors = alice

[alice-auth]
type = auth
auth_type = userpass
username = alice
password = ${PASSWORD}

[alice]
type = aor
contact = sip:alice@${phone}

[bob](endpoint-common)
context = from-bob
aors = bob

[bob]
type = aor
contact = sip:bob@${phone}
`,
    'extensions.conf': `
[from-alice]
exten => 200,1,NoOp(alice calls bob)
 same => n,Dial(PJSIP/bob,10)
 same => n,Hangup()

[from-bob]
`,
  };
}

const asterisk = () => env().ast;
const phone = () => env().phone;
const invites = () => phone().received().filter((m) => m.method === 'INVITE').length;

describe('e2e harness: real Asterisk and SIPp on loopback', () => {
  it('runs the Asterisk installed in the chroot', async () => {
    const installed = installedAsterisk();
    expect(installed).toMatch(/^Asterisk \d+\.\d+/);
    expect(await asterisk().rx('core show version')).toContain(`${installed} built by`);
  });

  it('loaded the PJSIP endpoints from the given pjsip.conf', async () => {
    const out = await asterisk().rx('pjsip show endpoints');
    expect(out).toMatch(/Endpoint:\s+alice\b/);
    expect(out).toMatch(/Endpoint:\s+bob\b/);
  });

  it('routes an authenticated call from alice to bob, who answers', async () => {
    const before = invites();
    const from = asterisk().log().length;
    const r = await runSipp({
      scenario: uacCall({ from: 'alice', auth: true, holdMs: 300 }),
      target: `127.0.0.1:${asterisk().ports.sip}`,
      service: '200',
      auth: { username: 'alice', password: PASSWORD },
    });
    expect(r.code, sippReport(r)).toBe(0);
    expect(r.messages.filter((m) => m.direction === 'received').map((m) => m.status)).toContain(401);
    expect(invites()).toBe(before + 1);
    await asterisk().waitForLog(/Executing \[200@from-alice:2\] Dial\("PJSIP\/alice-[0-9a-f]+", "PJSIP\/bob,10"\)/, { from });
  });

  it('challenges an INVITE without credentials (401) and lets no call through', async () => {
    const before = invites();
    const from = asterisk().log().length;
    const r = await runSipp({
      scenario: uacExpectFailure(401, { from: 'alice' }),
      target: `127.0.0.1:${asterisk().ports.sip}`,
      service: '200',
    });
    expect(r.code, sippReport(r)).toBe(0);
    const challenge = r.messages.find((m) => m.status === 401);
    expect(challenge?.text).toMatch(/^WWW-Authenticate: Digest /m);
    expect(invites()).toBe(before);
    expect(asterisk().log().slice(from)).not.toMatch(/Executing \[200@from-alice/);
  });
});

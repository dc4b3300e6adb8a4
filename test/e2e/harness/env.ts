import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

/** Where test/e2e/install.sh caches the Asterisk chroot (outside the repository). */
export const CACHE = process.env.CALLPLAN_E2E_CACHE ?? '/var/cache/callplan-e2e';
export const CHROOT = `${CACHE}/sid`;
const MARKER = `${CHROOT}/.callplan-e2e-complete`;

const HOW = 'Run `bash test/e2e/install.sh` as root (CI does this in .ci/run) to install SIPp and the cached Asterisk chroot.';

let checked: string | undefined;

/**
 * Throws a clear error when the end-to-end prerequisites are missing, so e2e tests fail loudly
 * rather than being skipped. Returns the installed Asterisk's description on success.
 */
export function requireE2ePrerequisites(): string {
  if (checked) return checked;
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('the e2e tests must run as root (chroot, mount)');
  const sipp = spawnSync('sipp', ['-v'], { encoding: 'utf8', timeout: 10_000 });
  if (sipp.error || !/SIPp v\d/.test(sipp.stdout + sipp.stderr)) missing.push('`sipp` (Debian package sip-tester) is not on PATH');
  if (!existsSync(MARKER) || !existsSync(`${CHROOT}/usr/sbin/asterisk`)) missing.push(`no complete Asterisk chroot at ${CHROOT}`);
  if (missing.length) throw new Error(`End-to-end prerequisites missing: ${missing.join('; ')}.\n${HOW}`);
  ensureProc();
  checked = readFileSync(MARKER, 'utf8').trim();
  return checked;
}

/** Mounts proc in the chroot (once per boot; concurrent callers serialise on a lock file). */
function ensureProc(): void {
  if (existsSync(`${CHROOT}/proc/self`)) return;
  execFileSync(
    'flock',
    ['-w', '30', `${CACHE}/proc.lock`, 'sh', '-c', 'mountpoint -q "$1" || mount -t proc proc "$1"', 'sh', `${CHROOT}/proc`],
    { stdio: 'pipe', timeout: 40_000 },
  );
}

/** The installed Asterisk as `asterisk -V` put it, e.g. "Asterisk 22.10.1+dfsg+~cs6.17.60671434-1". */
export function installedAsterisk(): string {
  return requireE2ePrerequisites().split(',')[0]!;
}

import path from 'node:path/posix';
import type { Model } from '../../model/types.js';
import { header } from '../asterisk/conf/header.js';
import { HOST_PROTECTION, NODE_SYSCALL_FILTER, PROCESS_RESTRICTIONS } from '../systemd-sandbox.js';
import type { Target } from '../target.js';

/**
 * archive/: a systemd service and timer that run `callplan recordings archive` on the PBX host
 * every `recording.archive.every`, as the asterisk user, with the usual hardening. Written only
 * when the project has recording.archive. Install: copy both to /etc/systemd/system/, put the
 * password's variable in /etc/callplan/archive.env (root, 0600), `systemctl enable --now
 * callplan-archive.timer`.
 */
export const UNIT = 'callplan-archive';
/** Read by systemd (as root) before it starts the service: holds the password's environment variable. */
export const ENVIRONMENT_FILE = '/etc/callplan/archive.env';
/** A relative secrets.file is looked for here on the PBX host. */
export const CONFIG_DIR = '/etc/callplan';
const SECRETS_CREDENTIAL = 'callplan-secrets';
/** The user Debian's asterisk package runs Asterisk as: it owns the recordings, may delete them, and may see which ones Asterisk holds open. */
export const RUN_AS = 'asterisk';

export const archiveTarget: Target = {
  name: 'archive',
  description: 'archive/: the systemd service and timer that run `callplan recordings archive` on the PBX host',
  compile(model) {
    if (!model.recording.archive) return new Map();
    return new Map([
      [`archive/${UNIT}.service`, service(model)],
      [`archive/${UNIT}.timer`, timer(model)],
    ]);
  },
};

/** Seconds as systemd writes a time span: 15min, 2h, 90s. */
export function timeSpan(seconds: number): string {
  if (seconds > 0 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}min`;
  return `${seconds}s`;
}

/** The archive's own duration syntax (--older-than): 2d, 2h, 30m, 90s. */
function duration(seconds: number): string {
  if (seconds > 0 && seconds % 86400 === 0) return `${seconds / 86400}d`;
  if (seconds > 0 && seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds > 0 && seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}

/**
 * One command-line argument as systemd reads ExecStart: "%" and "$" doubled (specifiers and
 * variables would expand), quoted when it holds anything but plain characters.
 */
export function execArg(value: string): string {
  const escaped = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@%$+=:,./{}-]+$/.test(escaped) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A path in a list setting (ReadWritePaths=): "%" doubled, quoted when it holds a space or a quote. */
export function pathArg(value: string): string {
  const escaped = value.replace(/%/g, '%%');
  return /^[^\s"'\\]+$/.test(escaped) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function service(model: Model): string {
  const file = `archive/${UNIT}.service`;
  const rec = model.recording;
  const a = rec.archive!;
  const password = a.password;
  const secretsFile = password?.source === 'secret' && model.secrets.file !== undefined ? path.resolve(CONFIG_DIR, model.secrets.file) : undefined;
  const args = [
    '/usr/bin/env',
    'callplan',
    'recordings',
    'archive',
    '--source',
    rec.directory,
    '--url',
    a.url,
    ...(a.username !== undefined ? ['--user', a.username] : []),
    ...(password ? ['--password', `\${${password.source}:${password.name}}`] : []),
    ...(secretsFile ? ['--secrets-file', `%d/${SECRETS_CREDENTIAL}`] : []),
    ...(a.ca !== undefined ? ['--ca', a.ca] : []),
    '--layout',
    a.layout,
    '--older-than',
    duration(a.olderThan),
    '--verify',
    a.verify,
    a.keepLocal ? '--keep-local' : '--no-keep-local',
  ];
  // %d is the credentials directory: keep it a specifier, not an escaped "%".
  const exec = args.map((x) => (x.startsWith(`%d/`) ? x : execArg(x))).join(' ');
  const lines = [
    header(file, model, '#').trimEnd(),
    `# Runs \`callplan recordings archive\` (see docs/recordings.md); ${UNIT}.timer starts it every ${timeSpan(a.every)}.`,
    '',
    '[Unit]',
    `Description=callplan: archive call recordings to ${a.url.replace(/%/g, '%%')}`,
    'Documentation=man:systemd.exec(5)',
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    `User=${RUN_AS}`,
    `Group=${RUN_AS}`,
    ...(password?.source === 'env' ? [`# ${ENVIRONMENT_FILE} (root, 0600) holds ${password.name}=...; systemd reads it before dropping to ${RUN_AS}.`, `EnvironmentFile=${ENVIRONMENT_FILE}`] : []),
    ...(secretsFile ? [`# The secrets file reaches the service as a credential: it stays readable by root alone.`, `LoadCredential=${SECRETS_CREDENTIAL}:${secretsFile.replace(/%/g, '%%')}`] : []),
    `ExecStart=${exec}`,
    '# Exit 6: some recordings were not archived (named in the log; their local copies are kept and the next run retries them).',
    '# Exit 7: the archive could not run (server unreachable, login refused, TLS failure). Both leave the unit failed, for monitoring.',
    'TimeoutStartSec=12h',
    'Nice=10',
    'IOSchedulingClass=idle',
    'UMask=0077',
    '# Hardening: the recordings folder is the only place it may write.',
    'NoNewPrivileges=yes',
    'ProtectSystem=strict',
    `ReadWritePaths=${pathArg(rec.directory)}`,
    ...HOST_PROTECTION,
    `# Only the processes of ${RUN_AS} are visible: enough to see which recordings Asterisk holds open.`,
    'ProtectProc=invisible',
    'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX',
    ...PROCESS_RESTRICTIONS,
    ...NODE_SYSCALL_FILTER,
    '',
  ];
  return lines.join('\n');
}

function timer(model: Model): string {
  const file = `archive/${UNIT}.timer`;
  const a = model.recording.archive!;
  return [
    header(file, model, '#').trimEnd(),
    `# Starts ${UNIT}.service ${timeSpan(a.every)} after its last run ended (never two at once), and 5 min after boot.`,
    '',
    '[Unit]',
    `Description=callplan: archive call recordings every ${timeSpan(a.every)}`,
    '',
    '[Timer]',
    'OnBootSec=5min',
    `OnUnitInactiveSec=${timeSpan(a.every)}`,
    'AccuracySec=1min',
    'RandomizedDelaySec=30s',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');
}

import path from 'node:path';
import type { Recording } from '../../model/types.js';
import { parseSecretRef, type SecretRef, type SecretValues } from '../../secrets/refs.js';
import { compileLayout, LayoutError, type Layout } from './layout.js';
import { JOURNAL_NAME } from './journal.js';

/** A mistake in the flags or the model's archive settings: one line, exit code 2. */
export class SettingsError extends Error {}

/** The flags of `recordings archive`, as given (undefined: not given). */
export interface ArchiveFlags {
  source?: string;
  url?: string;
  user?: string;
  /** A secret reference, ${env:NAME} or ${secret:NAME}: never the password itself. */
  password?: string;
  layout?: string;
  olderThan?: string;
  verify?: 'size' | 'hash';
  keepLocal?: boolean;
  atomicRename?: boolean;
  parallel?: number;
  dryRun?: boolean;
  ca?: string;
  insecure?: boolean;
  journal?: string;
  timeout?: string;
}

export interface ArchiveSettings {
  /** The recordings folder, absolute. */
  source: string;
  /** The journal file, absolute. */
  journal: string;
  /** The destination as shown to people: scheme, host, port and root; never credentials. */
  destination: string;
  host: string;
  port: number;
  secure: boolean;
  /** The remote folder everything goes below ('/' for the login's home). */
  root: string;
  user: string;
  /** Where the password comes from ("${env:NAME}"), for messages; the value is resolved apart. */
  passwordRef?: SecretRef;
  layout: Layout;
  olderThanMs: number;
  verify: 'size' | 'hash';
  keepLocal: boolean;
  /** Upload under NAME.callplan-partial and rename into place once verified. */
  atomicRename: boolean;
  parallel: number;
  dryRun: boolean;
  ca?: string;
  insecure: boolean;
  timeoutMs: number;
}

export const DEFAULT_PARALLEL = 4;
export const MAX_PARALLEL = 32;
const DEFAULT_LAYOUT = '{yyyy}/{mm}/{dd}/{queue}/{file}';
const DEFAULT_OLDER_THAN = '2h';
const DEFAULT_TIMEOUT = '30s';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "10m", "2h", "2d" (and "0") → milliseconds. */
export function parseDurationFlag(text: string, flag: string): number {
  const m = /^(\d+)(ms|s|m|h|d)?$/.exec(text.trim());
  if (!m || (m[2] === undefined && m[1] !== '0')) throw new SettingsError(`${flag} ${text}: give a duration such as 90s, 10m, 2h or 2d`);
  return Number(m[1]) * UNIT_MS[(m[2] ?? 's') as keyof typeof UNIT_MS];
}

/** "${env:NAME}" for a reference, for messages. */
export const refText = (ref: SecretRef): string => `\${${ref.source}:${ref.name}}`;

/**
 * The archive's settings: each flag given wins over the model's recording.archive, which wins
 * over the defaults. Pure: the caller reads the project and the environment.
 */
export function resolveSettings(flags: ArchiveFlags, recording: Recording | undefined, cwd: string): ArchiveSettings {
  const archive = recording?.archive;
  const sourceText = flags.source ?? recording?.directory;
  if (sourceText === undefined) throw new SettingsError('no recordings folder: give --source DIR, or a project (PATH) whose recording.directory names it');
  const urlText = flags.url ?? archive?.url;
  if (urlText === undefined) {
    throw new SettingsError(recording ? 'the project has no recording.archive.url: add recording.archive to the project, or give --url ftps://host/folder' : 'no destination: give --url ftps://host/folder, or a project (PATH) with recording.archive');
  }
  let url: URL;
  try {
    url = new URL(urlText);
  } catch {
    throw new SettingsError(`${flags.url !== undefined ? '--url' : 'recording.archive.url'} ${urlText}: not a URL; write ftp://host[:port]/folder or ftps://host[:port]/folder`);
  }
  const secure = url.protocol === 'ftps:';
  if (url.protocol !== 'ftp:' && !secure) throw new SettingsError(`${urlText}: only ftp:// and ftps:// (explicit TLS) are supported`);
  if (url.password !== '') throw new SettingsError('the URL holds a password: never write it there; name where it comes from with --password "${env:NAME}" (or recording.archive.password)');
  if (url.hostname === '') throw new SettingsError(`${urlText}: no host`);
  if (url.search !== '' || url.hash !== '') throw new SettingsError(`${urlText}: a query (?) or fragment (#) has no meaning here`);
  const port = url.port === '' ? 21 : Number(url.port);
  let root: string;
  try {
    root = decodeURIComponent(url.pathname || '/');
  } catch {
    throw new SettingsError(`${urlText}: the folder is not valid percent-encoding`);
  }
  root = path.posix.normalize(`/${root}`).replace(/\/+$/, '') || '/';
  const user = flags.user ?? (url.username !== '' ? decodeURIComponent(url.username) : undefined) ?? archive?.username;
  if (user === undefined) throw new SettingsError('no user name: give --user NAME (or recording.archive.username, or ftp://NAME@host/...)');

  let passwordRef = archive?.password;
  if (flags.password !== undefined) {
    const ref = parseSecretRef(flags.password);
    if (!ref) throw new SettingsError('--password takes where the password comes from, "${env:NAME}" or "${secret:NAME}", never the password itself (it would show in the process list and shell history)');
    passwordRef = ref;
  }

  let layout: Layout;
  try {
    layout = compileLayout(flags.layout ?? archive?.layout ?? DEFAULT_LAYOUT);
  } catch (e) {
    if (e instanceof LayoutError) throw new SettingsError(`${flags.layout !== undefined ? '--layout' : 'recording.archive.layout'}: ${e.message}`);
    throw e;
  }
  const olderThanMs = flags.olderThan !== undefined ? parseDurationFlag(flags.olderThan, '--older-than') : archive ? archive.olderThan * 1000 : parseDurationFlag(DEFAULT_OLDER_THAN, 'default');
  const parallel = flags.parallel ?? DEFAULT_PARALLEL;
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > MAX_PARALLEL) throw new SettingsError(`--parallel ${parallel}: give 1 to ${MAX_PARALLEL} connections`);
  const timeoutMs = parseDurationFlag(flags.timeout ?? DEFAULT_TIMEOUT, '--timeout');
  if (timeoutMs < 1000) throw new SettingsError('--timeout: at least 1s');
  if (flags.insecure && !secure) throw new SettingsError('--insecure only applies to ftps:// (it turns off the certificate check)');
  if ((flags.ca ?? archive?.ca) !== undefined && !secure) throw new SettingsError(`${flags.ca !== undefined ? '--ca' : 'recording.archive.ca'} only applies to ftps://`);
  const source = path.resolve(cwd, sourceText);
  const hostText = url.hostname.includes(':') && !url.hostname.startsWith('[') ? `[${url.hostname}]` : url.hostname;
  return {
    source,
    journal: flags.journal !== undefined ? path.resolve(cwd, flags.journal) : path.join(source, JOURNAL_NAME),
    destination: `${url.protocol}//${hostText}${port === 21 ? '' : `:${port}`}${root === '/' ? '/' : root}`,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    secure,
    root,
    user,
    ...(passwordRef && { passwordRef }),
    layout,
    olderThanMs,
    verify: flags.verify ?? archive?.verify ?? 'size',
    keepLocal: flags.keepLocal ?? archive?.keepLocal ?? false,
    atomicRename: flags.atomicRename ?? false,
    parallel,
    dryRun: flags.dryRun ?? false,
    ...((flags.ca ?? archive?.ca) !== undefined && { ca: path.resolve(cwd, (flags.ca ?? archive?.ca)!) }),
    insecure: flags.insecure ?? false,
    timeoutMs,
  };
}

/** The password's value, or a SettingsError naming the reference that is not set (never a value). */
export function resolvePassword(settings: ArchiveSettings, values: SecretValues): string {
  const ref = settings.passwordRef;
  if (!ref) throw new SettingsError('no password: set recording.archive.password to "${env:NAME}", or give --password "${env:NAME}"');
  const value = values.get(ref);
  if (value === undefined) {
    throw new SettingsError(
      ref.source === 'env' ? `the archive password ${refText(ref)} is not set: set the environment variable ${ref.name}` : `the archive password ${refText(ref)} is not in the secrets file (or the file is missing): add ${ref.name} to it, or give --secrets-file FILE`,
    );
  }
  return value;
}

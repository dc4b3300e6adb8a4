import { FTPError } from 'basic-ftp';

/**
 * What went wrong, in words an operator can act on. Every failure of the archive is turned into
 * one of these kinds; messages name the file and the server, never a password, and carry no stack.
 */
export type FailureKind =
  | 'auth' // the server refused the login
  | 'unreachable' // no connection to the server at all
  | 'tls' // the TLS handshake or the certificate check failed
  | 'connection' // the connection broke or timed out during the run
  | 'permission' // the server refused to create a folder or write a file
  | 'full' // the server's disk or the account's quota is full
  | 'verify' // the remote copy differs from the local file
  | 'changed' // the local file changed while it was uploaded
  | 'local' // a local file could not be read or deleted
  | 'server'; // any other refusal by the server

export interface Failure {
  kind: FailureKind;
  message: string;
  hint: string;
  /** A transient refusal on a working connection (425, 426, 450, 451): retry on the same one. */
  keepConnection?: boolean;
}

/** An error the archive raises itself, already in words. */
export class ArchiveError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);
const BROKEN = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_STREAM_PREMATURE_CLOSE', 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC']);

export interface Where {
  /** The server as host:port (never with credentials). */
  server: string;
  user?: string;
  /** Where the password comes from, e.g. ${env:ARCHIVE_FTP_PASSWORD}: named, never shown. */
  passwordFrom?: string;
  /** The local file concerned, if any. */
  file?: string;
  /** The remote path concerned, if any. */
  remote?: string;
  /** Whether this happened while connecting (as opposed to during a transfer). */
  connecting?: boolean;
}

/** Turns anything thrown while archiving into a Failure. */
export function classify(error: unknown, where: Where): Failure {
  if (error instanceof ArchiveError) return { kind: error.kind, message: error.message, hint: error.hint };
  const e = error as NodeJS.ErrnoException & { code?: string | number };
  const text = String(e?.message ?? error).replace(/\s*\((control|data) socket\)/, '');
  const file = where.file ? `${where.file}: ` : '';
  const remote = where.remote ?? '';
  if (error instanceof FTPError || typeof e?.code === 'number') {
    const code = Number(e.code);
    if (code === 530 || code === 331 || code === 332) {
      return {
        kind: 'auth',
        message: `${where.server} refused the login of user "${where.user ?? ''}" (${code} ${text.replace(/^\d+\s*/, '')})`,
        hint: `Check the user name and the password${where.passwordFrom ? ` in ${where.passwordFrom}` : ''}; nothing was uploaded and no local file was touched.`,
      };
    }
    if (code === 452 || code === 552) {
      return {
        kind: 'full',
        message: `${file}${where.server} has no space left for ${remote || 'the upload'} (${code} ${text.replace(/^\d+\s*/, '')})`,
        hint: "Free space on the archive server or raise the account's quota, then run the archive again; the local files are kept.",
      };
    }
    if (code === 553 || (code === 550 && /permission|denied|not allowed|prohibited|read-only/i.test(text))) {
      return {
        kind: 'permission',
        message: `${file}${where.server} refused to write ${remote || 'the file'} (${code} ${text.replace(/^\d+\s*/, '')})`,
        hint: `Give user "${where.user ?? ''}" write access to that folder on the server (or change the layout); the local file is kept.`,
      };
    }
    if (code === 425 || code === 426 || code === 450 || code === 451) {
      return {
        kind: 'connection',
        keepConnection: true,
        message: `${file}${where.server} could not complete a transfer${remote ? ` of ${remote}` : ''} (${code} ${text.replace(/^\d+\s*/, '')})`,
        hint: 'Usually passing (the server out of data ports for a moment): run the archive again; if it persists, lower --parallel or widen the passive port range.',
      };
    }
    if (code === 421) {
      return {
        kind: 'connection',
        message: `${file}${where.server} closed the connection (421 ${text.replace(/^\d+\s*/, '')})`,
        hint: 'The server may limit connections per user or address: lower --parallel, or raise its limit.',
      };
    }
    if ((code === 500 || code === 502 || code === 504 || code === 534 || code === 431) && where.connecting && /AUTH|TLS|SSL/i.test(text)) {
      return {
        kind: 'tls',
        message: `${where.server} does not offer explicit TLS (AUTH TLS: ${code} ${text.replace(/^\d+\s*/, '')})`,
        hint: 'Enable TLS on the server, or use an ftp:// URL if the network in between is trusted.',
      };
    }
    return {
      kind: 'server',
      message: `${file}${where.server} refused ${remote ? `an operation on ${remote}` : 'a command'} (${code} ${text.replace(/^\d+\s*/, '')})`,
      hint: 'Run the archive again; if it keeps failing, check the server log for this file.',
    };
  }
  const code = typeof e?.code === 'string' ? e.code : '';
  if (TLS_CODES.has(code) || /certificate|self[- ]signed|\bTLS\b|\bSSL\b|handshake/i.test(text)) {
    return {
      kind: 'tls',
      message: `${where.server}: TLS failed: ${text}${code && !text.includes(code) ? ` (${code})` : ''}`,
      hint: /certificate|CERT|signature|issuer/i.test(text + code)
        ? "The server's certificate is not trusted: give the CA that signed it with --ca FILE (a private CA), or fix the certificate's host name; --insecure turns the check off and is for tests only."
        : 'Check that the server speaks explicit FTPS (AUTH TLS) on this port.',
    };
  }
  if (UNREACHABLE.has(code) || (where.connecting && /timeout/i.test(text))) {
    return {
      kind: 'unreachable',
      message: `cannot reach ${where.server}: ${text}`,
      hint: 'Check the host and port in the URL, that the server runs, and that a firewall lets this host through; nothing was uploaded.',
    };
  }
  if (BROKEN.has(code) || /timeout|closed|FIN packet|socket|aborted/i.test(text)) {
    return {
      kind: 'connection',
      message: `${file}lost the connection to ${where.server}: ${text}`,
      hint: 'Run the archive again: files already verified are not uploaded twice and a partial remote file is replaced; local files are kept until verified.',
    };
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'EROFS' || code === 'ENOSPC' || code === 'EIO' || code === 'EBUSY') {
    return {
      kind: 'local',
      message: `${file}${text}`,
      hint: code === 'ENOSPC' ? 'The local disk is full: free space next to the recordings (the journal is written there).' : 'Check that the archive runs as a user that may read the recordings and delete them (the asterisk user).',
    };
  }
  return { kind: 'server', message: `${file}${text}`, hint: 'Run the archive again; if it keeps failing, report it with this message.' };
}

/** Failures that another attempt on a fresh connection may fix. */
export const retryable = (f: Failure): boolean => f.kind === 'connection';

/** Failures that end the whole run: nothing more can succeed with this server or these credentials. */
export const fatalForRun = (f: Failure): boolean => f.kind === 'auth' || f.kind === 'unreachable' || f.kind === 'tls' || f.kind === 'full';

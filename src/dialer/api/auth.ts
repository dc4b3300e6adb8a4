import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The API cannot start: no token, or one too weak to guard the dialer. */
export class ApiTokenError extends Error {}

/** Shortest token accepted: guessing it must be hopeless even at line rate. */
export const MIN_TOKEN_LENGTH = 24;

/**
 * The API's bearer token: CALLPLAN_DIALER_API_TOKEN, else the file named by `file`,
 * CALLPLAN_DIALER_API_TOKEN_FILE, or systemd's credential `api-token` ($CREDENTIALS_DIRECTORY).
 * The value is never printed, not even in an error.
 */
export function loadApiToken(env: NodeJS.ProcessEnv = process.env, file?: string): string {
  let token = env['CALLPLAN_DIALER_API_TOKEN'];
  let from = 'CALLPLAN_DIALER_API_TOKEN';
  if (token === undefined || token === '') {
    const f = file ?? env['CALLPLAN_DIALER_API_TOKEN_FILE'] ?? (env['CREDENTIALS_DIRECTORY'] ? path.join(env['CREDENTIALS_DIRECTORY'], 'api-token') : undefined);
    if (f === undefined) throw new ApiTokenError('no API token: set CALLPLAN_DIALER_API_TOKEN, or name a file holding it with CALLPLAN_DIALER_API_TOKEN_FILE');
    try {
      token = readFileSync(f, 'utf8').trim();
    } catch (e) {
      throw new ApiTokenError(`cannot read the API token file ${f}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`);
    }
    from = f;
  }
  token = token.trim();
  if (token.length < MIN_TOKEN_LENGTH) throw new ApiTokenError(`the API token in ${from} is too short: at least ${MIN_TOKEN_LENGTH} characters (e.g. openssl rand -hex 32)`);
  return token;
}

/**
 * Whether an Authorization header carries the token. Both sides are hashed first, so the
 * comparison takes the same time whatever the length or the first wrong character.
 */
export function bearerMatches(token: string, header: string | undefined): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  const given = createHash('sha256').update(m ? m[1]! : '').digest();
  const wanted = createHash('sha256').update(token).digest();
  return timingSafeEqual(given, wanted) && m !== null;
}

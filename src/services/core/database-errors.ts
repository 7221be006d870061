import { HowlError } from '../../contract/errors.ts';

/** Seconds a client is told to wait before trying again while the database is away. */
export const RETRY_AFTER_S = 5;

// Socket errors, PostgreSQL's connection exceptions (class 08), shutdown and "cannot connect now" (57P0x),
// too many connections (53300), and node-postgres' own words for a lost or unreachable server.
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
]);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
const LOST =
  /connection terminated|connection error|timeout exceeded when trying to connect|server closed the connection|Connection refused/i;

/** Whether an error means the database cannot be reached right now (not that the request was wrong). */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (
    typeof code === 'string' &&
    (NETWORK_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08'))
  )
    return true;
  return typeof message === 'string' && LOST.test(message);
}

/**
 * The answer an error deserves: a HowlError as it is; a database that cannot be reached, a 503 with
 * `retryAfterS` (nothing was stored, the client should try again); anything else undefined (a 500).
 */
export function expectedError(err: unknown): HowlError | undefined {
  if (err instanceof HowlError) return err;
  if (isDatabaseUnavailable(err))
    return new HowlError(
      503,
      'database_unavailable',
      'the database cannot be reached: nothing was stored, try again',
      {
        retryAfterS: RETRY_AFTER_S,
      },
    );
  return undefined;
}

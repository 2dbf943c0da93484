/** Node socket errors that mean the database server is unreachable or the connection broke. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * Server states that end or refuse a session: admin/crash shutdown, cannot connect now, too many
 * connections (SQLSTATE 57P01–57P03, 53300) and every connection exception (class 08).
 */
const SESSION_STATES = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Whether `error` says the connection to the database failed (nothing the statement did): a retry on a new
 * connection may succeed. Constraint violations, syntax errors and the like are not faults of this kind.
 */
export function isConnectionFault(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (
    typeof code === 'string' &&
    (SOCKET_CODES.has(code) || SESSION_STATES.has(code) || code.startsWith('08'))
  )
    return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    error.message,
  );
}

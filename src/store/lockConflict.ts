/**
 * True for an error the database raised to break a cycle of lock waits (`40P01` deadlock_detected) or a
 * serialization failure (`40001`): the transaction was rolled back and can simply run again.
 */
export function isLockConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}

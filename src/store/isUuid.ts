const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether `value` is a UUID in canonical text form. Repositories check ids with it first, so a malformed id
 * reads as "not found" instead of a database type error.
 */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

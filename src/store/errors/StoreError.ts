/**
 * What went wrong in the data layer, for mapping to a response: `not_found` → 404, `conflict` → 409,
 * `unavailable` → 503 (nothing was committed), `outcome_unknown` → 503 (the commit may have happened).
 */
export type StoreErrorCode = 'not_found' | 'conflict' | 'unavailable' | 'outcome_unknown';

/** The base of the errors the store throws on purpose; anything else is a fault. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** What went wrong in the data layer, for mapping to a response: `not_found` → 404, `conflict` → 409. */
export type StoreErrorCode = 'not_found' | 'conflict';

/** The base of the errors the store throws on purpose; anything else is a fault. */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

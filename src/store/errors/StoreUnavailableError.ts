import { StoreError } from './StoreError.js';

/** The database could not be reached, or dropped the connection, before anything was committed. */
export class StoreUnavailableError extends StoreError {
  constructor(cause: unknown) {
    super('unavailable', 'The database is unreachable; nothing was changed. Retry shortly.', { cause });
    this.name = 'StoreUnavailableError';
  }
}

/**
 * The connection dropped while COMMIT was on its way and the transaction's fate could not be read back: the
 * change may or may not have been committed: read the resource before a retry (see the Idempotency-Key limit in
 * the README).
 */
export class CommitOutcomeUnknownError extends StoreError {
  constructor(cause: unknown) {
    super(
      'outcome_unknown',
      'The database connection dropped during the commit; the change may have been applied. Read the resource to see before you retry.',
      { cause },
    );
    this.name = 'CommitOutcomeUnknownError';
  }
}

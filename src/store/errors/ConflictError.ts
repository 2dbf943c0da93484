import { StoreError } from './StoreError.js';

/** The change is not possible in the record's current state (e.g. cancelling a shipped order). */
export class ConflictError extends StoreError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}

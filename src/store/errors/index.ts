export { ConflictError } from './ConflictError.js';
export { InsufficientStockError } from './InsufficientStockError.js';
export { NotFoundError, type StoreEntity } from './NotFoundError.js';
export { StoreError, type StoreErrorCode } from './StoreError.js';
export { CommitOutcomeUnknownError, StoreUnavailableError } from './StoreUnavailableError.js';

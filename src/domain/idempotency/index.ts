export type { StoredResponse } from '../../store/index.js';
export {
  createIdempotencyService,
  DEFAULT_IDEMPOTENCY_KEY_TTL_SECONDS,
  DEFAULT_IDEMPOTENCY_LEASE_SECONDS,
  type IdempotencyClaim,
  IdempotencyClaimLostError,
  type IdempotencyDecision,
  type IdempotencyOptions,
  type IdempotencyService,
  type IdempotentRequest,
} from './idempotencyService.js';
export { requestFingerprint } from './requestFingerprint.js';

export {
  type AuthSettings,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  DEFAULT_SCOPES_CLAIM,
  DEV_AUTH,
  HMAC_ALGORITHMS,
  PUBLIC_KEY_ALGORITHMS,
  type VerificationKey,
} from '../../config/index.js';
export { authenticateStream } from './authenticateStream.js';
export { type Auth, type AuthHooks, createAuth } from './createAuth.js';
export type { DevToken, DevTokenIssuer } from './devTokenIssuer.js';
export type { Principal } from './Principal.js';
export { requireScopes } from './requireScopes.js';
export { requireUser } from './requireUser.js';
export type { TokenVerifier } from './tokenVerifier.js';

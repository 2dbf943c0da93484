export {
  type AuthSettings,
  DEFAULT_AUDIENCE,
  DEFAULT_ISSUER,
  DEFAULT_SCOPES_CLAIM,
  DEV_AUTH,
  HMAC_ALGORITHMS,
  PUBLIC_KEY_ALGORITHMS,
  type VerificationKey,
} from './AuthSettings.js';
export { type AuthConfig, readAuthConfig } from './authConfig.js';
export { ConfigError } from './ConfigError.js';
export {
  type Config,
  type ConnectionLimits,
  type Limits,
  type ProxyConfig,
  readConfig,
  type TlsConfig,
} from './readConfig.js';

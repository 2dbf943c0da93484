export { DomainError, type DomainErrorCode } from './DomainError.js';
export { createServices, type Services } from './services.js';

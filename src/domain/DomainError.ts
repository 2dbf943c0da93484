/**
 * What went wrong in a use case, for mapping to a response: `not_found` → 404, `conflict` → 409,
 * `upstream_failed` (a service the use case relies on failed) → 502.
 */
export type DomainErrorCode = 'not_found' | 'conflict' | 'upstream_failed';

/** A use case refused on purpose; anything else thrown is a fault. */
export class DomainError extends Error {
  readonly code: DomainErrorCode;

  constructor(code: DomainErrorCode, message: string) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
  }
}

export const notFound = (entity: string, id: string): DomainError =>
  new DomainError('not_found', `No ${entity} has the id ${JSON.stringify(id)}.`);

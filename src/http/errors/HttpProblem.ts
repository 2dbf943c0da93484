import type { components } from '../../../generated/openapi.js';

export type FieldError = components['schemas']['FieldError'];
export type ProblemBody = components['schemas']['Problem'];

export type ProblemCode =
  | 'validation_error'
  | 'not_found'
  | 'conflict'
  | 'not_acceptable'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'internal_error';

/**
 * An error answered as RFC 9457 `application/problem+json` before any response bytes are written.
 * `type` is `/problems/<code with dashes>`.
 */
export class HttpProblem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly title: string;
  readonly errors: readonly FieldError[] | undefined;

  constructor(
    code: ProblemCode,
    status: number,
    title: string,
    detail: string,
    errors?: readonly FieldError[],
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.code = code;
    this.status = status;
    this.title = title;
    this.errors = errors;
  }

  toBody(instance: string): ProblemBody {
    return {
      type: `/problems/${this.code.replaceAll('_', '-')}`,
      title: this.title,
      status: this.status,
      detail: this.message,
      instance: instance.slice(0, 2000),
      ...(this.errors && this.errors.length > 0 ? { errors: [...this.errors] } : {}),
    };
  }
}

import type { components } from '../../../generated/openapi.js';

export type FieldError = components['schemas']['FieldError'];
export type ProblemBody = components['schemas']['Problem'];

export type ProblemCode =
  | 'validation_error'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'idempotency_key_in_flight'
  | 'idempotency_key_answer_lost'
  | 'idempotency_key_reused'
  | 'not_acceptable'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'too_many_requests'
  | 'request_header_fields_too_large'
  | 'request_timeout'
  | 'bad_request'
  | 'not_implemented'
  | 'bad_gateway'
  | 'unavailable'
  | 'outcome_unknown'
  | 'internal_error';

/** A code point that may not appear as is in a URI reference (RFC 3986), or a `%` that starts no escape. */
const NOT_IN_URI = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9._~!$&'()*+,;=:@/?%-]/gu;
const utf8 = new TextEncoder();

/**
 * The request target as a valid `uri-reference` of at most 2000 characters (the Problem schema's `instance`):
 * a raw target may hold `|`, `[`, a lone `%`..., which are percent-encoded, and the cut never splits an escape.
 */
function uriReference(target: string): string {
  const encoded = target.replace(NOT_IN_URI, (char) =>
    Array.from(utf8.encode(char), (byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );
  return encoded.slice(0, 2000).replace(/%[0-9A-Fa-f]?$/, '');
}

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
      detail: this.message.slice(0, 2000),
      instance: uriReference(instance),
      ...(this.errors && this.errors.length > 0 ? { errors: [...this.errors] } : {}),
    };
  }
}

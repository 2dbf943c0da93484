import { type FieldError, HttpProblem } from './HttpProblem.js';

/** 400: the request's parameters, headers or body do not match the OpenAPI document. */
export class ValidationProblem extends HttpProblem {
  constructor(errors: readonly FieldError[]) {
    const first = errors[0];
    const summary = first
      ? `${first.in} ${first.pointer || '(root)'} ${first.message}`
      : 'the request is not valid';
    super(
      'validation_error',
      400,
      'Request is not valid',
      `Invalid request: ${summary}.`,
      errors.slice(0, 100),
    );
    this.name = 'ValidationProblem';
  }
}

import { HttpProblem } from './HttpProblem.js';

/** 429: a limit of this client (or of the server) is reached; answered with `Retry-After`. */
export class TooManyRequestsProblem extends HttpProblem {
  /** Seconds the client should wait, sent as `Retry-After`. */
  readonly retryAfterSeconds: number;

  constructor(detail: string, retryAfterSeconds: number) {
    super('too_many_requests', 429, 'Too many requests', detail);
    this.name = 'TooManyRequestsProblem';
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

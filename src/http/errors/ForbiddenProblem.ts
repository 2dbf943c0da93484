import { HttpProblem } from './HttpProblem.js';

/** 403: the credentials are valid, but do not allow this request (e.g. an order for another user). */
export class ForbiddenProblem extends HttpProblem {
  constructor(detail: string) {
    super('forbidden', 403, 'Forbidden', detail);
    this.name = 'ForbiddenProblem';
  }
}

import { HttpProblem } from './HttpProblem.js';

/** 404: no resource with that id. */
export class NotFoundProblem extends HttpProblem {
  constructor(detail: string) {
    super('not_found', 404, 'Not found', detail);
    this.name = 'NotFoundProblem';
  }
}

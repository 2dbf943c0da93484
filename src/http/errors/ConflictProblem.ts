import { HttpProblem } from './HttpProblem.js';

/** 409: the change is not possible in the resource's current state. */
export class ConflictProblem extends HttpProblem {
  constructor(detail: string) {
    super('conflict', 409, 'Conflict', detail);
    this.name = 'ConflictProblem';
  }
}

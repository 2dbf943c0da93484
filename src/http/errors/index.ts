export { ConflictProblem } from './ConflictProblem.js';
export { type FieldError, HttpProblem, type ProblemBody, type ProblemCode } from './HttpProblem.js';
export { NotFoundProblem } from './NotFoundProblem.js';
export { TooManyRequestsProblem } from './TooManyRequestsProblem.js';
export { ValidationProblem } from './ValidationProblem.js';

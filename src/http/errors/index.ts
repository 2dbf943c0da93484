export { AuthenticationProblem, type BearerError } from './AuthenticationProblem.js';
export { ConflictProblem } from './ConflictProblem.js';
export { ForbiddenProblem } from './ForbiddenProblem.js';
export { type FieldError, HttpProblem, type ProblemBody, type ProblemCode } from './HttpProblem.js';
export { NotFoundProblem } from './NotFoundProblem.js';
export { TooManyRequestsProblem } from './TooManyRequestsProblem.js';
export { ValidationProblem } from './ValidationProblem.js';

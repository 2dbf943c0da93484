import { expect } from 'vitest';
import type { operations as OperationTypes } from '../../generated/openapi.js';
import { type OperationId, operations } from '../../generated/operations.js';
import openapi from '../../generated/specs/openapi.json' with { type: 'json' };
import { Problem, type ValidateFunction } from '../../generated/validators/schemas.js';

interface SpecResponse {
  $ref?: string;
  content?: Record<string, unknown>;
}
interface Spec {
  paths: Record<string, Record<string, { responses: Record<string, SpecResponse> }>>;
  components: { responses: Record<string, SpecResponse> };
}
const spec = openapi as unknown as Spec;

type Responses<Op extends OperationId> = OperationTypes[Op]['responses'];
/** A documented status of an operation, e.g. `200 | 400 | 404` for `getPet`. */
export type DocumentedStatus<Op extends OperationId> = keyof Responses<Op> & number;
type BodyOf<R> = R extends { content: infer C } ? C[keyof C] : never;
/** The body the spec declares for an operation's response with this status. */
export type ResponseBody<Op extends OperationId, S extends DocumentedStatus<Op>> = BodyOf<Responses<Op>[S]>;

/** The media type the bundled OpenAPI document declares for one response of an operation. */
function declaredMediaType(operationId: OperationId, status: number): string | undefined {
  const { method, path } = operations[operationId];
  let response = spec.paths[path]?.[method.toLowerCase()]?.responses[String(status)];
  if (response?.$ref) response = spec.components.responses[response.$ref.split('/').pop()!];
  return Object.keys(response?.content ?? {})[0];
}

/** A response's media type without parameters (`application/json; charset=utf-8` → `application/json`). */
export function mediaType(response: Response): string | undefined {
  return response.headers.get('content-type')?.split(';')[0]?.trim();
}

function expectBody(validate: ValidateFunction, body: unknown, what: string): void {
  const valid = validate(body);
  expect(
    valid,
    `${what} does not match its schema: ${JSON.stringify(validate.errors)}\n${JSON.stringify(body)}`,
  ).toBe(true);
}

/**
 * Asserts that a response is one the OpenAPI document declares for the operation: its status is documented
 * (and equals `status` when given), its Content-Type is the declared media type, and its body passes the
 * generated validator for that status. Returns the parsed body, typed after the spec.
 */
export async function expectMatchesSpec<
  Op extends OperationId,
  S extends DocumentedStatus<Op> = DocumentedStatus<Op>,
>(operationId: Op, response: Response, status?: S): Promise<ResponseBody<Op, S>> {
  const text = await response.text();
  const what = `${operationId} ${response.status}`;
  if (status !== undefined) expect(response.status, `${what}: ${text}`).toBe(status);
  const validators = operations[operationId].responses as Record<string, ValidateFunction | undefined>;
  const validate = validators[String(response.status)];
  expect(validate, `${what} is not a documented response: ${text}`).toBeDefined();
  expect(mediaType(response), what).toBe(declaredMediaType(operationId, response.status));
  const body: unknown = JSON.parse(text);
  expectBody(validate!, body, what);
  if (response.status >= 400) expect((body as ProblemBody).status, what).toBe(response.status);
  return body as ResponseBody<Op, S>;
}

export type ProblemBody = ResponseBody<'getPet', 404>;

/**
 * Asserts an `application/problem+json` answer with this status whose body is a valid Problem, for answers the
 * spec has no operation or status for (an unknown route, 405, 413, 415). Returns the problem.
 */
export async function expectProblem(response: Response, status: number): Promise<ProblemBody> {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(mediaType(response)).toBe('application/problem+json');
  const body: unknown = JSON.parse(text);
  expectBody(Problem, body, `problem ${status}`);
  expect((body as ProblemBody).status).toBe(status);
  return body as ProblemBody;
}

import type { Context } from 'koa';
import type { ValidateFunction, ValidationError } from '../../../generated/validators/schemas.js';
import { type FieldError, HttpProblem, ValidationProblem } from '../errors/index.js';

/** The validators codegen emits for one operation (see generated/operations.ts). */
export interface OperationValidators {
  readonly query?: ValidateFunction;
  readonly params?: ValidateFunction;
  readonly body?: ValidateFunction;
  readonly bodyRequired: boolean;
  /** Its integer query and path parameters; `signed` when a leading `-` is allowed. */
  readonly integers?: readonly {
    readonly name: string;
    readonly in: 'query' | 'path';
    readonly signed: boolean;
  }[];
}

/** Plain decimal digits, at most 15 (every such number is exact in a double): no sign, space, `0x` or `e`. */
const UNSIGNED = /^[0-9]{1,15}$/;
const SIGNED = /^-?[0-9]{1,15}$/;

/**
 * Turns the integer parameters of `values` (strings as sent) into numbers in place, from plain decimal digits
 * only (a leading `-` when `signed`); anything else (`Infinity`, `NaN`, `0x10`, `1e2`, `+1`, spaces, more
 * than 15 digits) is a field error, and the range is the validator's to check.
 */
function integersIn(
  location: 'query' | 'path',
  values: Record<string, unknown>,
  integers: OperationValidators['integers'] = [],
): FieldError[] {
  const errors: FieldError[] = [];
  for (const integer of integers) {
    const raw = values[integer.name];
    if (integer.in !== location || typeof raw !== 'string') continue;
    if ((integer.signed ? SIGNED : UNSIGNED).test(raw)) {
      values[integer.name] = Number(raw);
      continue;
    }
    const form = integer.signed ? 'decimal digits, with a leading - if negative' : 'decimal digits only';
    errors.push({ in: location, pointer: `/${integer.name}`, message: `must be a whole number in ${form}` });
  }
  return errors;
}

/** The validator's errors, but for the fields already refused (an integer not in decimal digits). */
const besides = (refused: readonly FieldError[], errors: FieldError[]): FieldError[] =>
  errors.filter((error) => !refused.some((field) => field.pointer === error.pointer));

/** Largest JSON body accepted: 64 KiB. */
export const MAX_BODY_BYTES = 64 * 1024;

function fieldErrors(
  location: FieldError['in'],
  errors: readonly ValidationError[] | null | undefined,
): FieldError[] {
  return (errors ?? []).map((error) => {
    const missing = error.params.missingProperty;
    const extra = error.params.additionalProperty;
    const pointer =
      typeof missing === 'string'
        ? `${error.instancePath}/${missing}`
        : typeof extra === 'string'
          ? `${error.instancePath}/${extra}`
          : error.instancePath;
    const message =
      typeof extra === 'string'
        ? 'is not an allowed property'
        : typeof missing === 'string'
          ? 'is required'
          : (error.message ?? 'is not valid');
    return { in: location, pointer: pointer.slice(0, 500), message: message.slice(0, 500) };
  });
}

const LONE_SURROGATE = /\p{Surrogate}/u;

/**
 * The strings of a valid body that the database cannot store as sent, as field errors: text columns refuse
 * NUL, and half of a surrogate pair has no UTF-8 form (it would silently become U+FFFD).
 */
function unstorableStrings(value: unknown, pointer: string): FieldError[] {
  if (typeof value === 'string') {
    return value.includes('\u0000') || LONE_SURROGATE.test(value)
      ? [{ in: 'body', pointer, message: 'must not contain NUL or unpaired surrogate characters' }]
      : [];
  }
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, item]) =>
    unstorableStrings(item, `${pointer}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`),
  );
}

/** Query values as strings; a parameter given twice is refused, since none of ours is a list. */
function queryObject(ctx: Context): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(ctx.query)) {
    if (Array.isArray(value))
      throw new ValidationProblem([{ in: 'query', pointer: `/${name}`, message: 'must be given once' }]);
    out[name] = value;
  }
  return out;
}

async function readJson(ctx: Context): Promise<unknown> {
  // Not ctx.request.is(): it sees no body without Content-Length or Transfer-Encoding, and an HTTP/2 request
  // need not send Content-Length (its body ends with the stream).
  if (ctx.request.type.trim().toLowerCase() !== 'application/json') {
    throw new HttpProblem(
      'unsupported_media_type',
      415,
      'Unsupported media type',
      'Send the body as application/json.',
    );
  }
  const declared = Number(ctx.get('content-length') || 0);
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped rather than the request destroyed mid-body, so the 413 goes
  // out on a sound connection; HTTP_BODY_TIMEOUT_MS bounds how long a body may keep coming.
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw tooLarge();
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new ValidationProblem([{ in: 'body', pointer: '', message: 'is not valid JSON' }]);
  }
}

const tooLarge = () =>
  new HttpProblem(
    'payload_too_large',
    413,
    'Payload too large',
    `The body must be at most ${MAX_BODY_BYTES} bytes.`,
  );

/**
 * Validates the path parameters, query and JSON body of a request against its operation's generated
 * validators. Integer parameters are read from plain decimal digits only (`"5"` → 5; `"0x5"`, `"5e0"`,
 * `" 5"`, `"Infinity"` are refused), then checked against their range; defaults are filled; a closed query refuses a
 * parameter it does not declare. Throws a 400 problem listing every invalid field, 413 for a body over 64 KiB,
 * 415 for a body that is not JSON. `OperationRouter` types what it returns from the operation.
 */
export async function validateRequest(
  ctx: Context,
  operation: OperationValidators,
): Promise<{ query: Record<string, unknown>; params: Record<string, unknown>; body: unknown }> {
  const errors: FieldError[] = [];
  const query = queryObject(ctx);
  const queryIntegers = integersIn('query', query, operation.integers);
  errors.push(...queryIntegers);
  if (operation.query && !operation.query(query))
    errors.push(...besides(queryIntegers, fieldErrors('query', operation.query.errors)));
  const params: Record<string, unknown> = { ...(ctx.params as Record<string, string>) };
  const pathIntegers = integersIn('path', params, operation.integers);
  errors.push(...pathIntegers);
  if (operation.params && !operation.params(params))
    errors.push(...besides(pathIntegers, fieldErrors('path', operation.params.errors)));
  let body: unknown;
  if (operation.body && (operation.bodyRequired || ctx.request.length)) {
    body = await readJson(ctx);
    if (!operation.body(body)) errors.push(...fieldErrors('body', operation.body.errors));
    else errors.push(...unstorableStrings(body, ''));
  }
  if (errors.length > 0) throw new ValidationProblem(errors);
  return { query, params, body };
}

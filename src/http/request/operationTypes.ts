import type { operations as Spec } from '../../../generated/openapi.js';
import type { OperationId, operations } from '../../../generated/operations.js';

type Parameters<Id extends OperationId> = Spec[Id]['parameters'];
type Present<T> = [T] extends [never]
  ? Record<string, never>
  : [T] extends [undefined]
    ? Record<string, never>
    : T;

/** The path parameters of an operation, as validated (`{}` when it has none). */
export type PathParams<Id extends OperationId> = Present<NonNullable<Parameters<Id>['path']>>;

/** The query parameters that the generated validator fills with their declared defaults. */
type Defaulted<Id extends OperationId> = (typeof operations)[Id]['queryDefaults'][number];

/** The query parameters that carry a credential (an `apiKey` security scheme `in: query`). */
type Credentials<Id extends OperationId> = (typeof operations)[Id]['queryCredentials'][number];

/**
 * The query of an operation, as validated: every declared parameter, those with a default always present,
 * and the credentials it accepts in the query (e.g. a stream `ticket`), checked by authentication.
 */
export type QueryParams<Id extends OperationId> =
  Present<NonNullable<Parameters<Id>['query']>> extends infer Q
    ? Q & { [K in Defaulted<Id> & keyof Q]-?: NonNullable<Q[K]> } & { [K in Credentials<Id>]?: string }
    : never;

type JsonBody<B> = B extends { content: { 'application/json': infer J } } ? J : undefined;

/** The JSON body of an operation, as validated: `undefined` when it takes none (or may be sent without one). */
export type RequestBody<Id extends OperationId> = undefined extends Spec[Id]['requestBody']
  ? JsonBody<NonNullable<Spec[Id]['requestBody']>> | undefined
  : JsonBody<Spec[Id]['requestBody']>;

/** Headers a handler adds to its answer. */
export type AnswerHeaders = Readonly<Record<string, string>>;

type EVENT_STREAM = 'text/event-stream';

/** What a handler may answer with one declared response: its status and a body of one of its media types. */
type AnswerOf<S, R> = R extends { content: infer C }
  ?
      | { [M in Exclude<keyof C, EVENT_STREAM>]: { status: S; body: C[M]; headers?: AnswerHeaders } }[Exclude<
          keyof C,
          EVENT_STREAM
        >]
      // biome-ignore lint/suspicious/noConfusingVoidType: a stream's handler answers by itself and returns nothing.
      | (EVENT_STREAM extends keyof C ? void : never)
  : { status: S; body?: undefined; headers?: AnswerHeaders };

/**
 * What the handler of an operation returns: one of its declared responses (status and body); nothing
 * (`void`) only for a stream, which answers by itself. Refusals are thrown as `HttpProblem`s.
 */
export type OperationAnswer<Id extends OperationId> = {
  [S in keyof Spec[Id]['responses']]: AnswerOf<S, Spec[Id]['responses'][S]>;
}[keyof Spec[Id]['responses']];

/** A request of an operation once validated against the spec. */
export interface OperationRequest<Id extends OperationId> {
  readonly params: PathParams<Id>;
  readonly query: QueryParams<Id>;
  readonly body: RequestBody<Id>;
}

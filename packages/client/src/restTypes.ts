import type { components, paths } from '../../../generated/openapi.js';

/** An RFC 9457 problem details body, as every error of this API is answered. */
export type Problem = components['schemas']['Problem'];

/** The HTTP methods the client offers, in OpenAPI's lower case. */
export type HttpMethod = 'get' | 'put' | 'post' | 'patch' | 'delete';

type Defined<T> = Exclude<T, undefined>;
type Simplify<T> = { [K in keyof T]: T[K] };
type EmptyObject = Record<never, never>;
type RequiredKeys<T> = { [K in keyof T]-?: EmptyObject extends Pick<T, K> ? never : K }[keyof T];

/** The OpenAPI operation behind `method path`, or `never` if the path has no such method. */
export type Operation<P extends keyof paths, M extends HttpMethod> = Extract<
  paths[P][M],
  { responses: unknown }
>;

type Responses<Op> = Op extends { responses: infer R } ? R : never;
type StatusesWith<Op, Media extends string> = {
  [S in keyof Responses<Op>]: Responses<Op>[S] extends { content: { [K in Media]: unknown } } ? S : never;
}[keyof Responses<Op>];

/**
 * The paths that have an operation for `method`, except stream-only operations: those are read with
 * `subscribe`. (An operation that answers JSON or a stream, such as `POST /v1/chat/completions`, stays: call
 * it for its JSON answer.)
 */
export type PathsWithMethod<M extends HttpMethod> = {
  [P in keyof paths]: [Operation<P, M>] extends [never]
    ? never
    : [StatusesWith<Operation<P, M>, 'text/event-stream'>] extends [never]
      ? P
      : [StatusesWith<Operation<P, M>, 'application/json'>] extends [never]
        ? never
        : P;
}[keyof paths];

type OperationParameters<Op> = Op extends { parameters: infer P } ? P : EmptyObject;
type ParameterGroup<P, K extends 'path' | 'query'> = K extends keyof P
  ? [Defined<P[K]>] extends [never]
    ? EmptyObject
    : EmptyObject extends Pick<P, K>
      ? { [G in K]?: Defined<P[K]> }
      : { [G in K]: Defined<P[K]> }
  : EmptyObject;

/** `{ path, query }` of an operation, each present only if the operation has such parameters. */
export type ParamsOf<Op> = Simplify<
  ParameterGroup<OperationParameters<Op>, 'path'> & ParameterGroup<OperationParameters<Op>, 'query'>
>;

type ParamsField<Op> = [keyof ParamsOf<Op>] extends [never]
  ? { params?: never }
  : [RequiredKeys<ParamsOf<Op>>] extends [never]
    ? { params?: ParamsOf<Op> }
    : { params: ParamsOf<Op> };

type RequestBody<Op> = Op extends { requestBody?: infer B } ? Defined<B> : never;
type JsonContent<B> = B extends { content: { 'application/json': infer T } } ? T : never;
type BodyField<Op> = [RequestBody<Op>] extends [never]
  ? { body?: never }
  : Op extends { requestBody: unknown }
    ? { body: JsonContent<RequestBody<Op>> }
    : { body?: JsonContent<RequestBody<Op>> };

/** Per-call options: `params` and `body` typed by the operation, plus headers and an abort signal. */
export type RequestOptions<Op> = Simplify<
  ParamsField<Op> & BodyField<Op> & { headers?: HeadersInit; signal?: AbortSignal }
>;

/** The options argument: required when the operation has a required parameter or body. */
export type RequestArgs<Op> = [RequiredKeys<RequestOptions<Op>>] extends [never]
  ? [options?: RequestOptions<Op>]
  : [options: RequestOptions<Op>];

type SuccessStatus = 200 | 201 | 202 | 203 | 204 | 206;
type ResponseData<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;

/** The JSON body of the operation's 2xx responses (`undefined` for a response without one). */
export type SuccessData<Op> = {
  [S in keyof Responses<Op>]: S extends SuccessStatus ? ResponseData<Responses<Op>[S]> : never;
}[keyof Responses<Op>];

/** Either the 2xx body as `data`, or the problem body as `error`; `response` is there for headers and status. */
export type FetchResult<T> =
  | { data: T; error?: never; response: Response }
  | { data?: never; error: Problem; response: Response };

/** A typed REST call, e.g. `client.GET('/v1/pets/{petId}', { params: { path: { petId } } })`. */
export type RestCall<M extends HttpMethod> = <P extends PathsWithMethod<M>>(
  path: P,
  ...options: RequestArgs<Operation<P, M>>
) => Promise<FetchResult<SuccessData<Operation<P, M>>>>;

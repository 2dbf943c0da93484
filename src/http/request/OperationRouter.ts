import Router from '@koa/router';
import type { Context } from 'koa';
import { type IdempotentWrite, idempotentWrites } from '../../../generated/idempotentWrites.js';
import { type OperationId, operations } from '../../../generated/operations.js';
import type { Auth } from '../auth/createAuth.js';
import { requireScopes } from '../auth/requireScopes.js';
import type { IdempotentWrites } from './IdempotentWrites.js';
import { operationPath } from './operationPath.js';
import type { OperationAnswer, OperationRequest } from './operationTypes.js';
import { validateRequest } from './validateRequest.js';

/** Answers one validated request of operation `Id` (the Koa context is there for headers and streams). */
export type OperationHandler<Id extends OperationId> = (
  request: OperationRequest<Id>,
  ctx: Context,
) => Promise<OperationAnswer<Id>>;

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

const segmentsOf = (path: string) =>
  path
    .toLowerCase()
    .split('/')
    .filter((segment) => segment !== '');
const isParameter = (segment: string) => segment.startsWith('{');

/**
 * The spec's paths that are more concrete than `template` and match the same requests where they match: a
 * literal segment where `template` has a parameter (`/v1/inventory/stream` for `/v1/inventory/{petId}`).
 */
function concreteSiblings(template: string): string[][] {
  const own = segmentsOf(template);
  const paths = new Set(Object.values(operations).map((operation) => operation.path));
  return [...paths]
    .map(segmentsOf)
    .filter(
      (other) =>
        other.length === own.length &&
        other.some((segment, i) => isParameter(own[i]!) && !isParameter(segment)) &&
        other.every((segment, i) => segment === own[i] || isParameter(own[i]!) || isParameter(segment)),
    );
}

/** Whether a request path matches a path template's segments (a parameter matches any one segment). */
function matchesSegments(requestPath: string, template: readonly string[]): boolean {
  const segments = segmentsOf(requestPath);
  return (
    segments.length === template.length &&
    template.every((segment, i) => isParameter(segment) || segment === segments[i])
  );
}

const takesIdempotencyKey = (id: OperationId): id is IdempotentWrite => Object.hasOwn(idempotentWrites, id);

/** What an {@link OperationRouter} needs beyond its handlers. */
export interface OperationRouterOptions {
  /** Answers the operations that take an `Idempotency-Key` (required to route one of them). */
  idempotentWrites?: IdempotentWrites | undefined;
  /** Checks the access token of the operations that need scopes (required to route one of them). */
  auth?: Auth | undefined;
}

/**
 * A Koa router whose routes are the spec's operations: `on(operationId, handler)` takes the method and the
 * path from `generated/operations.ts`, validates the request against the operation and hands the handler its
 * typed path parameters, query and body; the handler's answer is typed by the operation's responses.
 */
export class OperationRouter {
  readonly router = new Router();
  readonly #ids: OperationId[] = [];
  readonly #idempotentWrites: IdempotentWrites | undefined;
  readonly #auth: Auth | undefined;

  constructor(options: OperationRouterOptions = {}) {
    this.#idempotentWrites = options.idempotentWrites;
    this.#auth = options.auth;
  }

  /** The operations routed so far. */
  get operationIds(): readonly OperationId[] {
    return this.#ids;
  }

  /**
   * Routes operation `id` at its method and path. The handler runs once the request passed the operation's
   * validators (400, 413 or 415 problem+json otherwise); its answer's status, headers and body are written
   * as given (a status the operation does not declare does not compile), or, for a stream, it answers by
   * itself and returns nothing. Routes match in the order they are added. An operation that takes an
   * `Idempotency-Key` runs through the router's `idempotentWrites` (see `IdempotentWrites`). An operation
   * whose security requirement lists scopes needs a bearer token carrying them, checked first, before the
   * body is read: 401 without a valid token, 403 without a scope (see `requireScopes`).
   */
  on<Id extends OperationId>(id: Id, handler: NoInfer<OperationHandler<Id>>): this {
    const operation = operations[id];
    const method = operation.method.toLowerCase() as Method;
    const idempotent = this.#idempotentWrites;
    if (takesIdempotencyKey(id) && !idempotent) {
      throw new Error(
        `${id} takes an Idempotency-Key: route it on an OperationRouter with idempotentWrites.`,
      );
    }
    const scopes: readonly string[] = operation.scopes;
    const auth = this.#auth;
    if (scopes.length > 0 && !auth) {
      throw new Error(
        `${id} needs the scopes ${scopes.join(', ')}: route it on an OperationRouter with auth.`,
      );
    }
    this.#ids.push(id);
    this.router[method](operation.koaPath, async (ctx) => {
      if (auth && scopes.length > 0) await requireScopes(ctx, auth, scopes);
      // The generated validators checked the request against this operation's schemas: it has its types.
      const request = (await validateRequest(ctx, operation)) as OperationRequest<Id>;
      const respond = async (): Promise<void> => {
        const answer = (await handler(request, ctx)) as
          | { status: number; body?: unknown; headers?: Readonly<Record<string, string>> }
          | undefined;
        if (answer === undefined) return;
        ctx.status = answer.status;
        if (answer.headers) ctx.set(answer.headers);
        if (answer.body !== undefined) ctx.body = answer.body;
      };
      if (!idempotent || !takesIdempotencyKey(id)) return respond();
      // `id` is one operation here, whose path parameters `request.params` are.
      const path = operationPath(id, request.params as never);
      await idempotent.answer(ctx, id, { path, body: request.body }, respond);
    });
    this.#yieldToConcreteSiblings(operation.path);
    return this;
  }

  /**
   * OpenAPI matches a concrete path before a templated one, but Koa's router lets `/v1/inventory/:petId` match
   * `/v1/inventory/stream` too: its method would show in that path's `Allow` and its handler would answer
   * there. The route just added stops matching the paths of its concrete siblings.
   */
  #yieldToConcreteSiblings(template: string): void {
    const siblings = concreteSiblings(template);
    if (siblings.length === 0) return;
    const layer = this.router.stack.at(-1)!;
    const matches = layer.match.bind(layer);
    layer.match = (path: string) =>
      matches(path) && !siblings.some((sibling) => matchesSegments(path, sibling));
  }
}

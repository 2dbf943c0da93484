import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { IdempotentWrite } from '../../../generated/idempotentWrites.js';
import {
  type IdempotencyClaim,
  IdempotencyClaimLostError,
  type IdempotencyService,
  requestFingerprint,
  type StoredResponse,
} from '../../domain/idempotency/index.js';
import { bearerToken } from '../auth/bearerToken.js';
import type { Auth } from '../auth/index.js';
import { HttpProblem, ValidationProblem } from '../errors/index.js';
import { answerWithProblem, toProblem } from '../middleware/problemMiddleware.js';
import { headerValues } from './headerValues.js';

/** The request header, and the answer header that marks a replay. */
const KEY_HEADER = 'idempotency-key';
const REPLAYED_HEADER = 'Idempotency-Replayed';

/** The spec's `IdempotencyKey` parameter: 1 to 255 visible ASCII characters. */
const KEY = /^[!-~]{1,255}$/;

/** The headers kept with an answer and replayed with it (the others describe this exchange only). */
const KEPT_HEADERS = ['content-type', 'location'] as const;

const REUSED = new HttpProblem(
  'idempotency_key_reused',
  422,
  'Idempotency key reused',
  'This Idempotency-Key was sent with another request; use a new key for a new request.',
);

const IN_FLIGHT = new HttpProblem(
  'idempotency_key_in_flight',
  409,
  'Idempotency key in flight',
  'The first request with this Idempotency-Key has not answered yet; retry it after Retry-After seconds.',
);

const ANSWER_LOST = new HttpProblem(
  'idempotency_key_answer_lost',
  409,
  'Idempotency key answer lost',
  'The first request with this Idempotency-Key was applied, but the server stopped before its answer was ' +
    'kept; it will not run again. Read the resource to see its result.',
);

/**
 * Answers kept for retries: what the write itself decided (2xx, and 4xx refusals of the request), except a
 * 401, which depends on the credentials sent rather than on the request. A 5xx changed nothing (503 says so)
 * and may succeed next time: its key is released.
 */
const keeps = (status: number): boolean => status >= 200 && status < 500 && status !== 401;

/** The request's key: `undefined` when it has none, a 400 problem when it is sent twice or malformed. */
function keyOf(ctx: Context): string | undefined {
  const values = headerValues(ctx.req, KEY_HEADER);
  if (values === undefined) return undefined;
  const key = values.length === 1 ? values[0]! : '';
  if (!KEY.test(key)) {
    const message = values.length === 1 ? 'must be 1 to 255 visible ASCII characters' : 'must be sent once';
    throw new ValidationProblem([{ in: 'header', pointer: '/Idempotency-Key', message }]);
  }
  return key;
}

/** The answer as it is about to be sent: the body becomes the exact text stored, so a replay is the same bytes. */
function captureAnswer(ctx: Context): StoredResponse {
  const headers: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = ctx.response.get(name);
    if (value) headers[name] = value;
  }
  const body = ctx.body;
  const text =
    body === undefined || body === null ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  if (text !== '') ctx.body = text;
  return { status: ctx.status, headers, body: text };
}

function replay(ctx: Context, response: StoredResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.set(REPLAYED_HEADER, 'true');
  if (response.body !== '') ctx.body = response.body;
}

/**
 * `Idempotency-Key` on the writes the spec gives it (`generated/idempotentWrites.ts`), shared by every
 * instance through the database: the first request with a key runs and its answer is kept; a retry with the
 * same key and the same request gets that answer again with `Idempotency-Replayed: true` and changes
 * nothing; the same key with another request is 422, and while the first has not answered, 409 with
 * `Retry-After`. A key is scoped to the operation and the user of a valid access token (none: '').
 */
export class IdempotentWrites {
  readonly #service: IdempotencyService;
  readonly #auth: Auth;
  readonly #logger: Logger | undefined;

  constructor(service: IdempotencyService, auth: Auth, logger?: Logger) {
    this.#service = service;
    this.#auth = auth;
    this.#logger = logger;
  }

  /**
   * Answers a validated request of `operationId` (path `path`, JSON body `body`): by `respond`, which sets the
   * answer on `ctx` or throws, when the request has no key or claims it; else from the key.
   */
  async answer(
    ctx: Context,
    operationId: IdempotentWrite,
    request: { path: string; body: unknown },
    respond: () => Promise<void>,
  ): Promise<void> {
    const key = keyOf(ctx);
    if (key === undefined) return respond();
    const decision = await this.#service.begin({
      operationId,
      principal: await this.#principal(ctx),
      key,
      fingerprint: requestFingerprint(ctx.method, request.path, request.body),
    });
    if (decision.kind === 'replay') return replay(ctx, decision.response);
    if (decision.kind === 'reused') throw REUSED;
    if (decision.kind === 'in_flight') throw IN_FLIGHT;
    if (decision.kind === 'answer_lost') throw ANSWER_LOST;
    await this.#run(ctx, decision.claim, respond);
  }

  async #run(ctx: Context, claim: IdempotencyClaim, respond: () => Promise<void>): Promise<void> {
    try {
      // The write marks the key applied in its own transaction: a committed change keeps its key held.
      await claim.run(respond);
    } catch (error) {
      // This request outlived its lease and a retry took the key: nothing was committed; the retry answers.
      if (error instanceof IdempotencyClaimLostError) throw IN_FLIGHT;
      const problem = toProblem(error);
      // The commit may have happened: the key stays held; if the write committed, its mark did too and the
      // key is never run again (409 answer lost once the lease runs out), else the next claim runs it.
      if (problem.code === 'outcome_unknown') throw error;
      if (!keeps(problem.status)) {
        await this.#release(claim);
        throw error;
      }
      answerWithProblem(ctx, problem);
    }
    if (!keeps(ctx.status)) return this.#release(claim);
    const answer = captureAnswer(ctx);
    // The write is done: its answer goes out even if it cannot be kept (the key then stays pending until
    // its lease runs out, and a retry after that runs again).
    const kept = await claim.finish(answer).catch((error: unknown) => {
      this.#logger?.error(
        { err: error, path: ctx.path },
        'the answer of an Idempotency-Key could not be kept',
      );
      return true;
    });
    if (!kept)
      this.#logger?.warn({ path: ctx.path }, 'an Idempotency-Key claim was taken over before it answered');
  }

  async #release(claim: IdempotencyClaim): Promise<void> {
    await claim.release().catch((error: unknown) => {
      // The failure is answered anyway; the key stays pending until its lease runs out.
      this.#logger?.warn({ err: error }, 'an Idempotency-Key claim could not be released');
    });
  }

  /** The subject of a valid access token, else ''; the write itself refuses bad credentials (401, not kept). */
  async #principal(ctx: Context): Promise<string> {
    try {
      const token = bearerToken(ctx);
      return token === undefined ? '' : (await this.#auth.verify(token)).userId;
    } catch {
      // Malformed or refused credentials: the handler answers 401 (never kept), so the scope does not matter.
      return '';
    }
  }
}

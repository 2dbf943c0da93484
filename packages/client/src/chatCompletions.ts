import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ChatCompletionChunk, StreamError } from '../../../generated/models.js';
import type { components } from '../../../generated/openapi.js';
import {
  ChatCompletionChunk as isChunk,
  ChatCompletionDone as isDone,
  Problem as isProblem,
  StreamError as isStreamError,
  type ValidationError,
} from '../../../generated/validators/schemas.js';

/** A question for the pet advisor; `stream` is set by {@link streamChatCompletion}. */
export type ChatCompletionRequest = Omit<components['schemas']['ChatCompletionRequest'], 'stream'>;
type Problem = components['schemas']['Problem'];

/** Where and how {@link streamChatCompletion} sends its request. */
export interface ChatCompletionStreamOptions {
  /** The server's origin (and path prefix, if any), e.g. `https://petstore.example`, or `''` for same-origin. */
  baseUrl: string;
  /** The `fetch` to call, e.g. one that adds credentials. Default: the global `fetch`. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** Extra request headers (e.g. `Authorization`). Default: none. */
  headers?: HeadersInit;
  /** Aborting it stops the answer: the request is cancelled and the iteration ends without an error. */
  signal?: AbortSignal;
}

/**
 * Why a chat stream failed: the server refused the request (`http_error`, with its RFC 9457 `problem`), sent a
 * frame that breaks the contract (`invalid_chunk`), ended the stream with `stream-error` (`stream_error`, with
 * its payload), or the response ended before `[DONE]` (`truncated`).
 */
export type ChatCompletionErrorCode = 'http_error' | 'invalid_chunk' | 'stream_error' | 'truncated';

/** Thrown by the iterator of {@link streamChatCompletion}; the answer is incomplete. */
export class ChatCompletionError extends Error {
  override readonly name = 'ChatCompletionError';
  readonly code: ChatCompletionErrorCode;
  /** The response status (for `http_error`). */
  readonly status: number | undefined;
  /** The RFC 9457 body of a refused request, when the server sent one. */
  readonly problem: Problem | undefined;
  /** The `stream-error` payload (for `stream_error`). */
  readonly streamError: StreamError | undefined;

  constructor(
    code: ChatCompletionErrorCode,
    message: string,
    details: { status?: number; problem?: Problem; streamError?: StreamError } = {},
  ) {
    super(message);
    this.code = code;
    this.status = details.status;
    this.problem = details.problem;
    this.streamError = details.streamError;
  }
}

const DONE = Symbol('[DONE]');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: the caller reports what it expected instead.
    return undefined;
  }
}

const describe = (errors: readonly ValidationError[] | null | undefined): string =>
  (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`).join('; ');

/** One frame as a validated chunk, or the end. Chunks and `[DONE]` are unnamed: they parse as no event. */
function decode(frame: EventSourceMessage): ChatCompletionChunk | typeof DONE {
  if (frame.event === 'stream-error') {
    const data = parseJson(frame.data);
    const streamError = isStreamError(data) ? (data as StreamError) : undefined;
    const why = streamError ? `${streamError.code}: ${streamError.message}` : frame.data.slice(0, 200);
    throw new ChatCompletionError('stream_error', `The server ended the chat stream (${why}).`, {
      ...(streamError ? { streamError } : {}),
    });
  }
  if (frame.event !== undefined && frame.event !== 'message') {
    throw new ChatCompletionError(
      'invalid_chunk',
      `The chat stream sent an undeclared event "${frame.event}".`,
    );
  }
  if (isDone(frame.data)) return DONE;
  const data = parseJson(frame.data);
  if (!isChunk(data)) {
    const why = data === undefined ? 'it is not JSON' : describe(isChunk.errors);
    throw new ChatCompletionError('invalid_chunk', `The chat stream sent an invalid chunk (${why}).`);
  }
  return data as ChatCompletionChunk;
}

async function* chunksOf(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const frames: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => frames.push(frame) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) throw new ChatCompletionError('truncated', 'The chat stream ended before [DONE].');
      parser.feed(decoder.decode(value, { stream: true }));
      for (const frame of frames.splice(0)) {
        const chunk = decode(frame);
        if (chunk === DONE || signal.aborted) return;
        yield chunk;
      }
    }
  } finally {
    // Not awaited, and a failure ignored: the body may already be closed; this only releases the connection.
    reader.cancel().catch(() => {});
  }
}

async function refusal(response: Response): Promise<ChatCompletionError> {
  const body = parseJson(await response.text().catch(() => ''));
  const problem = isProblem(body) ? (body as Problem) : undefined;
  const type = response.headers.get('content-type') ?? 'no content type';
  const why = problem ? `${problem.title}${problem.detail ? `: ${problem.detail}` : ''}` : type;
  return new ChatCompletionError(
    'http_error',
    `The chat request was refused with ${response.status} (${why}).`,
    {
      status: response.status,
      ...(problem ? { problem } : {}),
    },
  );
}

/**
 * Asks the pet advisor (`POST /v1/chat/completions` with `stream: true`) and yields each chunk of the answer
 * as it arrives, checked against the generated `ChatCompletionChunk` validator; the iteration ends at `[DONE]`.
 * POST-based, so it uses `fetch` (EventSource can only GET) and eventsource-parser; there is no reconnect, as
 * a completion cannot be resumed. Throws {@link ChatCompletionError}; leaving the loop early cancels the request.
 *
 * @example
 * for await (const chunk of streamChatCompletion({ baseUrl: '' }, { model: 'PET_ADVISOR_1', messages }))
 *   output.textContent += chunk.choices[0]?.delta.content ?? '';
 */
export async function* streamChatCompletion(
  options: ChatCompletionStreamOptions,
  request: ChatCompletionRequest,
): AsyncGenerator<ChatCompletionChunk, void, undefined> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort, { once: true });
  if (options.signal?.aborted) abort();
  const headers = new Headers(options.headers);
  headers.set('content-type', 'application/json');
  headers.set('accept', 'text/event-stream');
  const send = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
  try {
    const response = await send(`${options.baseUrl.replace(/\/+$/, '')}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...request, stream: true }),
      signal: controller.signal,
    });
    const type = response.headers.get('content-type') ?? '';
    if (response.status !== 200 || !type.startsWith('text/event-stream') || !response.body)
      throw await refusal(response);
    yield* chunksOf(response.body, controller.signal);
  } catch (error) {
    // Aborted by the caller: the answer was not wanted any more, which is not an error.
    if (options.signal?.aborted && !(error instanceof ChatCompletionError)) return;
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', abort);
    controller.abort();
  }
}

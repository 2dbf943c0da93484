import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ChatCompletionRequest, ChatResponder } from './ChatResponder.js';
import { ChatUpstreamError } from './ChatUpstreamError.js';

/** An OpenAI-compatible chat completions endpoint that answers instead of the built-in advisor. */
export interface ChatUpstream {
  /** Where to `POST` the conversation, e.g. `http://localhost:11434/v1/chat/completions`. */
  url: string;
  /** The model name sent upstream. Default: the requested model (`PET_ADVISOR_1`, `PET_ADVISOR_TURBO`). */
  model?: string | undefined;
  /** Sent as `Authorization: Bearer <apiKey>`. Default: no `Authorization` header. */
  apiKey?: string | undefined;
}

const SKIP = Symbol('skip');
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

async function post(upstream: ChatUpstream, request: ChatCompletionRequest, signal: AbortSignal) {
  const where = new URL(upstream.url).origin;
  let response: Response;
  try {
    response = await fetch(upstream.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'text/event-stream',
        ...(upstream.apiKey ? { authorization: `Bearer ${upstream.apiKey}` } : {}),
      },
      body: JSON.stringify({
        model: upstream.model ?? request.model,
        messages: request.messages,
        stream: true,
        ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
      }),
      signal,
    });
  } catch (error) {
    throw new ChatUpstreamError(`The upstream chat model at ${where} could not be reached: ${String(error)}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (response.status !== 200 || !type.startsWith('text/event-stream') || !response.body) {
    // Only releasing the connection: the body is not needed and may already be gone.
    await response.body?.cancel().catch(() => {});
    throw new ChatUpstreamError(
      `The upstream chat model at ${where} answered ${response.status} ${type || 'without a content type'} ` +
        'instead of 200 text/event-stream.',
    );
  }
  return response.body;
}

/** Our field names for what an upstream chunk says; fields we do not define (logprobs, refusal...) are dropped. */
function ourChoice(choice: unknown): unknown {
  if (!isObject(choice)) return choice;
  const delta = isObject(choice.delta)
    ? {
        ...(choice.delta.role == null ? {} : { role: choice.delta.role }),
        ...(choice.delta.content == null ? {} : { content: choice.delta.content }),
      }
    : choice.delta;
  return { index: choice.index, delta, finishReason: choice.finishReason ?? choice.finish_reason ?? null };
}

function choicesIn(frame: EventSourceMessage): unknown {
  if (frame.event !== undefined && frame.event !== 'message') {
    throw new ChatUpstreamError(
      `The upstream chat model sent event "${frame.event}": ${frame.data.slice(0, 200)}`,
    );
  }
  let chunk: unknown;
  try {
    chunk = JSON.parse(frame.data);
  } catch {
    throw new ChatUpstreamError(
      `The upstream chat model sent a chunk that is not JSON: ${frame.data.slice(0, 200)}`,
    );
  }
  const choices = isObject(chunk) ? chunk.choices : undefined;
  if (!Array.isArray(choices)) return choices;
  // A usage-only chunk (no choices) carries nothing of the answer.
  return choices.length === 0 ? SKIP : choices.map(ourChoice);
}

async function* choicesOf(body: ReadableStream<Uint8Array>, release: () => void): AsyncGenerator<unknown> {
  const frames: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => frames.push(frame) });
  const reader = body.getReader();
  const decoder = new TextDecoder();
  try {
    for (;;) {
      const { done, value } = await reader.read().catch((error: unknown) => {
        throw new ChatUpstreamError(`The upstream chat model's stream broke off: ${String(error)}`);
      });
      if (done) throw new ChatUpstreamError('The upstream chat model ended its stream without [DONE].');
      parser.feed(decoder.decode(value, { stream: true }));
      for (const frame of frames.splice(0)) {
        if (frame.data === '[DONE]') return;
        const choices = choicesIn(frame);
        if (choices !== SKIP) yield choices;
      }
    }
  } finally {
    release();
  }
}

/**
 * Forwards the conversation to an OpenAI-compatible endpoint (`stream: true`) and passes on the `choices` of
 * each chunk it streams back (parsed with eventsource-parser), `finish_reason` renamed `finishReason`. The
 * upstream request is aborted as soon as the answer is abandoned: `signal` aborted, iteration left, or a
 * failure. Everything it sends is still checked against `ChatCompletionChunk` before it is used.
 */
export function upstreamResponder(upstream: ChatUpstream): ChatResponder {
  return {
    async answer(request, signal) {
      const controller = new AbortController();
      const abort = () => controller.abort();
      signal.addEventListener('abort', abort, { once: true });
      if (signal.aborted) abort();
      const release = () => {
        signal.removeEventListener('abort', abort);
        controller.abort();
      };
      try {
        return choicesOf(await post(upstream, request, controller.signal), release);
      } catch (error) {
        release();
        throw error;
      }
    },
  };
}

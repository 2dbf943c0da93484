import { uuidv7 } from '../../store/index.js';
import type { CatalogSource } from '../recommendations/index.js';
import type { ChatCompletion, ChatCompletionRequest, ChatResponder } from './ChatResponder.js';
import type { Completion, UncheckedChunk } from './Completion.js';
import { collectCompletion } from './collectCompletion.js';
import { petAdvisor } from './petAdvisor.js';
import { type ChatUpstream, upstreamResponder } from './upstreamResponder.js';

/** Who answers the chat. Default: the built-in pet advisor. */
export interface ChatOptions {
  /** Forward every conversation to this OpenAI-compatible endpoint instead. Default: none. */
  upstream?: ChatUpstream | undefined;
  /** Answer with this responder instead of the advisor or the upstream (e.g. an instrumented one). */
  responder?: ChatResponder | undefined;
}

/** The pet advisor chat (`POST /v1/chat/completions`). */
export interface ChatService {
  /**
   * Starts an answer and resolves once it has started, so a model that cannot answer is reported (rejecting
   * with `ChatUpstreamError`) before a response is sent. Aborting `signal` stops the answer.
   */
  open(request: ChatCompletionRequest, signal: AbortSignal): Promise<Completion>;
  /** The whole answer as one `ChatCompletion`, every chunk validated; rejects with `ChatUpstreamError`. */
  complete(request: ChatCompletionRequest, signal: AbortSignal): Promise<ChatCompletion>;
}

async function* stamp(
  choices: AsyncIterable<unknown>,
  head: Omit<Completion, 'chunks'>,
): AsyncGenerator<UncheckedChunk> {
  const { id, created, model } = head;
  for await (const choice of choices)
    yield { id, object: 'chat.completion.chunk', created, model, choices: choice };
}

export function createChatService(catalog: CatalogSource, options: ChatOptions = {}): ChatService {
  const responder =
    options.responder ?? (options.upstream ? upstreamResponder(options.upstream) : petAdvisor(catalog));
  const open = async (request: ChatCompletionRequest, signal: AbortSignal): Promise<Completion> => {
    const head = {
      id: `chatcmpl_${uuidv7().replaceAll('-', '')}`,
      created: Math.floor(Date.now() / 1000),
      model: request.model,
    };
    return { ...head, chunks: stamp(await responder.answer(request, signal), head) };
  };
  return {
    open,
    complete: async (request, signal) => collectCompletion(await open(request, signal)),
  };
}

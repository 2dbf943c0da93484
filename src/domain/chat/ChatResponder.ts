import type { ChatCompletionChunk } from '../../../generated/models.js';
import type { components } from '../../../generated/openapi.js';

export type ChatCompletionRequest = components['schemas']['ChatCompletionRequest'];
export type ChatCompletion = components['schemas']['ChatCompletion'];
export type ChatCompletionChoice = ChatCompletionChunk['choices'][number];

/**
 * A model that answers a conversation. `answer` resolves once the answer has started (an upstream model
 * accepted the request; it rejects with `ChatUpstreamError` otherwise), then yields the `choices` of each chunk
 * as they are produced: the role first, then the content token by token, last an empty delta with the finish
 * reason. What an upstream sent is passed on unchecked (`unknown`): it is validated against
 * `ChatCompletionChunk` where it is used. Aborting `signal`, or leaving the iteration, stops the answer.
 */
export interface ChatResponder {
  answer(request: ChatCompletionRequest, signal: AbortSignal): Promise<AsyncIterable<unknown>>;
}

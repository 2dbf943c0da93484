import type { ChatFinishReason } from '../../../generated/models.js';
import type { ChatCompletion } from './ChatResponder.js';
import { ChatUpstreamError } from './ChatUpstreamError.js';
import type { Completion } from './Completion.js';
import { chunkProblems, isChatCompletionChunk } from './chatChunk.js';

/**
 * The whole answer as one `ChatCompletion`: the content of every chunk joined, and the last finish reason.
 * Each chunk is validated first; one that fails is never used and rejects with `ChatUpstreamError`.
 */
export async function collectCompletion(completion: Completion): Promise<ChatCompletion> {
  let content = '';
  let finishReason: ChatFinishReason = 'stop';
  for await (const chunk of completion.chunks) {
    if (!isChatCompletionChunk(chunk)) {
      throw new ChatUpstreamError(
        `The chat model sent a chunk that does not match ChatCompletionChunk (${chunkProblems()}); it was not used.`,
      );
    }
    const [choice] = chunk.choices;
    content += choice?.delta.content ?? '';
    if (choice?.finishReason) finishReason = choice.finishReason;
  }
  return {
    id: completion.id,
    object: 'chat.completion',
    created: completion.created,
    model: completion.model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finishReason }],
  };
}

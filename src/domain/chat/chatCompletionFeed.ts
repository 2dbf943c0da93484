import type { ChatCompletionsStreamEvents } from '../../../generated/events.js';
import type { StreamMessage } from '../../sse/index.js';
import { ChatUpstreamError } from './ChatUpstreamError.js';
import type { Completion } from './Completion.js';
import { chunkProblems, InvalidChunkError, isChatCompletionChunk } from './chatChunk.js';

type ChatStreamMessage = StreamMessage<ChatCompletionsStreamEvents>;

/**
 * The frames of a streamed completion: every chunk (ids `1`, `2`, ...), then `[DONE]`. When the model fails
 * midway (an upstream that breaks off, sends something that is not JSON, or ends without `[DONE]`), the stream
 * ends instead with `stream-error` (`unavailable`) at the last id, and no `[DONE]`. A chunk that does not match
 * ChatCompletionChunk rejects with InvalidChunkError (the stream ends with `stream-error` `invalid_frame`).
 */
export async function* chatCompletionMessages(completion: Completion): AsyncGenerator<ChatStreamMessage> {
  let position = 0;
  try {
    for await (const chunk of completion.chunks) {
      position += 1;
      // Checked here, so only a ChatCompletionChunk is typed as one; a chunk that fails is never sent and the
      // stream ends with stream-error invalid_frame (the EventStream checks every frame again as it writes).
      if (!isChatCompletionChunk(chunk)) throw new InvalidChunkError(position, chunkProblems());
      yield { event: 'chunk', data: chunk, id: String(position) };
    }
  } catch (error) {
    if (!(error instanceof ChatUpstreamError)) throw error;
    const data = { code: 'unavailable', message: error.message.slice(0, 500) } as const;
    yield { event: 'stream-error', data, id: String(position) };
    return;
  }
  yield { event: 'done', data: '[DONE]', id: String(position + 1) };
}

import type { ChatCompletionsStreamEvents } from '../../../generated/events.js';
import type { ChatCompletionChunk } from '../../../generated/models.js';
import type { StreamMessage } from '../../sse/index.js';
import { ChatUpstreamError } from './ChatUpstreamError.js';
import type { Completion } from './Completion.js';

type ChatStreamMessage = StreamMessage<ChatCompletionsStreamEvents>;

/**
 * The frames of a streamed completion: every chunk (ids `1`, `2`, ...), then `[DONE]`. When the model fails
 * midway (an upstream that breaks off, sends something that is not JSON, or ends without `[DONE]`), the stream
 * ends instead with `stream-error` (`unavailable`) at the last id, and no `[DONE]`.
 */
export async function* chatCompletionMessages(completion: Completion): AsyncGenerator<ChatStreamMessage> {
  let position = 0;
  try {
    for await (const chunk of completion.chunks) {
      position += 1;
      // Passed on unchecked: the EventStream validates every frame against ChatCompletionChunk and never
      // writes one that fails (the stream then ends with stream-error invalid_frame).
      yield { event: 'chunk', data: chunk as ChatCompletionChunk, id: String(position) };
    }
  } catch (error) {
    if (!(error instanceof ChatUpstreamError)) throw error;
    const data = { code: 'unavailable', message: error.message.slice(0, 500) } as const;
    yield { event: 'stream-error', data, id: String(position) };
    return;
  }
  yield { event: 'done', data: '[DONE]', id: String(position + 1) };
}

import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * The frames of one SSE response body, parsed by eventsource-parser as the bytes arrive; `retry:` values go
 * to `onRetry`, comments (heartbeats) are dropped. Ends when the body ends; rejects if reading fails.
 * [spec] "If the file ends in the middle of an event, before the final empty line, the incomplete event is
 * not dispatched."
 */
export async function* readFrames(
  body: ReadableStream<Uint8Array>,
  onRetry: (retryMs: number) => void,
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => parsed.push(frame), onRetry });
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      parser.feed(decoder.decode(value, { stream: true }));
      while (parsed.length > 0) yield parsed.shift()!;
    }
  } finally {
    // Not awaited, and a failure ignored: the body may already be closed or errored; cancelling only
    // makes sure the connection is released when the consumer stops early.
    reader.cancel().catch(() => {});
  }
}

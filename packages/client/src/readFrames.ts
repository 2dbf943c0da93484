import { createParser, type EventSourceMessage } from 'eventsource-parser';

/**
 * Finds the blocks that set an id without carrying data (`id: x` then a blank line): a browser's EventSource
 * takes their id as its last event id without dispatching an event, and eventsource-parser drops them. A
 * server sends one first, so a client that reconnects before the first event resumes from where it started.
 */
class IdOnlyBlocks {
  #rest = '';
  #afterCR = false;
  #id: string | undefined;
  #hasData = false;

  /** Feeds a chunk; calls `onId` for each id-only block it completes. */
  feed(chunk: string, onId: (id: string) => void): void {
    // A CRLF split across chunks: the LF that opens this chunk ends no second line.
    const fresh = this.#afterCR && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
    this.#afterCR = chunk.endsWith('\r');
    const lines = (this.#rest + fresh).split(/\r\n|\r|\n/);
    this.#rest = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (this.#id !== undefined && !this.#hasData) onId(this.#id);
        this.#id = undefined;
        this.#hasData = false;
      } else if (line.startsWith('data')) this.#hasData = true;
      else if (line === 'id' || line.startsWith('id:')) {
        const value = line.slice(3);
        const id = value.startsWith(' ') ? value.slice(1) : value;
        // [spec] an id containing NUL is ignored.
        if (!id.includes('\u0000')) this.#id = id;
      }
    }
  }
}

/**
 * The frames of one SSE response body, parsed by eventsource-parser as the bytes arrive; `retry:` values go
 * to `onRetry`, the id of a block without data to `onId`, comments (heartbeats) are dropped. Ends when the
 * body ends; rejects if reading fails.
 * [spec] "If the file ends in the middle of an event, before the final empty line, the incomplete event is
 * not dispatched."
 */
export async function* readFrames(
  body: ReadableStream<Uint8Array>,
  onRetry: (retryMs: number) => void,
  onId: (id: string) => void = () => {},
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const parsed: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (frame) => parsed.push(frame), onRetry });
  const idOnly = new IdOnlyBlocks();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      const chunk = decoder.decode(value, { stream: true });
      idOnly.feed(chunk, onId);
      parser.feed(chunk);
      while (parsed.length > 0) yield parsed.shift()!;
    }
  } finally {
    // Not awaited, and a failure ignored: the body may already be closed or errored; cancelling only
    // makes sure the connection is released when the consumer stops early.
    reader.cancel().catch(() => {});
  }
}

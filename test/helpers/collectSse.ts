import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** What a client parsed from an SSE stream, in order of arrival. */
export interface SseCapture {
  readonly events: EventSourceMessage[];
  readonly comments: string[];
  readonly retries: number[];
  /** Parser complaints (invalid retry, unknown field); empty for a well-formed stream. */
  readonly errors: string[];
}

/** An eventsource-parser fed by hand, recording everything it reports. */
export function sseRecorder(): { capture: SseCapture; feed(chunk: string): void } {
  const capture: SseCapture = { events: [], comments: [], retries: [], errors: [] };
  const parser = createParser({
    onEvent: (event) => capture.events.push(event),
    onComment: (comment) => capture.comments.push(comment),
    onRetry: (retry) => capture.retries.push(retry),
    onError: (error) => capture.errors.push(`${error.type}: ${error.message}`),
  });
  return { capture, feed: (chunk) => parser.feed(chunk) };
}

/** Parses SSE text given as one or more chunks (split anywhere, even inside a line). */
export function parseSse(chunks: string | Iterable<string>): SseCapture {
  const recorder = sseRecorder();
  for (const chunk of typeof chunks === 'string' ? [chunks] : chunks) recorder.feed(chunk);
  return recorder.capture;
}

/**
 * Reads an SSE response body until it ends or `until(capture)` holds, then cancels the body.
 * Default `until`: never, i.e. read to the end.
 */
export async function collectSse(
  body: ReadableStream<Uint8Array>,
  until: (capture: SseCapture) => boolean = () => false,
): Promise<SseCapture> {
  const recorder = sseRecorder();
  const decoder = new TextDecoder();
  const reader = body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return recorder.capture;
      recorder.feed(decoder.decode(value, { stream: true }));
      if (until(recorder.capture)) return recorder.capture;
    }
  } finally {
    await reader.cancel();
  }
}

/** One event inside an {@link EncodedFrame}: its name and its size in UTF-8 bytes, for metrics. */
export interface FrameEvent {
  readonly event: string;
  readonly bytes: number;
}

const CRLF = '\r\n';

/**
 * Encoded SSE text (one or more frames, a comment or a `retry:` line), validated and ready for the wire, with
 * its byte forms made once and kept: a broadcast writes the same object, so the same bytes, to every
 * subscriber, and no subscriber converts or measures it again.
 */
export class EncodedFrame {
  /** The SSE text, ending with the blank line that dispatches its last event. */
  readonly text: string;
  /** The id of the last event in it; undefined when it carries none (a comment, a `retry:`). */
  readonly lastId: string | undefined;
  /** The events in it, in order. */
  readonly events: readonly FrameEvent[];
  #utf8: Buffer | undefined;
  #chunk: Buffer | undefined;

  constructor(text: string, lastId?: string, events: readonly FrameEvent[] = []) {
    this.text = text;
    this.lastId = lastId;
    this.events = events;
  }

  /** One encoded event: `text` is its whole frame. */
  static event(text: string, event: string, id: string): EncodedFrame {
    const utf8 = Buffer.from(text, 'utf8');
    const frame = new EncodedFrame(text, id, [{ event, bytes: utf8.length }]);
    frame.#utf8 = utf8;
    return frame;
  }

  /** The frames one after another, as one (the last id is the last frame's that has one). */
  static join(frames: readonly EncodedFrame[]): EncodedFrame {
    if (frames.length === 1) return frames[0]!;
    let text = '';
    let lastId: string | undefined;
    const events: FrameEvent[] = [];
    for (const frame of frames) {
      text += frame.text;
      lastId = frame.lastId ?? lastId;
      events.push(...frame.events);
    }
    return new EncodedFrame(text, lastId, events);
  }

  /** The text as UTF-8. */
  get utf8(): Buffer {
    this.#utf8 ??= Buffer.from(this.text, 'utf8');
    return this.#utf8;
  }

  /** Its size in UTF-8 bytes. */
  get byteLength(): number {
    return this.utf8.length;
  }

  /**
   * The text as one chunk of HTTP/1.1 chunked transfer coding, for writing straight to a socket after the
   * response headers. [RFC 9112 §7.1] `chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF`, the size in hex.
   */
  get httpChunk(): Buffer {
    if (this.#chunk === undefined) {
      const body = this.utf8;
      const head = `${body.length.toString(16)}${CRLF}`;
      const chunk = Buffer.allocUnsafe(head.length + body.length + CRLF.length);
      chunk.write(head, 0, 'latin1');
      body.copy(chunk, head.length);
      chunk.write(CRLF, head.length + body.length, 'latin1');
      this.#chunk = chunk;
    }
    return this.#chunk;
  }
}

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
  #byteLength: number | undefined;
  #utf8: Buffer | undefined;
  #chunk: Buffer | undefined;

  constructor(text: string, lastId?: string, events: readonly FrameEvent[] = []) {
    this.text = text;
    this.lastId = lastId;
    this.events = events;
  }

  /** One encoded event: `text` is its whole frame. */
  static event(text: string, event: string, id: string): EncodedFrame {
    const bytes = Buffer.byteLength(text, 'utf8');
    const frame = new EncodedFrame(text, id, [{ event, bytes }]);
    frame.#byteLength = bytes;
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

  /** Its size in UTF-8 bytes. */
  get byteLength(): number {
    this.#byteLength ??= Buffer.byteLength(this.text, 'utf8');
    return this.#byteLength;
  }

  /** The text as UTF-8 (a view into {@link httpChunk} when that was made first: the bytes are kept once). */
  get utf8(): Buffer {
    this.#utf8 ??= Buffer.from(this.text, 'utf8');
    return this.#utf8;
  }

  /**
   * The text as one chunk of HTTP/1.1 chunked transfer coding, for writing straight to a socket after the
   * response headers. [RFC 9112 §7.1] `chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF`, the size in hex.
   */
  get httpChunk(): Buffer {
    if (this.#chunk === undefined) {
      const size = this.byteLength;
      const head = `${size.toString(16)}${CRLF}`;
      const chunk = Buffer.allocUnsafe(head.length + size + CRLF.length);
      chunk.write(head, 0, 'latin1');
      if (this.#utf8) this.#utf8.copy(chunk, head.length);
      else chunk.write(this.text, head.length, 'utf8');
      chunk.write(CRLF, head.length + size, 'latin1');
      this.#chunk = chunk;
      this.#utf8 ??= chunk.subarray(head.length, head.length + size);
    }
    return this.#chunk;
  }
}

/** One dispatched SSE event: its fields as the client sees them. */
export interface SseEvent {
  /** The `id:` of this event's block, `undefined` when it had none. */
  id: string | undefined;
  /** `message` when the block had no `event:` line. */
  event: string;
  data: string;
}

/** What a {@link HttpSseParser} reports, in order, for each response on its connection. */
export interface ResponseListener {
  /** The status line and headers arrived. */
  head(status: number): void;
  event(event: SseEvent): void;
  /** The body ended (chunked terminator or Content-Length reached): the connection may carry the next request. */
  end(): void;
  /** A block with an `id:` and no data (it moves a client's last event id without dispatching an event). */
  idOnly?(id: string): void;
}

/**
 * Reads HTTP/1.1 responses from a socket decoded as latin1 (one character per byte, so chunk sizes count
 * characters) and parses their bodies as Server-Sent Events. It makes no assumption about where TCP or the
 * server cut the bytes: a chunk may hold several frames, a frame may span chunks, a line may be split anywhere
 * (even between CR and LF). Line ends are LF, CRLF or CR as the SSE standard allows; an event is dispatched on
 * a blank line, only if it had a `data:` line; comments and `retry:` are skipped. Responses follow each other
 * on a kept-alive connection.
 */
export class HttpSseParser {
  readonly #listener: ResponseListener;
  #state: 'head' | 'chunked' | 'length' | 'until-close' = 'head';
  /** Unconsumed transport bytes: a partial head, or a partial chunk-size line / CRLF. */
  #carry = '';
  /** Chunked: data characters left in the current chunk; -1 before a size line, -2 before a chunk's CRLF. */
  #chunkLeft = -1;
  /** Content-Length bodies: characters still to come. */
  #bodyLeft = 0;
  /** An incomplete SSE line. */
  #line = '';
  #id: string | undefined;
  #event = '';
  #data: string[] = [];

  constructor(listener: ResponseListener) {
    this.#listener = listener;
  }

  feed(text: string): void {
    let input = this.#carry === '' ? text : this.#carry + text;
    this.#carry = '';
    while (input !== '') {
      if (this.#state === 'head') input = this.#head(input);
      else if (this.#state === 'chunked') input = this.#chunked(input);
      else if (this.#state === 'length') {
        const take = Math.min(this.#bodyLeft, input.length);
        this.#body(input.slice(0, take));
        this.#bodyLeft -= take;
        input = input.slice(take);
        if (this.#bodyLeft === 0) this.#endBody();
      } else {
        this.#body(input);
        input = '';
      }
    }
  }

  #head(input: string): string {
    const end = input.indexOf('\r\n\r\n');
    if (end < 0) {
      this.#carry = input;
      return '';
    }
    const head = input.slice(0, end);
    const status = Number(head.slice(9, 12));
    const headers = head.toLowerCase();
    const length = /\r\ncontent-length:\s*(\d+)/.exec(headers);
    if (/\r\ntransfer-encoding:[^\r]*chunked/.test(headers)) {
      this.#state = 'chunked';
      this.#chunkLeft = -1;
    } else if (length || status === 204 || status === 304) {
      this.#state = 'length';
      this.#bodyLeft = length ? Number(length[1]) : 0;
    } else this.#state = 'until-close';
    this.#listener.head(status);
    if (this.#state === 'length' && this.#bodyLeft === 0) this.#endBody();
    return input.slice(end + 4);
  }

  #chunked(input: string): string {
    let at = 0;
    while (at < input.length) {
      if (this.#chunkLeft > 0) {
        const take = Math.min(this.#chunkLeft, input.length - at);
        this.#body(input.slice(at, at + take));
        at += take;
        this.#chunkLeft -= take;
        if (this.#chunkLeft === 0) this.#chunkLeft = -2;
      } else if (this.#chunkLeft === -2) {
        if (input.length - at < 2) break;
        at += 2;
        this.#chunkLeft = -1;
      } else {
        const eol = input.indexOf('\r\n', at);
        if (eol < 0) break;
        const size = Number.parseInt(input.slice(at, eol), 16);
        if (size > 0) {
          this.#chunkLeft = size;
          at = eol + 2;
          continue;
        }
        // The last chunk: no trailers are expected, so a CRLF ends the body.
        if (input.length - eol < 4) break;
        this.#endBody();
        return input.slice(eol + 4);
      }
    }
    this.#carry = input.slice(at);
    return '';
  }

  #endBody(): void {
    // A CR held back as a possible CRLF half was a line end after all.
    if (this.#line.endsWith('\r')) this.#body('\n');
    this.#state = 'head';
    this.#line = '';
    this.#reset();
    this.#listener.end();
  }

  #body(text: string): void {
    let buffer = this.#line === '' ? text : this.#line + text;
    if (buffer.includes('\r')) {
      // A CR at the very end may be the first half of a CRLF: keep it for the next piece.
      const held = buffer.endsWith('\r') ? '\r' : '';
      buffer = buffer.slice(0, buffer.length - held.length).replace(/\r\n?/g, '\n') + held;
    }
    let start = 0;
    for (let eol = buffer.indexOf('\n'); eol >= 0; eol = buffer.indexOf('\n', start)) {
      if (eol === start) this.#dispatch();
      else this.#field(buffer.slice(start, eol));
      start = eol + 1;
    }
    this.#line = buffer.slice(start);
  }

  #field(line: string): void {
    const colon = line.indexOf(':');
    if (colon === 0) return;
    const name = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(line.charCodeAt(colon + 1) === 32 ? colon + 2 : colon + 1);
    if (name === 'data') this.#data.push(value);
    else if (name === 'id') this.#id = value;
    else if (name === 'event') this.#event = value;
  }

  #dispatch(): void {
    if (this.#data.length > 0) {
      this.#listener.event({ id: this.#id, event: this.#event || 'message', data: this.#data.join('\n') });
    } else if (this.#id !== undefined) this.#listener.idOnly?.(this.#id);
    this.#reset();
  }

  #reset(): void {
    this.#id = undefined;
    this.#event = '';
    this.#data = [];
  }
}

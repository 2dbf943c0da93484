import type { Http2ServerResponse } from 'node:http2';
import type { EncodedFrame } from './EncodedFrame.js';
import type { SseSink, SseSinkEvent } from './SseSink.js';

/**
 * The sink of an HTTP/2 stream: frames go through the response as the bytes the frame keeps (shared by every
 * subscriber, not encoded again per stream), and the stream counts as gone once its HTTP/2 stream is
 * destroyed, closed or aborted (the response itself does not say). A client's RST_STREAM with NO_ERROR
 * aborts the server's stream at once but closes it only when the server ends it: its 'aborted' is the
 * client leaving, like 'close'.
 */
export class Http2ResponseSink implements SseSink {
  readonly #response: Http2ServerResponse;

  constructor(response: Http2ServerResponse) {
    this.#response = response;
  }

  get destroyed(): boolean {
    const stream = this.#response.stream;
    return stream === undefined || stream.destroyed || stream.closed || stream.aborted;
  }

  write(chunk: string): boolean {
    return this.#response.write(chunk);
  }

  writeFrame(frame: EncodedFrame): boolean {
    return this.#response.write(frame.utf8);
  }

  end(): void {
    this.#response.end();
  }

  destroy(): void {
    this.#response.destroy();
  }

  on(event: SseSinkEvent, listener: (...args: unknown[]) => void): this {
    this.#response.on(event, listener);
    if (event === 'close') this.#response.stream?.on('aborted', listener);
    return this;
  }

  off(event: SseSinkEvent, listener: (...args: unknown[]) => void): this {
    this.#response.off(event, listener);
    if (event === 'close') this.#response.stream?.off('aborted', listener);
    return this;
  }
}

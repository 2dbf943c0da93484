import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { EncodedFrame } from './EncodedFrame.js';
import { kernelSendQueue } from './kernelSendQueue.js';
import type { SinkDelivery, SseSink, SseSinkEvent } from './SseSink.js';

/**
 * The sink of an HTTP/1.1 stream once its headers are out: each frame goes straight to the socket as one chunk
 * of the response's chunked transfer coding, the chunk made once per frame and shared by every subscriber
 * (`ServerResponse.write` would cork the socket and write size, data and CRLF separately, per subscriber).
 * `end()` hands back to the response, which writes the last chunk and keeps the connection alive.
 *
 * Only for a response that already sent its headers with `Transfer-Encoding: chunked` (see `responseSink`).
 */
export class ChunkedSocketSink implements SseSink {
  readonly #response: ServerResponse;
  readonly #socket: Socket;

  constructor(response: ServerResponse, socket: Socket) {
    this.#response = response;
    this.#socket = socket;
  }

  get destroyed(): boolean {
    return this.#socket.destroyed;
  }

  write(chunk: string): boolean {
    return this.writeFrame(new EncodedFrame(chunk));
  }

  writeFrame(frame: EncodedFrame): boolean {
    // A socket destroyed under us is reported by the response's 'close', which closes the stream.
    if (this.#socket.destroyed) return true;
    return this.#socket.write(frame.httpChunk);
  }

  /**
   * Node's buffer plus what the kernel holds unacknowledged (where it can be asked: see `kernelSendQueue`);
   * taken is what the client's TCP acknowledged.
   */
  delivery(): SinkDelivery {
    const socket = this.#socket;
    const buffered = socket.writableLength;
    const waiting = buffered + (kernelSendQueue(socket) ?? 0);
    return { waiting, taken: socket.bytesWritten - waiting };
  }

  end(): void {
    this.#response.end();
  }

  destroy(): void {
    this.#response.destroy();
  }

  // 'error' is not listened to: Node's HTTP server handles the socket's errors by destroying it, and the
  // response's 'close' follows, which is what ends the stream.
  on(event: SseSinkEvent, listener: (...args: unknown[]) => void): this {
    if (event === 'close') this.#response.on('close', listener);
    else if (event === 'drain') this.#socket.on('drain', listener);
    return this;
  }

  off(event: SseSinkEvent, listener: (...args: unknown[]) => void): this {
    if (event === 'close') this.#response.off('close', listener);
    else if (event === 'drain') this.#socket.off('drain', listener);
    return this;
  }
}

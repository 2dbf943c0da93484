/** Why the client gave up: a frame broke the contract, or the server refused the stream. */
export type ClientErrorCode = 'invalid_frame' | 'stream_http_error';

/** The base of every error the client throws on purpose; a network failure is retried, not thrown. */
export class ClientError extends Error {
  override readonly name: string = 'ClientError';
  readonly code: ClientErrorCode;

  constructor(code: ClientErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
  }
}

/** Why a value cannot be put on the SSE wire. */
export type SseEncodeErrorCode =
  | 'invalid_event'
  | 'invalid_id'
  | 'invalid_data'
  | 'invalid_retry'
  | 'invalid_comment'
  | 'empty_frame';

/**
 * Thrown when a frame cannot be encoded without corrupting the event stream, e.g. a line break in an
 * `event` or `id` value (which would inject new fields). The `code` says which rule was broken.
 */
export class SseEncodeError extends Error {
  override readonly name = 'SseEncodeError';
  readonly code: SseEncodeErrorCode;

  constructor(code: SseEncodeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

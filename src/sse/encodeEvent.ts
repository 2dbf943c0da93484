import { SseEncodeError } from './SseEncodeError.js';

/** The fields of one SSE frame. Absent fields are not written. */
export interface SseFrame {
  /** Event type; omitted means the client dispatches a `message` event. */
  readonly event?: string | undefined;
  /** Last-event-id cursor carried by this frame. */
  readonly id?: string | undefined;
  /** Payload, already serialised (JSON.stringify once); may span lines. */
  readonly data?: string | undefined;
  /** Reconnection delay in milliseconds, a non-negative integer. */
  readonly retry?: number | undefined;
}

// [spec] "Lines must be separated by either a U+000D CARRIAGE RETURN U+000A LINE FEED (CRLF) character
// pair, a single U+000A LINE FEED (LF) character, or a single U+000D CARRIAGE RETURN (CR) character."
const LINE_BREAK = /\r\n|\r|\n/;
const UNSAFE_FIELD_VALUE = /[\r\n\0]|\p{Surrogate}/u;
// With the `u` flag, \p{Surrogate} matches only half of a pair: a code unit with no UTF-8 form.
const LONE_SURROGATE = /\p{Surrogate}/u;
const UNSAFE_COMMENT = /[\r\n]/;

function line(field: string, value: string): string {
  // [spec] "If value starts with a U+0020 SPACE character, remove it from value."
  return value === '' ? `${field}:\n` : `${field}: ${value}\n`;
}

function checkedValue(field: 'event' | 'id', value: string): string {
  if (UNSAFE_FIELD_VALUE.test(value)) {
    throw new SseEncodeError(
      field === 'event' ? 'invalid_event' : 'invalid_id',
      `SSE ${field} ${JSON.stringify(value)} contains CR, LF, NUL or an unpaired surrogate: a line break ` +
        `would start a new field, a NUL makes clients ignore the id, and an unpaired surrogate has no UTF-8 ` +
        `form. Use a value without control characters.`,
    );
  }
  return value;
}

function checkedRetry(retry: number): string {
  // [spec] "If the field value consists of only ASCII digits, then interpret the field value as an
  // integer in base ten [...]. Otherwise, ignore the field."
  if (!Number.isSafeInteger(retry) || retry < 0) {
    throw new SseEncodeError(
      'invalid_retry',
      `SSE retry must be a non-negative integer of milliseconds, got ${String(retry)}.`,
    );
  }
  return String(retry);
}

/**
 * Encodes one SSE frame. Fields are written in the order `retry`, `id`, `event`, `data`, and the
 * frame ends with a blank line (`\n\n`), which is what makes the client dispatch it. `data` is split
 * on CR, LF and CRLF into one `data:` line each; an empty string still gives one `data:` line.
 * The name `message` is not special here: `event` is written exactly as given.
 *
 * @throws {SseEncodeError} `invalid_event` / `invalid_id` when they contain CR, LF, NUL or an unpaired
 *   surrogate; `invalid_data` when `data` contains an unpaired surrogate; `invalid_retry` unless a
 *   non-negative integer; `empty_frame` when no field is given.
 */
export function encodeEvent(frame: SseFrame): string {
  let out = '';
  if (frame.retry !== undefined) out += line('retry', checkedRetry(frame.retry));
  if (frame.id !== undefined) out += line('id', checkedValue('id', frame.id));
  if (frame.event !== undefined) out += line('event', checkedValue('event', frame.event));
  if (frame.data !== undefined) {
    if (LONE_SURROGATE.test(frame.data)) {
      throw new SseEncodeError(
        'invalid_data',
        'SSE data contains an unpaired surrogate, which has no UTF-8 form: the client would read U+FFFD ' +
          'instead. Serialise it with JSON.stringify (which escapes it) or drop it.',
      );
    }
    for (const part of frame.data.split(LINE_BREAK)) out += line('data', part);
  }
  if (out === '') {
    throw new SseEncodeError('empty_frame', 'An SSE frame needs at least one of retry, id, event or data.');
  }
  // [spec] "If the line is empty (a blank line) Dispatch the event"
  return `${out}\n`;
}

/**
 * Encodes a comment line, e.g. a heartbeat: `: text\n\n`. Clients ignore it, proxies see traffic.
 *
 * @throws {SseEncodeError} `invalid_comment` when `text` contains CR or LF.
 */
export function encodeComment(text: string): string {
  if (UNSAFE_COMMENT.test(text)) {
    throw new SseEncodeError(
      'invalid_comment',
      `SSE comment ${JSON.stringify(text)} contains CR or LF: the next line would be parsed as a field.`,
    );
  }
  // [spec] "If the line starts with a U+003A COLON character (:) Ignore the line."
  return text === '' ? ':\n\n' : `: ${text}\n\n`;
}

import { EncodedFrame } from './EncodedFrame.js';
import type { EventStreamOptions, ValidationIssue } from './EventStreamOptions.js';
import { encodeEvent } from './encodeEvent.js';
import type { EventMap, EventName, StreamMessage } from './eventMap.js';
import { ONE_BY_ONE } from './FrameCache.js';
import { isValidEventId, MAX_EVENT_ID_BYTES } from './lastEventId.js';
import { SseEncodeError } from './SseEncodeError.js';

// [spec] "Initialize event's type attribute to "message" [...] If the event type buffer has a value
// other than the empty string, change the type of the newly created event to equal the value"
const UNNAMED_EVENT = 'message';

const encoders = new WeakMap<object, FrameEncoder<EventMap>>();

function serialised(data: unknown, raw: boolean): string | readonly ValidationIssue[] {
  if (raw) {
    return typeof data === 'string'
      ? data
      : [{ path: '', message: `a raw-data payload must be a string, got ${typeof data}` }];
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(data);
  } catch (error) {
    return [{ path: '', message: `payload is not serialisable as JSON: ${String(error)}` }];
  }
  return text ?? [{ path: '', message: 'payload is not serialisable as JSON' }];
}

/**
 * Validates and encodes events as an `EventStream`'s options say: unnamed and raw-data events, terminal events,
 * the shared `frameCache`, the `observer`'s `encoded` hook. One per options object ({@link FrameEncoder.for}),
 * shared by every stream made with those options, so a stream holds a reference rather than its own copy.
 */
export class FrameEncoder<E extends EventMap> {
  readonly #options: EventStreamOptions<E>;
  readonly #terminal: ReadonlySet<string>;
  readonly #unnamed: ReadonlySet<string>;
  readonly #rawData: ReadonlySet<string>;

  private constructor(options: EventStreamOptions<E>) {
    this.#options = options;
    this.#terminal = new Set<string>(options.grammar?.terminal ?? []);
    this.#unnamed = new Set<string>([UNNAMED_EVENT, ...(options.unnamedEvents ?? [])]);
    this.#rawData = new Set<string>(options.rawDataEvents ?? []);
  }

  /** The encoder of `options`, made once. */
  static for<E extends EventMap>(options: EventStreamOptions<E>): FrameEncoder<E> {
    let encoder = encoders.get(options) as FrameEncoder<E> | undefined;
    if (!encoder) {
      encoder = new FrameEncoder(options);
      encoders.set(options, encoder as unknown as FrameEncoder<EventMap>);
    }
    return encoder;
  }

  /** Whether the stream ends after `event`. */
  isTerminal(event: string): boolean {
    return this.#terminal.has(event);
  }

  /**
   * The validated frame of `data` sent as `event` with `id` (from the cache when a stream sharing it made it),
   * or the validation issues that refuse it.
   *
   * @throws {SseEncodeError} `invalid_id` unless `id` passes `isValidEventId`.
   */
  encode(event: EventName<E>, data: unknown, id: string): EncodedFrame | readonly ValidationIssue[] {
    const cache = this.#options.frameCache;
    const cached = cache?.get(event, data, id);
    if (cached !== undefined) return cached;
    if (!isValidEventId(id)) {
      throw new SseEncodeError(
        'invalid_id',
        `SSE id ${JSON.stringify(id)} must be 1 to ${MAX_EVENT_ID_BYTES} characters of A-Z, a-z, 0-9, ` +
          `'.', '_', ':' or '-', or the client could not send it back in Last-Event-ID.`,
      );
    }
    const issues = this.#options.validate(event, data);
    if (issues !== null && issues.length > 0) return issues;
    const text = serialised(data, this.#rawData.has(event));
    if (typeof text !== 'string') return text;
    const name = this.#unnamed.has(event) ? undefined : event;
    const frame = EncodedFrame.event(encodeEvent({ event: name, id, data: text }), event, id);
    this.#options.observer?.encoded?.(event, data);
    cache?.set(data, frame);
    return frame;
  }

  /**
   * The messages as one frame (once per batch array for the streams sharing the cache); undefined when they
   * must go message by message: a terminal event, or a payload that is refused.
   */
  encodeBatch(messages: readonly StreamMessage<E>[]): EncodedFrame | undefined {
    const cache = this.#options.frameCache;
    const cached = cache?.getBatch(messages);
    if (cached !== undefined) return cached === ONE_BY_ONE ? undefined : cached;
    const frames: EncodedFrame[] = [];
    for (const { event, data, id } of messages) {
      const frame = this.#terminal.has(event) ? undefined : this.encode(event, data, id);
      if (!(frame instanceof EncodedFrame)) {
        cache?.setBatch(messages, ONE_BY_ONE);
        return undefined;
      }
      frames.push(frame);
    }
    const joined = frames.length === 0 ? new EncodedFrame('') : EncodedFrame.join(frames);
    cache?.setBatch(messages, joined);
    return joined;
  }
}

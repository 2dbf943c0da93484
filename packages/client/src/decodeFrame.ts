import type { EventSourceMessage } from 'eventsource-parser';
import { channels, eventValidators } from '../../../generated/channels.js';
import type { ChannelId } from '../../../generated/events.js';
import type { ValidateFunction, ValidationError } from '../../../generated/validators/schemas.js';
import type { ChannelMessage } from './channelTypes.js';
import { InvalidFrameError, type InvalidFrameReason } from './errors/InvalidFrameError.js';

/** Why a frame is not a given event. */
interface Mismatch {
  readonly event: string;
  readonly reason: InvalidFrameReason;
  readonly errors: readonly ValidationError[];
  readonly cause?: unknown;
}

/** One reading of a frame as one event: the message, or why the frame is not that event. */
type Reading<C extends ChannelId> = { readonly message: ChannelMessage<C> } | Mismatch;

/**
 * A parsed frame as a typed message of `channel`, its data checked by the generated validator.
 * A named frame is the event it names. An unnamed frame (or one named `message`) is the channel's unnamed
 * event (`message`, or each `x-sse-unnamed` event in turn, told apart by their validators). Data is JSON,
 * except for `x-sse-raw-data` events, whose data is the string as sent.
 * Throws `InvalidFrameError` for an undeclared event, data that is not JSON, or (if `validate`) data that
 * does not match the schema. With `validate` off, an undeclared event is skipped (`undefined`), as
 * EventSource skips events nobody listens to.
 */
export function decodeFrame<C extends ChannelId>(
  channel: C,
  frame: EventSourceMessage,
  id: string,
  validate: boolean,
): ChannelMessage<C> | undefined {
  const candidates = candidateEvents(channel, frame.event);
  // Several unnamed events can only be told apart by their schemas, so they are checked even with validate off.
  const check = validate || candidates.length > 1;
  const failures: Mismatch[] = [];
  for (const event of candidates) {
    const reading = read(channel, event, frame, id, check);
    if ('message' in reading) return reading.message;
    failures.push(reading);
  }
  if (!validate && failures.every((failure) => failure.reason === 'undeclared_event')) return undefined;
  throw invalidFrame(channel, frame, id, failures);
}

/**
 * The events a frame can be. [spec] An empty or absent event type dispatches as `message`, so a frame
 * without a name (or named `message`) is the channel's unnamed event, or one of them.
 */
function candidateEvents(channel: ChannelId, event: string | undefined): readonly string[] {
  if (event && event !== 'message') return [event];
  const unnamed: readonly string[] = channels[channel].unnamedEvents;
  return unnamed.length > 0 ? unnamed : ['message'];
}

/** The frame read as `event`: data parsed (unless raw) and, if `check`, validated. */
function read<C extends ChannelId>(
  channel: C,
  event: string,
  frame: EventSourceMessage,
  id: string,
  check: boolean,
): Reading<C> {
  const validator = validatorOf(channel, event);
  if (validator === undefined) return { event, reason: 'undeclared_event', errors: [] };
  const rawData: readonly string[] = channels[channel].rawDataEvents;
  let data: unknown = frame.data;
  if (!rawData.includes(event)) {
    try {
      data = JSON.parse(frame.data);
    } catch (cause) {
      return { event, reason: 'invalid_json', errors: [], cause };
    }
  }
  if (check && !validator(data))
    return { event, reason: 'schema_mismatch', errors: [...(validator.errors ?? [])] };
  return { message: { event, data, id } as ChannelMessage<C> };
}

function validatorOf(channel: ChannelId, event: string): ValidateFunction | undefined {
  const validators: Readonly<Record<string, ValidateFunction>> = eventValidators[channel];
  return Object.hasOwn(validators, event) ? validators[event] : undefined;
}

/** The error for a frame that is none of its candidate events; for several, the errors of each. */
function invalidFrame(
  channel: ChannelId,
  frame: EventSourceMessage,
  id: string,
  failures: readonly Mismatch[],
): InvalidFrameError {
  const only = failures.length === 1 ? failures[0] : undefined;
  const reason =
    only?.reason ??
    (failures.some((f) => f.reason === 'schema_mismatch') ? 'schema_mismatch' : 'invalid_json');
  const errors = failures.flatMap((failure) => failure.errors);
  const event = only?.event ?? (frame.event || 'message');
  return new InvalidFrameError(
    { channel, event, id, reason, data: frame.data, errors },
    { cause: only?.cause },
  );
}

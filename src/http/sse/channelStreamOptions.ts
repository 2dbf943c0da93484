import { channels, eventValidators } from '../../../generated/channels.js';
import type { ChannelEvents, ChannelId } from '../../../generated/events.js';
import type { ValidateFunction } from '../../../generated/validators/schemas.js';
import type { EventStreamOptions, ValidationIssue } from '../../sse/index.js';

type ChannelOptions<C extends ChannelId> = Pick<
  EventStreamOptions<ChannelEvents[C]>,
  'validate' | 'grammar' | 'errorEvent' | 'unnamedEvents' | 'rawDataEvents'
>;

const ERROR_EVENT = 'stream-error';

/**
 * The part of an EventStream's options that the AsyncAPI channel decides: the generated payload validator
 * of each event, the grammar's terminal events, which events go out unnamed or as raw data, and the
 * spec-declared `stream-error` event.
 */
export function channelStreamOptions<C extends ChannelId>(channel: C): ChannelOptions<C> {
  const validators = eventValidators[channel] as unknown as Record<string, ValidateFunction | undefined>;
  const validate = (event: string, data: unknown): ValidationIssue[] | null => {
    const validator = validators[event];
    if (!validator) return [{ path: '', message: `event "${event}" is not declared on channel ${channel}` }];
    if (validator(data)) return null;
    return (validator.errors ?? []).map((error) => ({
      path: error.instancePath,
      message: error.message ?? 'is not valid',
    }));
  };
  return {
    validate,
    grammar: { terminal: channels[channel].grammar.terminal },
    unnamedEvents: channels[channel].unnamedEvents,
    rawDataEvents: channels[channel].rawDataEvents,
    errorEvent: {
      event: ERROR_EVENT,
      payload: () => ({
        code: 'invalid_frame',
        message: 'The server produced an event that does not match its schema; it was not sent.',
      }),
    },
  } as unknown as ChannelOptions<C>;
}

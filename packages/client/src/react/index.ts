export {
  DEFAULT_MAX_EVENTS,
  type EventStreamState,
  type EventStreamStatus,
  type UseEventStreamOptions,
  useEventStream,
} from './useEventStream.js';

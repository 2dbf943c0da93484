export { ChunkedSocketSink } from './ChunkedSocketSink.js';
export { EncodedFrame, type FrameEvent } from './EncodedFrame.js';
export {
  DEFAULT_MAX_QUEUE_BYTES,
  DEFAULT_MAX_QUEUE_FRAMES,
  DEFAULT_RETRY_MS,
  EventStream,
  type EventStreamOwner,
} from './EventStream.js';
export type {
  CloseReason,
  ErrorEventOption,
  EventStreamObserver,
  EventStreamOptions,
  EventValidator,
  InvalidFrame,
  SseLogger,
  StringEventName,
  ValidationIssue,
} from './EventStreamOptions.js';
export { encodeComment, encodeEvent, type SseFrame } from './encodeEvent.js';
export type { EventMap, EventName, StreamMessage } from './eventMap.js';
export { FrameCache } from './FrameCache.js';
export { type HeartbeatTarget, HeartbeatWheel } from './HeartbeatWheel.js';
export { Http2ResponseSink } from './Http2ResponseSink.js';
export {
  isValidEventId,
  type LastEventIdResult,
  MAX_EVENT_ID_BYTES,
  resolveLastEventId,
} from './lastEventId.js';
export { isPushSource, type MessageSource, type PushSource, type PushTarget } from './PushSource.js';
export { responseSink } from './responseSink.js';
export { runStream } from './runStream.js';
export { SseEncodeError, type SseEncodeErrorCode } from './SseEncodeError.js';
export type { SseSink, SseSinkEvent } from './SseSink.js';

export { type ChannelEntry, type ChannelRegistry, createChannelRegistry } from './ChannelRegistry.js';
export { channelStreamOptions } from './channelStreamOptions.js';
export {
  type Admission,
  type DrainOptions,
  OpenStreams,
  type StreamLimitReached,
  type StreamLimits,
  type TrackedStream,
} from './OpenStreams.js';
export { answerWithFeed, type Feed } from './openFeed.js';
export { jitteredRetry, REFUSAL_RETRY_SPREAD } from './retryDelay.js';
export type { StreamTies } from './ServedStream.js';
export type { SharedStreamCap } from './SharedStreamCap.js';
export { createStreams, type StreamSettings, type Streams } from './Streams.js';
export { serveEventStream } from './serveEventStream.js';
export { streamRequest } from './streamRequest.js';

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
export { type StreamSettings, serveEventStream } from './serveEventStream.js';
export { streamRequest } from './streamRequest.js';

export { channelStreamOptions } from './channelStreamOptions.js';
export { answerWithFeed, type Feed } from './openFeed.js';
export { type StreamSettings, serveEventStream } from './serveEventStream.js';
export { streamRequest } from './streamRequest.js';

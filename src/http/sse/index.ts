export { channelStreamOptions } from './channelStreamOptions.js';
export { type StreamSettings, serveEventStream } from './serveEventStream.js';

export type { AccessToken } from './accessToken.js';
export type { FetchLike } from './ClientConfig.js';
export type {
  ChannelMessage,
  ChannelParams,
  ReconnectInfo,
  StreamMessage,
  SubscribableChannel,
  SubscribeOptions,
} from './channelTypes.js';
export {
  ChatCompletionError,
  type ChatCompletionErrorCode,
  type ChatCompletionRequest,
  type ChatCompletionStreamOptions,
  streamChatCompletion,
} from './chatCompletions.js';
export type * from './contractTypes.js';
export { type Client, type ClientOptions, createClient } from './createClient.js';
export {
  ClientError,
  type ClientErrorCode,
  type InvalidFrameDetails,
  InvalidFrameError,
  type InvalidFrameReason,
  StreamHttpError,
} from './errors/index.js';
export { DEFAULT_MAX_RETRY_MS, DEFAULT_RETRY_MS } from './reconnectDelay.js';
export type {
  FetchResult,
  HttpMethod,
  PathsWithMethod,
  Problem,
  RequestOptions,
  RestCall,
  SuccessData,
} from './restTypes.js';
export { DEFAULT_RETRY, type RetryOptions } from './retryPolicy.js';

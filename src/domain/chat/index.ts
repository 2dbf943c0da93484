export type {
  ChatCompletion,
  ChatCompletionChoice,
  ChatCompletionRequest,
  ChatResponder,
} from './ChatResponder.js';
export { ChatUpstreamError } from './ChatUpstreamError.js';
export type { Completion, UncheckedChunk } from './Completion.js';
export { InvalidChunkError, isChatCompletionChunk } from './chatChunk.js';
export { chatCompletionMessages } from './chatCompletionFeed.js';
export { type ChatOptions, type ChatService, createChatService } from './chatService.js';
export { composeAnswer, type Detail } from './composeAnswer.js';
export { petAdvisor, tokenize } from './petAdvisor.js';
export { type Intent, type Question, readQuestion } from './readQuestion.js';
export type { ChatUpstream } from './upstreamResponder.js';

import { DomainError } from '../DomainError.js';

/**
 * The chat model could not answer: the upstream (`CHAT_UPSTREAM_URL`) is unreachable, refused the request,
 * broke off its stream or sent a chunk that is not a valid `ChatCompletionChunk`. Before a stream starts it is
 * answered `502`; during a stream it ends the stream with `stream-error`.
 */
export class ChatUpstreamError extends DomainError {
  constructor(message: string) {
    super('upstream_failed', message);
    this.name = 'ChatUpstreamError';
  }
}

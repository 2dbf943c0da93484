import type { ChatCompletionChunk } from '../../../generated/models.js';
import { ChatCompletionChunk as validateChunk } from '../../../generated/validators/schemas.js';

/** Whether a chunk as the model produced it matches the spec's ChatCompletionChunk (the generated validator). */
export function isChatCompletionChunk(chunk: unknown): chunk is ChatCompletionChunk {
  return validateChunk(chunk);
}

/** Why the last chunk checked was refused, from the validator's errors. */
export function chunkProblems(): string {
  return (validateChunk.errors ?? [])
    .map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`)
    .join('; ');
}

/**
 * A chunk from the model that does not match ChatCompletionChunk: it is never sent; the stream ends with
 * `stream-error` `invalid_frame`.
 */
export class InvalidChunkError extends Error {
  readonly code = 'invalid_frame';
  constructor(position: number, problems: string) {
    super(
      `The chat model's chunk ${position} does not match ChatCompletionChunk (${problems}); it was not sent.`,
    );
    this.name = 'InvalidChunkError';
  }
}

import type { ChatCompletionChunk } from '../../../generated/models.js';

/** A chunk as the model produced it: its `choices` are checked against the schema only where it is used. */
export type UncheckedChunk = Omit<ChatCompletionChunk, 'choices'> & { choices: unknown };

/** One answer being produced: its id, start time and model, and its chunks as they come. */
export interface Completion {
  /** `chatcmpl_` and 32 hex digits (a UUIDv7), shared by every chunk. */
  id: string;
  /** Unix seconds. */
  created: number;
  model: ChatCompletionChunk['model'];
  chunks: AsyncIterable<UncheckedChunk>;
}

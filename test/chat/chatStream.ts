import { expect } from 'vitest';
import type { ChatCompletionChunk } from '../../generated/models.js';
import { ChatCompletionsStreamData } from '../../generated/validators/schemas.js';
import { parseSse, type SseCapture } from '../helpers/collectSse.js';

/** A streamed chat answer as a client sees it: the raw text, the parsed frames and the chunks. */
export interface ChatStream {
  text: string;
  capture: SseCapture;
  chunks: ChatCompletionChunk[];
  /** The content of every chunk, joined. */
  answer: string;
}

/** POSTs a chat request to `baseUrl` and returns the response (not read). */
export function postChat(baseUrl: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** `{ model, stream, messages: [{ role: 'user', content }] }` */
export const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'PET_ADVISOR_1',
  stream: true,
  messages: [{ role: 'user', content }],
  ...extra,
});

/**
 * Reads a whole chat stream and checks every frame: unnamed, with data the OpenAPI stream schema allows
 * (`ChatCompletionsStreamData`: a JSON chunk, or `[DONE]`, which is not JSON).
 */
export async function readChatStream(response: Response): Promise<ChatStream> {
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const text = await response.text();
  const capture = parseSse(text);
  expect(capture.errors).toEqual([]);
  for (const frame of capture.events) {
    const data = frame.event === undefined && frame.data === '[DONE]' ? frame.data : JSON.parse(frame.data);
    expect([undefined, 'stream-error']).toContain(frame.event);
    expect(ChatCompletionsStreamData(data), JSON.stringify(ChatCompletionsStreamData.errors)).toBe(true);
  }
  const chunks = capture.events
    .filter((frame) => frame.event === undefined && frame.data !== '[DONE]')
    .map((frame) => JSON.parse(frame.data) as ChatCompletionChunk);
  const answer = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
  return { text, capture, chunks, answer };
}

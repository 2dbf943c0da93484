import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletionChunk } from '../../generated/models.js';
import {
  ChatCompletionError,
  type ChatCompletionRequest,
  streamChatCompletion,
} from '../../packages/client/src/chatCompletions.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';
import { type StartedServer, startServer } from '../helpers/startServer.js';
import { postChat } from './chatStream.js';

let app: StartedApp;
let fake: StartedServer;
/** What the fake server answers: an SSE body. */
let fakeBody = '';

beforeAll(async () => {
  app = await startApp();
  fake = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.end(fakeBody);
  });
});
afterAll(async () => {
  await Promise.all([app.close(), fake.close()]);
});

const question: ChatCompletionRequest = {
  model: 'PET_ADVISOR_1',
  messages: [{ role: 'user', content: 'Which pets are good for a family with kids?' }],
};

async function collect(iterable: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionChunk[]> {
  const chunks: ChatCompletionChunk[] = [];
  for await (const chunk of iterable) chunks.push(chunk);
  return chunks;
}

const text = (chunks: readonly ChatCompletionChunk[]) =>
  chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');

async function failure(iterable: AsyncIterable<ChatCompletionChunk>): Promise<ChatCompletionError> {
  const error = await collect(iterable).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ChatCompletionError);
  return error as ChatCompletionError;
}

const chunk = (content: unknown) =>
  JSON.stringify({
    id: 'chatcmpl_1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'PET_ADVISOR_1',
    choices: [{ index: 0, delta: { content }, finishReason: null }],
  });

describe('streamChatCompletion', () => {
  it("yields every chunk of the server's answer and ends at [DONE], with the text the JSON answer has", async () => {
    const chunks = await collect(streamChatCompletion({ baseUrl: app.url }, question));
    const json = await (await postChat(app.url, question)).json();
    expect(text(chunks)).toBe(json.choices[0].message.content);
    expect(chunks[0]!.choices[0]!.delta.role).toBe('assistant');
    expect(chunks.at(-1)!.choices[0]!.finishReason).toBe('stop');
  });

  it('sends the request through the injected fetch, with the given headers, asking for a stream', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    const chunks = await collect(
      streamChatCompletion(
        {
          baseUrl: `${app.url}/`,
          headers: { authorization: 'Bearer token-1' },
          fetch: (url, init) => {
            sent.push({ url, init });
            return fetch(url, init);
          },
        },
        { ...question, model: 'PET_ADVISOR_TURBO', maxTokens: 4 },
      ),
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]!.url).toBe(`${app.url}/v1/chat/completions`);
    const headers = new Headers(sent[0]!.init.headers);
    expect(headers.get('authorization')).toBe('Bearer token-1');
    expect(headers.get('accept')).toBe('text/event-stream');
    expect(JSON.parse(String(sent[0]!.init.body))).toEqual({
      ...question,
      model: 'PET_ADVISOR_TURBO',
      maxTokens: 4,
      stream: true,
    });
    expect(chunks.at(-1)!.choices[0]!.finishReason).toBe('length');
  });

  it('throws http_error with the problem when the server refuses the request', async () => {
    const refused = await failure(
      streamChatCompletion({ baseUrl: app.url }, { ...question, model: 'GPT_5' as 'PET_ADVISOR_1' }),
    );
    expect(refused.code).toBe('http_error');
    expect(refused.status).toBe(400);
    expect(refused.problem?.errors?.[0]?.pointer).toBe('/model');
  });

  it('ends without an error, having stopped early, when its signal aborts', async () => {
    const full = await collect(streamChatCompletion({ baseUrl: app.url }, question));
    const controller = new AbortController();
    const received: ChatCompletionChunk[] = [];
    for await (const next of streamChatCompletion(
      { baseUrl: app.url, signal: controller.signal },
      question,
    )) {
      received.push(next);
      if (received.length === 3) controller.abort();
    }
    expect(received).toHaveLength(3);
    expect(full.length).toBeGreaterThan(3);
  });

  it('throws stream_error with its payload when the server ends the stream with stream-error', async () => {
    fakeBody = `data: ${chunk('Hi')}\n\nid: 1\nevent: stream-error\ndata: {"code":"unavailable","message":"Upstream gone."}\n\n`;
    const ended = await failure(streamChatCompletion({ baseUrl: fake.url }, question));
    expect(ended.code).toBe('stream_error');
    expect(ended.streamError).toEqual({ code: 'unavailable', message: 'Upstream gone.' });
  });

  it.each([
    ['invalid_chunk', 'a chunk that fails the schema', `data: ${chunk(42)}\n\ndata: [DONE]\n\n`],
    ['invalid_chunk', 'data that is not JSON', 'data: {oops\n\n'],
    ['invalid_chunk', 'an undeclared event', `event: chunk\ndata: ${chunk('Hi')}\n\n`],
    ['truncated', 'a stream that ends before [DONE]', `data: ${chunk('Hi')}\n\n`],
  ])('throws %s for %s', async (code, _case, body) => {
    fakeBody = body;
    expect((await failure(streamChatCompletion({ baseUrl: fake.url }, question))).code).toBe(code);
  });
});

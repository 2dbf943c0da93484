import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChatCompletion } from '../../src/domain/chat/index.js';
import type { Store } from '../../src/store/index.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { type StartedServer, startServer } from '../helpers/startServer.js';
import { openTestStore } from '../helpers/testStore.js';
import { ask, postChat, readChatStream } from './chatStream.js';

/** One request the fake upstream received. */
interface UpstreamCall {
  body: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  /** The connection closed before the upstream finished its response: our server aborted it. */
  aborted: boolean;
}

type Behaviour = (res: ServerResponse) => void;

/** An OpenAI-style chunk, as real upstreams send it (snake_case, fields we do not define). */
const upstreamChunk = (delta: object, finishReason: string | null = null) =>
  JSON.stringify({
    id: 'chatcmpl-upstream-1',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'fake-model',
    system_fingerprint: 'fp_1',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
  });

/** Writes SSE text in small pieces that cut through lines and frames, as a network would. */
function writeInPieces(res: ServerResponse, text: string, end = true): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  for (let at = 0; at < text.length; at += 7) res.write(text.slice(at, at + 7));
  if (end) res.end();
}

const role = `data: ${upstreamChunk({ role: 'assistant', content: '', refusal: null })}\r\n\r\n`;
const hello = `data: ${upstreamChunk({ content: 'Hello' })}\r\n\r\n`;

const behaviours = {
  answers: (res) =>
    writeInPieces(
      res,
      [
        role,
        ': keep-alive\r\n\r\n',
        hello,
        // One chunk over two data lines: the parser joins them with a line feed, which JSON allows.
        `data: {"choices":[{"index":0,"delta":{"content":" there"},\r\ndata: "finish_reason":null}]}\r\n\r\n`,
        `data: ${upstreamChunk({}, 'stop')}\r\n\r\n`,
        'data: {"id":"chatcmpl-upstream-1","choices":[],"usage":{"total_tokens":9}}\r\n\r\n',
        'data: [DONE]\r\n\r\n',
      ].join(''),
    ),
  sendsAnInvalidChunk: (res) =>
    writeInPieces(
      res,
      [
        role,
        hello,
        `data: ${upstreamChunk({ content: 42 })}\n\n`,
        `data: ${upstreamChunk({ content: ' world' })}\n\n`,
      ]
        .concat(`data: ${upstreamChunk({}, 'stop')}\n\ndata: [DONE]\n\n`)
        .join(''),
    ),
  breaksOff: (res) => writeInPieces(res, role + hello),
  sendsNoJson: (res) => writeInPieces(res, `${role}data: oops\n\ndata: [DONE]\n\n`),
  sendsAnErrorEvent: (res) => writeInPieces(res, `${role}event: error\ndata: {"message":"overloaded"}\n\n`),
  hangs: (res) => writeInPieces(res, role + hello, false),
  refuses: (res) => {
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end('{"error":{"message":"overloaded"}}');
  },
} satisfies Record<string, Behaviour>;

let behaviour: Behaviour = behaviours.answers;
const calls: UpstreamCall[] = [];
let upstream: StartedServer;
let store: Store;
let app: StartedApp;

beforeAll(async () => {
  upstream = await startServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      raw += chunk;
    });
    req.on('end', () => {
      const call: UpstreamCall = { body: JSON.parse(raw), headers: req.headers, aborted: false };
      calls.push(call);
      res.on('close', () => {
        call.aborted = !res.writableFinished;
      });
      behaviour(res);
    });
  });
  store = await openTestStore();
  app = await startApp({
    store,
    chat: {
      upstream: { url: `${upstream.url}/v1/chat/completions`, model: 'fake-model', apiKey: 'sk-test' },
    },
  });
});
afterAll(async () => {
  await app.close();
  await upstream.close();
  await store.close();
});
beforeEach(() => {
  behaviour = behaviours.answers;
});

const conversation = {
  model: 'PET_ADVISOR_1',
  stream: true,
  maxTokens: 50,
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Hello?' },
  ],
};

describe('POST /v1/chat/completions with CHAT_UPSTREAM_URL', () => {
  it('forwards the conversation with stream true and streams the upstream chunks, re-validated, under our id', async () => {
    const stream = await readChatStream(await postChat(app.url, conversation));
    const call = calls.at(-1)!;
    expect(call.body).toEqual({
      model: 'fake-model',
      messages: conversation.messages,
      stream: true,
      max_tokens: 50,
    });
    expect(call.headers.authorization).toBe('Bearer sk-test');
    expect(call.headers.accept).toBe('text/event-stream');
    expect(stream.chunks.map((chunk) => chunk.choices)).toEqual([
      [{ index: 0, delta: { role: 'assistant', content: '' }, finishReason: null }],
      [{ index: 0, delta: { content: 'Hello' }, finishReason: null }],
      [{ index: 0, delta: { content: ' there' }, finishReason: null }],
      [{ index: 0, delta: {}, finishReason: 'stop' }],
    ]);
    expect(stream.chunks.every((chunk) => /^chatcmpl_[0-9a-f]{32}$/.test(chunk.id))).toBe(true);
    expect(stream.chunks.every((chunk) => chunk.model === 'PET_ADVISOR_1')).toBe(true);
    expect(stream.capture.events.at(-1)!.data).toBe('[DONE]');
    expect(stream.text).not.toMatch(/^event:|fp_1|logprobs|finish_reason/m);
  });

  it('never forwards an upstream chunk that fails the schema: the stream ends with stream-error instead', async () => {
    behaviour = behaviours.sendsAnInvalidChunk;
    const stream = await readChatStream(await postChat(app.url, conversation));
    expect(stream.capture.events.map((frame) => frame.event)).toEqual([undefined, undefined, 'stream-error']);
    expect(JSON.parse(stream.capture.events[2]!.data)).toMatchObject({ code: 'invalid_frame' });
    // At the last id sent, as every stream-error: the refused chunk 3 never went out.
    expect(stream.capture.events[2]!.id).toBe('2');
    expect(stream.answer).toBe('Hello');
    expect(stream.text).not.toMatch(/"content":42|world|\[DONE\]/);
    expect(app.logs.some((line) => line.msg === 'SSE frame failed validation and was not sent')).toBe(true);
  });

  it.each([
    ['ends without [DONE]', behaviours.breaksOff, 'without [DONE]'],
    ['sends data that is not JSON', behaviours.sendsNoJson, 'not JSON'],
    ['sends a named error event', behaviours.sendsAnErrorEvent, 'event "error"'],
  ])('ends the stream with stream-error unavailable when the upstream %s', async (_case, failing, why) => {
    behaviour = failing;
    const stream = await readChatStream(await postChat(app.url, conversation));
    const last = stream.capture.events.at(-1)!;
    expect(last.event).toBe('stream-error');
    expect(JSON.parse(last.data)).toMatchObject({
      code: 'unavailable',
      message: expect.stringContaining(why),
    });
    expect(last.id).toBe(stream.capture.events.at(-2)!.id);
    expect(stream.text).not.toContain('data: [DONE]');
    expect(app.logs.findLast((line) => line.msg === 'chat model failed mid-stream')?.failure).toEqual(
      JSON.parse(last.data),
    );
  });

  it('aborts the upstream request as soon as our client goes away', async () => {
    behaviour = behaviours.hangs;
    const client = new AbortController();
    const response = await fetch(`${app.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(conversation),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('Hello')) text += decoder.decode((await reader.read()).value);
    const call = calls.at(-1)!;
    expect(call.aborted).toBe(false);
    client.abort();
    await until(() => call.aborted, 2000);
  });

  it('answers 502 problem+json, before any stream bytes, when the upstream refuses', async () => {
    behaviour = behaviours.refuses;
    for (const stream of [true, false]) {
      const response = await postChat(app.url, { ...conversation, stream });
      const problem = await expectMatchesSpec('createChatCompletion', response, 502);
      expect(problem.detail).toContain('answered 503 application/json');
      expect(app.logs.findLast((line) => line.msg === 'chat model failed; answered 502')?.level).toBe(40);
    }
  });

  it('answers 502 problem+json when the upstream cannot be reached', async () => {
    const gone = await startServer(() => {});
    await gone.close();
    const orphan = await startApp({ store, chat: { upstream: { url: `${gone.url}/v1/chat/completions` } } });
    try {
      const problem = await expectMatchesSpec(
        'createChatCompletion',
        await postChat(orphan.url, conversation),
        502,
      );
      expect(problem.detail).toContain('could not be reached');
    } finally {
      await orphan.close();
    }
  });

  it('collects the upstream answer into one ChatCompletion when stream is false', async () => {
    const response = await postChat(app.url, { ...conversation, stream: false });
    const completion = (await expectMatchesSpec('createChatCompletion', response, 200)) as ChatCompletion;
    expect(completion.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: 'Hello there' }, finishReason: 'stop' },
    ]);
    expect(calls.at(-1)!.body.stream).toBe(true);
  });

  it('answers 502 rather than use an upstream chunk that fails the schema when stream is false', async () => {
    behaviour = behaviours.sendsAnInvalidChunk;
    const response = await postChat(app.url, { ...conversation, stream: false });
    const problem = await expectMatchesSpec('createChatCompletion', response, 502);
    expect(problem.detail).toContain('/choices/0/delta/content must be string');
  });

  it('sends the requested model upstream when no upstream model is configured', async () => {
    const plain = await startApp({
      store,
      chat: { upstream: { url: `${upstream.url}/v1/chat/completions` } },
    });
    try {
      await readChatStream(await postChat(plain.url, ask('Hi', { model: 'PET_ADVISOR_TURBO' })));
      expect(calls.at(-1)!.body.model).toBe('PET_ADVISOR_TURBO');
      expect(calls.at(-1)!.headers.authorization).toBeUndefined();
    } finally {
      await plain.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatCompletion, ChatResponder } from '../../src/domain/chat/index.js';
import { petAdvisor } from '../../src/domain/chat/index.js';
import type { Store } from '../../src/store/index.js';
import { STAFF_SCOPES } from '../helpers/accessTokens.js';
import { expectMatchesSpec, expectProblem } from '../helpers/expectMatchesSpec.js';
import { restClient } from '../helpers/restClient.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { openTestStore } from '../helpers/testStore.js';
import { ask, postChat, readChatStream } from './chatStream.js';

/** The built-in advisor, recording how many chunks each answer produced and whether it was torn down. */
function instrumented(inner: ChatResponder) {
  const runs: { pulled: number; finished: boolean }[] = [];
  const responder: ChatResponder = {
    async answer(request, signal) {
      const choices = await inner.answer(request, signal);
      const run = { pulled: 0, finished: false };
      runs.push(run);
      return (async function* () {
        try {
          for await (const choice of choices) {
            run.pulled += 1;
            yield choice;
          }
        } finally {
          run.finished = true;
        }
      })();
    },
  };
  return { runs, responder };
}

let store: Store;
let app: StartedApp;
let watched: StartedApp;
let runs: ReturnType<typeof instrumented>['runs'];
beforeAll(async () => {
  store = await openTestStore();
  app = await startApp({ store });
  const tracked = instrumented(petAdvisor(store.pets));
  runs = tracked.runs;
  watched = await startApp({ store, chat: { responder: tracked.responder } });
});
afterAll(async () => {
  await Promise.all([app.close(), watched.close()]);
  await store.close();
});

const petNamed = async (name: string) => (await store.pets.all()).find((pet) => pet.name === name)!;

describe('POST /v1/chat/completions with stream true', () => {
  it('streams valid unnamed chunks of one completion, then [DONE] written verbatim as the last frame', async () => {
    const response = await postChat(app.url, ask('Which pets are good for a family with kids?'));
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    const stream = await readChatStream(response);
    expect(stream.text).not.toMatch(/^event:/m);
    expect(stream.text.endsWith(`\n\nid: ${stream.capture.events.length}\ndata: [DONE]\n\n`)).toBe(true);
    expect(stream.capture.retries).toEqual([1500]);
    expect(stream.capture.events.map((frame) => frame.event)).toEqual(
      stream.capture.events.map(() => undefined),
    );
    expect(stream.capture.events.map((frame) => frame.id)).toEqual(
      stream.capture.events.map((_frame, index) => String(index + 1)),
    );
    expect(stream.capture.events.at(-1)!.data).toBe('[DONE]');
    expect(stream.chunks.length).toBe(stream.capture.events.length - 1);

    const [first, ...rest] = stream.chunks;
    expect(first!.id).toMatch(/^chatcmpl_[0-9a-f]{32}$/);
    expect(stream.chunks.every((chunk) => chunk.id === first!.id && chunk.model === 'PET_ADVISOR_1')).toBe(
      true,
    );
    expect(first!.choices[0]!.delta).toEqual({ role: 'assistant', content: '' });
    expect(rest.slice(0, -1).every((chunk) => chunk.choices[0]!.finishReason === null)).toBe(true);
    expect(rest.at(-1)!.choices[0]).toEqual({ index: 0, delta: {}, finishReason: 'stop' });
    expect(rest.length).toBeGreaterThan(20);
  });

  it('names every pet the store has in stock when asked what is in stock, and no pet it has not', async () => {
    const send = restClient(app.url, 'staff-1', { scopes: STAFF_SCOPES });
    const cooper = await petNamed('Cooper');
    const whiskers = await petNamed('Whiskers');
    await send('PATCH', `/v1/inventory/${cooper.id}`, { stock: 4 });
    await send('PATCH', `/v1/inventory/${whiskers.id}`, { stock: 0 });
    try {
      const { answer } = await readChatStream(await postChat(app.url, ask('What is in stock?')));
      const inventory = await store.inventory.list();
      const pets = await store.pets.all();
      for (const item of inventory) {
        const pet = pets.find((candidate) => candidate.id === item.petId)!;
        const line = `${pet.name} the ${pet.breed} (`;
        if (item.stock > 0) expect(answer).toContain(`${line}${item.stock} at $`);
        else expect(answer).not.toContain(line);
      }
      expect(answer).toContain('Cooper the Border Collie (4 at $700.00)');
      expect(answer).toMatch(/Out of stock right now: .*Whiskers/);
    } finally {
      await send('PATCH', `/v1/inventory/${cooper.id}`, { stock: cooper.stock });
      await send('PATCH', `/v1/inventory/${whiskers.id}`, { stock: whiskers.stock });
    }
  });

  it('quotes the price and stock the store holds, right after they change', async () => {
    const send = restClient(app.url, 'staff-1', { scopes: STAFF_SCOPES });
    const biscuit = await petNamed('Biscuit');
    await send('PATCH', `/v1/inventory/${biscuit.id}`, { price: 321.45, stock: 7 });
    try {
      const { answer } = await readChatStream(await postChat(app.url, ask('How much is Biscuit?')));
      expect(answer).toBe('Biscuit the Beagle costs $321.45, and 7 are in stock.');
    } finally {
      await send('PATCH', `/v1/inventory/${biscuit.id}`, { price: biscuit.price, stock: biscuit.stock });
    }
  });

  it('recommends to a family with kids only pets in stock that the catalog says are good with kids', async () => {
    const { answer } = await readChatStream(
      await postChat(app.url, ask('Which pets are good for a family with kids?')),
    );
    const names = [...answer.matchAll(/^\d+\. ([^,]+),/gm)].map((match) => match[1]!);
    expect(names).toHaveLength(5);
    for (const name of names) {
      const pet = await petNamed(name);
      expect(pet.traits, name).toContain('good-with-kids');
      expect(pet.stock, name).toBeGreaterThan(0);
    }
  });

  it('answers the same question about the same catalog with the same tokens', async () => {
    const question = ask('Which calm cats under $300 would suit a quiet flat?');
    const first = await readChatStream(await postChat(app.url, question));
    const second = await readChatStream(await postChat(app.url, question));
    const tokens = (stream: typeof first) => stream.chunks.map((chunk) => chunk.choices[0]!.delta.content);
    expect(tokens(second)).toEqual(tokens(first));
    expect(second.answer).toContain('Misty');
    expect(second.chunks[0]!.id).not.toBe(first.chunks[0]!.id);
  });

  it('answers more briefly as PET_ADVISOR_TURBO, from the same catalog', async () => {
    const question = 'Which pets are good for a family with kids?';
    const full = await readChatStream(await postChat(app.url, ask(question)));
    const turbo = await readChatStream(
      await postChat(app.url, ask(question, { model: 'PET_ADVISOR_TURBO' })),
    );
    expect(turbo.chunks.every((chunk) => chunk.model === 'PET_ADVISOR_TURBO')).toBe(true);
    expect(turbo.chunks.length).toBeLessThan(full.chunks.length / 2);
    expect(turbo.answer).toContain(/^1\. ([^,]+),/m.exec(full.answer)![1]);
  });

  it('cuts the answer at maxTokens and ends it with finishReason length', async () => {
    const stream = await readChatStream(await postChat(app.url, ask('What is in stock?', { maxTokens: 3 })));
    const content = stream.chunks.filter((chunk) => chunk.choices[0]!.delta.content);
    expect(content).toHaveLength(3);
    expect(stream.chunks.at(-1)!.choices[0]!.finishReason).toBe('length');
    expect(stream.capture.events.at(-1)!.data).toBe('[DONE]');
  });
});

describe('POST /v1/chat/completions with stream false', () => {
  it('answers one JSON ChatCompletion that matches the spec, with the text the stream carries', async () => {
    const question = 'Tell me about Whiskers';
    const streamed = await readChatStream(await postChat(app.url, ask(question)));
    for (const body of [ask(question, { stream: false }), { ...ask(question), stream: undefined }]) {
      const response = await postChat(app.url, body);
      const completion = (await expectMatchesSpec('createChatCompletion', response, 200)) as ChatCompletion;
      expect(completion.object).toBe('chat.completion');
      expect(completion.id).toMatch(/^chatcmpl_/);
      expect(completion.choices).toEqual([
        { index: 0, message: { role: 'assistant', content: streamed.answer }, finishReason: 'stop' },
      ]);
    }
    expect(streamed.answer).toContain('$249.99');
  });
});

describe('POST /v1/chat/completions refuses bad requests before any stream bytes', () => {
  const valid = ask('What is in stock?');
  it.each([
    ['missing messages', { model: 'PET_ADVISOR_1', stream: true }, '/messages'],
    ['no messages', { ...valid, messages: [] }, '/messages'],
    ['an unknown model', { ...valid, model: 'GPT_5' }, '/model'],
    ['a bad role', { ...valid, messages: [{ role: 'tool', content: 'hi' }] }, '/messages/0/role'],
    [
      'overlong content',
      { ...valid, messages: [{ role: 'user', content: 'x'.repeat(4001) }] },
      '/messages/0/content',
    ],
    ['a maxTokens out of bounds', { ...valid, maxTokens: 5000 }, '/maxTokens'],
    ['an unknown field', { ...valid, temperature: 0.2 }, '/temperature'],
  ])('answers 400 problem+json for %s', async (_case, body, pointer) => {
    const problem = await expectMatchesSpec('createChatCompletion', await postChat(app.url, body), 400);
    expect(problem.errors?.map((error) => error.pointer)).toContain(pointer);
    expect(problem.errors?.every((error) => error.in === 'body')).toBe(true);
  });

  it('answers 400 problem+json to a body that is not JSON', async () => {
    const problem = await expectProblem(
      await postChat(app.url, '{"model": "PET_ADVISOR_1", "messages": ['),
      400,
    );
    expect(problem.errors).toEqual([{ in: 'body', pointer: '', message: 'is not valid JSON' }]);
  });

  it('answers 415 problem+json to a body that is not sent as JSON', async () => {
    const response = await postChat(app.url, JSON.stringify(valid), { 'content-type': 'text/plain' });
    await expectProblem(response, 415);
  });
});

describe('POST /v1/chat/completions when the client goes away', () => {
  it('stops generating at once: the answer is torn down after a few of its chunks', async () => {
    const question = ask('What is in stock?');
    const full = await readChatStream(await postChat(watched.url, question));
    expect(runs.at(-1)).toEqual({ pulled: full.chunks.length, finished: true });

    const client = new AbortController();
    const response = await fetch(`${watched.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(question),
      signal: client.signal,
    });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('\nid: 3\n')) text += decoder.decode((await reader.read()).value);
    client.abort();
    const run = runs.at(-1)!;
    await until(() => run.finished, 1000);
    expect(run.pulled).toBeLessThan(full.chunks.length / 2);
    expect(watched.heartbeat.size).toBe(0);
  });
});

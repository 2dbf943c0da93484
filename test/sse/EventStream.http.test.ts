import type { EventEmitter } from 'node:events';
import { get, type IncomingMessage, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import {
  type CloseReason,
  EventStream,
  type EventStreamOptions,
  HeartbeatWheel,
  runStream,
  type StreamMessage,
} from '../../src/sse/index.js';
import { collectSse } from '../helpers/collectSse.js';
import { type StartedServer, startServer } from '../helpers/startServer.js';
import { type TestEvents, testOptions } from './fixtures/testEvents.js';

type Message = StreamMessage<TestEvents>;

interface Served {
  readonly res: ServerResponse;
  readonly stream: EventStream<TestEvents>;
  readonly before: { res: ListenerCounts; socket: ListenerCounts };
  readonly producerDone: Promise<void>;
}

type ListenerCounts = Record<'drain' | 'close' | 'error', number>;

function listenerCounts(emitter: EventEmitter): ListenerCounts {
  return {
    drain: emitter.listenerCount('drain'),
    close: emitter.listenerCount('close'),
    error: emitter.listenerCount('error'),
  };
}

/** Serves each request as an EventStream fed by `source`; records what it served. */
function sseHandler(
  source: (signal: AbortSignal) => AsyncIterable<Message>,
  options: Partial<EventStreamOptions<TestEvents>> = {},
) {
  const served: Served[] = [];
  let firstServed = (_served: Served): void => {};
  const first = new Promise<Served>((resolve) => {
    firstServed = resolve;
  });
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    const before = { res: listenerCounts(res), socket: listenerCounts(res.socket!) };
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    const stream = new EventStream<TestEvents>(res, { ...testOptions, ...options }).open();
    const producerDone = runStream(stream, source(stream.signal)).finally(() => stream.close());
    served.push({ res, stream, before, producerDone });
    if (served.length === 1) firstServed({ res, stream, before, producerDone });
  };
  return { served, first, handler };
}

async function* waitForAbort(signal: AbortSignal, released: () => void): AsyncGenerator<Message> {
  try {
    yield { event: 'message', data: { text: 'hello' }, id: '1' };
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
  } finally {
    released();
  }
}

let server: StartedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('EventStream on a real HTTP server', () => {
  it('releases every listener, wheel entry, signal and producer when hundreds of clients abort', async () => {
    const clients = 300;
    const wheel = new HeartbeatWheel(50);
    let released = 0;
    const { served, handler } = sseHandler((signal) => waitForAbort(signal, () => released++), {
      heartbeat: wheel,
    });
    server = await startServer(handler);
    const url = server.url;

    await Promise.all(
      Array.from({ length: clients }, async () => {
        const abort = new AbortController();
        const response = await fetch(url, { signal: abort.signal });
        expect(response.headers.get('content-type')).toBe('text/event-stream');
        const capture = await collectSse(response.body!, (seen) => seen.events.length === 1);
        expect(capture.retries).toEqual([3000]);
        abort.abort();
      }),
    );

    const reasons = await Promise.all(served.map(({ stream }) => stream.closed));
    await Promise.all(served.map(({ producerDone }) => producerDone));
    expect(served).toHaveLength(clients);
    expect(new Set(reasons)).toEqual(new Set<CloseReason>(['client-gone']));
    expect(released).toBe(clients);
    expect(wheel.size).toBe(0);
    for (const { res, stream, before } of served) {
      expect(stream.signal.aborted).toBe(true);
      expect(res.destroyed).toBe(true);
      expect(listenerCounts(res)).toEqual(before.res);
      const socket = listenerCounts(res.socket!);
      expect(socket.drain).toBeLessThanOrEqual(before.socket.drain);
      expect(socket.close).toBeLessThanOrEqual(before.socket.close);
      expect(socket.error).toBeLessThanOrEqual(before.socket.error);
    }
  });

  it('delivers every event and the terminal frame, then ends the response and lets go of it', async () => {
    const { first, handler } = sseHandler(async function* () {
      for (let id = 1; id <= 3; id += 1) yield { event: 'message', data: { text: `n${id}` }, id: String(id) };
      yield { event: 'complete', data: { total: 3 }, id: '4' };
      yield { event: 'message', data: { text: 'never sent' }, id: '5' };
    });
    server = await startServer(handler);

    const response = await fetch(server.url);
    const capture = await collectSse(response.body!);
    expect(capture.events.map(({ id, event }) => [id, event])).toEqual([
      ['1', undefined],
      ['2', undefined],
      ['3', undefined],
      ['4', 'complete'],
    ]);

    const { res, stream, before } = await first;
    expect(await stream.closed).toBe('terminal');
    if (!res.closed) await new Promise((resolve) => res.once('close', resolve));
    expect(res.writableFinished).toBe(true);
    expect(listenerCounts(res)).toEqual(before.res);
  });

  it('drops a real client that stops reading once its queue is full', async () => {
    const text = 'x'.repeat(4096);
    let produced = 0;
    const { first, handler } = sseHandler(
      async function* () {
        for (;;) {
          produced += 1;
          yield { event: 'message', data: { text }, id: String(produced) };
          await new Promise((resolve) => setImmediate(resolve));
        }
      },
      { maxQueueBytes: 64 * 1024 },
    );
    server = await startServer(handler);

    const request = get(server.url, (response) => {
      response.pause();
      response.on('error', () => {});
    });
    request.on('error', () => {});

    const { res, stream, producerDone } = await first;
    expect(await stream.closed).toBe('slow-consumer');
    await producerDone;
    expect(res.destroyed).toBe(true);
    request.destroy();
    const producedAtClose = produced;
    for (let turn = 0; turn < 5; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(produced).toBe(producedAtClose);
  });
});

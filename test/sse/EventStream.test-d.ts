import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { describe, expectTypeOf, it } from 'vitest';
import type {
  ErrorEventOption,
  EventStream,
  EventStreamOptions,
  SseSink,
  StreamMessage,
} from '../../src/sse/index.js';
import type { TestEvents } from './fixtures/testEvents.js';

declare const stream: EventStream<TestEvents>;

interface InterfaceEvents {
  tick: { n: number };
}

describe('EventStream types', () => {
  it('accepts each event name with its own payload', () => {
    expectTypeOf(stream.send('stock-change', { sku: 'a', quantity: 1 }, '1')).toEqualTypeOf<boolean>();
    expectTypeOf(stream.send('message', { text: 'hi' }, '2')).toEqualTypeOf<boolean>();
    expectTypeOf(stream.send<'complete'>)
      .parameter(1)
      .toEqualTypeOf<{ total: number }>();
    expectTypeOf(stream.send).parameter(0).toEqualTypeOf<keyof TestEvents>();
  });

  it('rejects an unknown event name', () => {
    // @ts-expect-error 'nope' is not an event of TestEvents
    stream.send('nope', { text: 'hi' }, '1');
  });

  it('rejects a payload of another event or with a wrong field', () => {
    // @ts-expect-error a message payload is not a stock-change payload
    stream.send('stock-change', { text: 'hi' }, '1');
    // @ts-expect-error quantity must be a number
    stream.send('stock-change', { sku: 'a', quantity: '1' }, '1');
    // @ts-expect-error the id is required
    stream.send('message', { text: 'hi' });
  });

  it('narrows a stream message on its event name', () => {
    expectTypeOf<StreamMessage<TestEvents>['event']>().toEqualTypeOf<keyof TestEvents>();
    const message = {} as StreamMessage<TestEvents>;
    if (message.event === 'complete') expectTypeOf(message.data).toEqualTypeOf<{ total: number }>();
    // @ts-expect-error the payload does not match the event name
    const wrong: StreamMessage<TestEvents> = { event: 'complete', data: { text: 'x' }, id: '1' };
    expectTypeOf(wrong).not.toBeAny();
  });

  it('types the error event payload after the chosen event', () => {
    const option: ErrorEventOption<TestEvents> = {
      event: 'stream-error',
      payload: () => ({ code: 'invalid_frame', detail: 'x' }),
    };
    expectTypeOf(option.event).toEqualTypeOf<'stream-error'>();
    expectTypeOf<ErrorEventOption<TestEvents>['event']>().toEqualTypeOf<keyof TestEvents>();
    expectTypeOf<
      Extract<ErrorEventOption<TestEvents>, { event: 'complete' }>['payload']
    >().returns.toEqualTypeOf<{ total: number }>();
    // @ts-expect-error a complete payload cannot be the stream-error payload
    const wrong: ErrorEventOption<TestEvents> = { event: 'stream-error', payload: () => ({ total: 1 }) };
    expectTypeOf(wrong).not.toBeAny();
  });

  it('only names terminal events that exist', () => {
    expectTypeOf<{ terminal: ['complete'] }>().toMatchTypeOf<
      NonNullable<EventStreamOptions<TestEvents>['grammar']>
    >();
    // @ts-expect-error 'done' is not an event of TestEvents
    const grammar: EventStreamOptions<TestEvents>['grammar'] = { terminal: ['done'] };
    expectTypeOf(grammar).not.toBeAny();
  });

  it('accepts an interface as the event map', () => {
    expectTypeOf<EventStream<InterfaceEvents>['send']>().parameter(0).toEqualTypeOf<'tick'>();
  });

  it('accepts a Node ServerResponse or Socket as a sink', () => {
    expectTypeOf<ServerResponse>().toExtend<SseSink>();
    expectTypeOf<Socket>().toExtend<SseSink>();
  });
});

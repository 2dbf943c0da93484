import { describe, expectTypeOf, it } from 'vitest';
import type { EventStreamOptions, StringEventName } from '../../src/sse/index.js';

type ChatEvents = { chunk: { text: string }; done: '[DONE]'; note: string; 'stream-error': { code: string } };

describe('EventStream unnamedEvents and rawDataEvents types', () => {
  it('lists as raw data only the events whose payload is a string', () => {
    expectTypeOf<StringEventName<ChatEvents>>().toEqualTypeOf<'done' | 'note'>();
    const options: Pick<EventStreamOptions<ChatEvents>, 'rawDataEvents' | 'unnamedEvents'> = {
      rawDataEvents: ['done'],
      unnamedEvents: ['chunk', 'done'],
    };
    expectTypeOf(options).not.toBeAny();
  });

  it('rejects a raw-data event with an object payload, and an unnamed event that does not exist', () => {
    // @ts-expect-error a chunk payload is an object, so it cannot be written as raw data
    const raw: EventStreamOptions<ChatEvents>['rawDataEvents'] = ['chunk'];
    // @ts-expect-error 'delta' is not an event of ChatEvents
    const unnamed: EventStreamOptions<ChatEvents>['unnamedEvents'] = ['delta'];
    expectTypeOf(raw).not.toBeAny();
    expectTypeOf(unnamed).not.toBeAny();
  });
});

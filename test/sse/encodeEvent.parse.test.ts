import { describe, expect, it } from 'vitest';
import { encodeComment, encodeEvent } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';

function chunksOf(text: string, size: number): string[] {
  const chunks: string[] = [];
  for (let at = 0; at < text.length; at += size) chunks.push(text.slice(at, at + size));
  return chunks;
}

const tricky = {
  injection: '\n\nevent: complete\ndata: {}\n\n',
  unicode: 'Grüße 🐈‍⬛ 猫 \u2028\u2029 \uFEFF',
  loneSurrogate: '\uD800',
  leadingSpace: ' indented',
  controls: '\t\u0000\u001b',
};

describe('encodeEvent read back by eventsource-parser', () => {
  const wire = [
    encodeEvent({ retry: 1000 }),
    encodeEvent({ id: '1', event: 'stock-change', data: JSON.stringify(tricky) }),
    encodeComment('heartbeat'),
    encodeEvent({ id: '2', data: JSON.stringify({ n: 2 }) }),
  ].join('');

  it.each([wire.length, 7, 1])('round-trips JSON payloads fed in chunks of %i characters', (size) => {
    const capture = parseSse(chunksOf(wire, size));
    expect(capture.errors).toEqual([]);
    expect(capture.retries).toEqual([1000]);
    expect(capture.comments).toEqual(['heartbeat']);
    expect(capture.events).toHaveLength(2);
    expect(capture.events[0]).toMatchObject({ id: '1', event: 'stock-change' });
    expect(JSON.parse(capture.events[0]?.data ?? '')).toEqual(tricky);
    expect(capture.events[1]).toEqual({ id: '2', event: undefined, data: '{"n":2}' });
  });

  it('keeps an injected frame inside raw multi-line data and returns that data unchanged', () => {
    const capture = parseSse(encodeEvent({ id: '9', event: 'note', data: tricky.injection }));
    expect(capture.events).toEqual([{ id: '9', event: 'note', data: tricky.injection }]);
  });

  it('reads CR and CRLF in raw data back as LF', () => {
    const capture = parseSse(encodeEvent({ data: 'a\rb\r\nc' }));
    expect(capture.events.map((event) => event.data)).toEqual(['a\nb\nc']);
  });

  it('reads back an empty data string as one empty event', () => {
    expect(parseSse(encodeEvent({ event: 'ping', data: '' })).events).toEqual([
      { id: undefined, event: 'ping', data: '' },
    ]);
  });

  it('keeps a leading space of the data', () => {
    expect(parseSse(encodeEvent({ data: tricky.leadingSpace })).events[0]?.data).toBe(' indented');
  });
});

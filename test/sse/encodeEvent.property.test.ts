import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeEvent, SseEncodeError } from '../../src/sse/index.js';
import { parseSse } from '../helpers/collectSse.js';

/** Pieces that break naive encoders: line ends of each kind, NUL, field names, a BOM, astral and combining characters. */
const TRICKY = fc.constantFrom(
  '\r',
  '\n',
  '\r\n',
  '\n\n',
  '\0',
  ':',
  ' ',
  'data: ',
  'id: ',
  'event: ',
  'retry: 1',
  '\uFEFF',
  '\u2028',
  'é',
  'e\u0301',
  '🐈‍⬛',
  '猫',
  '\uD800',
  '\uDC00',
);
/** Any string: well-formed Unicode, lone surrogates, control characters and the tricky pieces. */
const anyString = fc
  .array(fc.oneof(TRICKY, fc.string({ unit: 'binary', maxLength: 6 }), fc.string({ maxLength: 6 })), {
    maxLength: 12,
  })
  .map((parts) => parts.join(''));

const LONE_SURROGATE = /\p{Surrogate}/u;
const unsafeField = (value: string) => /[\r\n\0]/.test(value) || LONE_SURROGATE.test(value);
/** [spec] CR, LF and CRLF all end a line, so data comes back with LF between its lines. */
const normalised = (data: string) => data.replace(/\r\n|\r/g, '\n');

/** Splits `text` at random points, as a network would. */
const chunked = (text: string, cuts: number[]) => {
  const points = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  return [0, ...points].map((start, i) => text.slice(start, [...points, text.length][i]));
};

/** The frame as a client reads it off the wire: UTF-8 bytes, decoded as a stream, in chunks. */
function readBack(frame: string, cuts: number[]) {
  const bytes = new TextEncoder().encode(frame);
  const decoder = new TextDecoder();
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const chunks = [0, ...points].map((start, i) =>
    decoder.decode(bytes.subarray(start, [...points, bytes.length][i]), { stream: true }),
  );
  return parseSse(chunks);
}

describe('encodeEvent, fuzzed', () => {
  it('either throws for an unsafe event, id or data, or gives a frame that parses back to exactly that one event', () => {
    fc.assert(
      fc.property(
        fc.option(anyString, { nil: undefined }),
        fc.option(anyString, { nil: undefined }),
        anyString,
        fc.array(fc.nat(), { maxLength: 5 }),
        (event, id, data, cuts) => {
          const unsafe =
            (event !== undefined && unsafeField(event)) ||
            (id !== undefined && unsafeField(id)) ||
            LONE_SURROGATE.test(data);
          let frame: string;
          try {
            frame = encodeEvent({ event, id, data });
          } catch (error) {
            expect(error).toBeInstanceOf(SseEncodeError);
            expect(unsafe).toBe(true);
            return;
          }
          expect(unsafe).toBe(false);
          for (const capture of [readBack(frame, cuts), parseSse(chunked(frame, cuts))]) {
            expect(capture.errors).toEqual([]);
            expect(capture.retries).toEqual([]);
            expect(capture.comments).toEqual([]);
            expect(capture.events).toEqual([
              { event: event === '' ? undefined : event, id, data: normalised(data) },
            ]);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('keeps a sequence of frames apart: each parses back to its own event, none merges into or injects another', () => {
    const safe = anyString.filter((value) => !unsafeField(value));
    const frameArb = fc.record({ event: fc.option(safe, { nil: undefined }), id: safe, data: safe });
    fc.assert(
      fc.property(
        fc.array(frameArb, { minLength: 1, maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (frames, cuts) => {
          const wire = encodeEvent({ retry: 1000 }) + frames.map((frame) => encodeEvent(frame)).join('');
          const capture = readBack(wire, cuts);
          expect(capture.errors).toEqual([]);
          expect(capture.retries).toEqual([1000]);
          expect(capture.events).toEqual(
            frames.map((frame) => ({
              event: frame.event === '' ? undefined : frame.event,
              id: frame.id,
              data: normalised(frame.data),
            })),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a retry that is not a non-negative integer, and writes digits only otherwise', () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.integer({ min: -1e15, max: 1e15 })), (retry) => {
        const valid = Number.isSafeInteger(retry) && retry >= 0;
        if (!valid) {
          expect(() => encodeEvent({ retry })).toThrow(SseEncodeError);
          return;
        }
        expect(encodeEvent({ retry })).toBe(`retry: ${String(retry)}\n\n`);
        expect(parseSse(encodeEvent({ retry })).retries).toEqual([retry || 0]); // -0 is written as 0
      }),
      { numRuns: 300 },
    );
  });
});

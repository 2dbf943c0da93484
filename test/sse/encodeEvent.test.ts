import { describe, expect, it } from 'vitest';
import { encodeComment, encodeEvent, SseEncodeError } from '../../src/sse/index.js';

function encodeError(run: () => unknown): SseEncodeError {
  try {
    run();
  } catch (error) {
    if (error instanceof SseEncodeError) return error;
    throw error;
  }
  throw new Error('expected an SseEncodeError, nothing was thrown');
}

describe('encodeEvent', () => {
  it('writes retry, id, event and data in that order and ends the frame with a blank line', () => {
    expect(encodeEvent({ data: '{"a":1}', event: 'stock-change', id: '7', retry: 2500 })).toBe(
      'retry: 2500\nid: 7\nevent: stock-change\ndata: {"a":1}\n\n',
    );
  });

  it('splits data on LF, CR and CRLF into one data line each', () => {
    expect(encodeEvent({ data: 'one\ntwo\rthree\r\nfour' })).toBe(
      'data: one\ndata: two\ndata: three\ndata: four\n\n',
    );
  });

  it('keeps empty lines of data, including leading and trailing ones', () => {
    expect(encodeEvent({ data: '\n\nevent: complete\n' })).toBe(
      'data:\ndata:\ndata: event: complete\ndata:\n\n',
    );
  });

  it('writes one data line for empty data', () => {
    expect(encodeEvent({ data: '' })).toBe('data:\n\n');
  });

  it('writes no event line when no event is given and the name message as given', () => {
    expect(encodeEvent({ id: '1', data: 'x' })).toBe('id: 1\ndata: x\n\n');
    expect(encodeEvent({ event: 'message', data: 'x' })).toBe('event: message\ndata: x\n\n');
  });

  it('writes an id-only frame, which moves the client cursor without dispatching', () => {
    expect(encodeEvent({ id: '42' })).toBe('id: 42\n\n');
  });

  it.each(['a\nb', 'a\rb', 'a\r\nb', 'a\0b', '\n'])('refuses the event name %j', (event) => {
    expect(encodeError(() => encodeEvent({ event, data: 'x' })).code).toBe('invalid_event');
  });

  it.each(['1\n', '1\r', '1\r\nevent: complete', '1\0'])('refuses the id %j', (id) => {
    expect(encodeError(() => encodeEvent({ id, data: 'x' })).code).toBe('invalid_id');
  });

  it('writes retry as plain digits', () => {
    expect(encodeEvent({ retry: 0 })).toBe('retry: 0\n\n');
    expect(encodeEvent({ retry: 30000 })).toBe('retry: 30000\n\n');
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1e21])('refuses the retry %d', (retry) => {
    expect(encodeError(() => encodeEvent({ retry })).code).toBe('invalid_retry');
  });

  it('refuses a frame without any field', () => {
    expect(encodeError(() => encodeEvent({})).code).toBe('empty_frame');
  });

  it('names the offending value and the fix in the error message', () => {
    const error = encodeError(() => encodeEvent({ id: 'a\nb' }));
    expect(error.name).toBe('SseEncodeError');
    expect(error.message).toContain('"a\\nb"');
    expect(error.message).toContain('without control characters');
  });
});

describe('encodeComment', () => {
  it('writes a comment line followed by a blank line', () => {
    expect(encodeComment('heartbeat')).toBe(': heartbeat\n\n');
    expect(encodeComment('')).toBe(':\n\n');
  });

  it.each(['a\nb', 'a\rb'])('refuses the comment %j', (text) => {
    expect(encodeError(() => encodeComment(text)).code).toBe('invalid_comment');
  });
});

import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../packages/client/src/decodeFrame.js';
import { InvalidFrameError } from '../../packages/client/src/index.js';

const chunk = {
  id: 'chatcmpl_0193a5d000007000800000000000001',
  object: 'chat.completion.chunk',
  created: 1795515330,
  model: 'PET_ADVISOR_1',
  choices: [{ index: 0, delta: { content: ' Biscuit' }, finishReason: null }],
};
const status = { status: 'payment_processing', timestamp: '2026-11-24T10:15:30.123Z' };

describe('decodeFrame', () => {
  it('reads an unnamed frame as the channel’s message event', () => {
    const frame = { id: '1', event: undefined, data: JSON.stringify(status) };
    expect(decodeFrame('orderStatusStream', frame, '1', true)).toEqual({
      event: 'message',
      id: '1',
      data: status,
    });
  });

  it('treats a frame named message like an unnamed one', () => {
    const frame = { id: '1', event: 'message', data: JSON.stringify(status) };
    expect(decodeFrame('orderStatusStream', frame, '1', true)?.event).toBe('message');
  });

  it('tells several unnamed events apart by their schemas, with raw data kept as sent', () => {
    const json = { id: '1', event: undefined, data: JSON.stringify(chunk) };
    const raw = { id: '2', event: undefined, data: '[DONE]' };
    expect(decodeFrame('chatCompletionsStream', json, '1', true)).toEqual({
      event: 'chunk',
      id: '1',
      data: chunk,
    });
    expect(decodeFrame('chatCompletionsStream', raw, '2', true)).toEqual({
      event: 'done',
      id: '2',
      data: '[DONE]',
    });
    expect(decodeFrame('chatCompletionsStream', raw, '2', false)?.event).toBe('done');
  });

  it('reports an unnamed frame that is none of the unnamed events with the errors of each', () => {
    const frame = { id: '3', event: undefined, data: '{"object":"chat.completion"}' };
    const error = (() => {
      try {
        decodeFrame('chatCompletionsStream', frame, '3', true);
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(InvalidFrameError);
    expect(error).toMatchObject({ event: 'message', reason: 'schema_mismatch', id: '3' });
    expect((error as InvalidFrameError).errors.length).toBeGreaterThan(1);
  });

  it('skips an undeclared event with validation off, and refuses it with validation on', () => {
    const frame = { id: '4', event: 'surprise', data: '{}' };
    expect(decodeFrame('inventoryStream', frame, '4', false)).toBeUndefined();
    expect(() => decodeFrame('inventoryStream', frame, '4', true)).toThrow(/not declared/);
  });

  it('never takes an inherited property for an event name', () => {
    const frame = { id: '5', event: 'constructor', data: '{}' };
    expect(() => decodeFrame('inventoryStream', frame, '5', true)).toThrow(InvalidFrameError);
  });
});

import { describe, expect, it } from 'vitest';
import { checkResumeId, MISSING_STREAM, type StreamInfo } from '../../src/bus/streamInfo.js';

const info = (overrides: Partial<StreamInfo>): StreamInfo => ({
  headId: '100-0',
  firstId: '50-0',
  maxDeletedId: '0-0',
  trimmed: false,
  ...overrides,
});

describe('checkResumeId', () => {
  it('replays after an id the stream still holds, or its head', () => {
    expect(checkResumeId(info({}), '50-0')).toBe('replay');
    expect(checkResumeId(info({ trimmed: true }), '70-3')).toBe('replay');
    expect(checkResumeId(info({}), '100-0')).toBe('replay');
    expect(checkResumeId(MISSING_STREAM, '0-0')).toBe('replay');
  });

  it('calls an id unknown when it is malformed, past the head, or older than a stream that never lost one', () => {
    expect(checkResumeId(info({}), 'nope')).toBe('unknown_id');
    expect(checkResumeId(info({}), '100-1')).toBe('unknown_id');
    expect(checkResumeId(MISSING_STREAM, '1-0')).toBe('unknown_id');
    expect(checkResumeId(info({}), '49-0')).toBe('unknown_id');
  });

  it('calls an id expired when entries after it may have been trimmed or deleted', () => {
    expect(checkResumeId(info({ trimmed: true }), '49-0')).toBe('expired_id');
    expect(checkResumeId(info({ trimmed: true }), '0-0')).toBe('expired_id');
    expect(checkResumeId(info({ trimmed: true, firstId: undefined }), '60-0')).toBe('expired_id');
    expect(checkResumeId(info({ maxDeletedId: '70-0' }), '60-0')).toBe('expired_id');
  });

  it('replays from the start of a stream that never lost an entry', () => {
    expect(checkResumeId(info({}), '0-0')).toBe('replay');
  });
});

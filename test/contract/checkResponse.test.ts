import { describe, expect, it } from 'vitest';
import type { RecordedResponse } from '../../src/http/middleware/recordResponses.js';
import { checkResponse } from './checkResponse.js';
import { OpenApiDocument } from './openApiDocument.js';

const doc = new OpenApiDocument('generated/specs/openapi.json');
const doc32 = new OpenApiDocument('generated/specs/openapi-3.2.json');
const PET = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';

function record(overrides: Partial<RecordedResponse>): RecordedResponse {
  return {
    method: 'GET',
    url: '/healthz',
    httpVersion: '1.1',
    request: {},
    status: 200,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'abc' },
    body: '{"status":"ok"}',
    truncated: false,
    finished: true,
    ...overrides,
  };
}

const stockChange = (data: object, event = 'stock-change') =>
  `retry: 1500\n\nid: 7\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-accel-buffering': 'no',
  'x-request-id': 'abc',
};

const messages = (response: RecordedResponse) => checkResponse(response, doc, doc32).map((v) => v.message);

describe('the drift check of one response', () => {
  it('passes a response the document declares', () => {
    expect(messages(record({}))).toEqual([]);
  });

  it('fails an undeclared status, header, media type or an invalid body', () => {
    expect(messages(record({ status: 418 }))).toEqual(['status 418 is not declared']);
    expect(messages(record({ headers: { ...record({}).headers, 'x-powered-by': 'koa' } }))).toEqual([
      'header x-powered-by is not declared',
    ]);
    expect(messages(record({ headers: { 'content-type': 'text/html', 'x-request-id': 'a' } }))[0]).toMatch(
      /Content-Type text\/html is not declared/,
    );
    expect(messages(record({ body: '{"status":"fine"}' }))[0]).toMatch(/body is not valid/);
    expect(messages(record({ headers: { 'content-type': 'application/json' } }))).toEqual([
      'header x-request-id is missing',
    ]);
  });

  it('checks each frame of a stream, its data and its event name', () => {
    const valid = { petId: PET, oldStock: 3, newStock: 2, timestamp: '2026-11-24T10:15:30.123Z' };
    const stream = (body: string) => record({ url: '/v1/inventory/stream', headers: STREAM_HEADERS, body });
    expect(messages(stream(stockChange(valid)))).toEqual([]);
    expect(messages(stream(stockChange({ ...valid, newStock: -1 })))).not.toEqual([]);
    expect(messages(stream(stockChange(valid, 'price-change'))).join()).toMatch(/frame 7 data is not valid/);
  });

  it('holds an unknown path to the 404 problem and a missing method to the declared 405', () => {
    const problem = (status: number) =>
      JSON.stringify({ type: '/problems/x', title: 'X', status, detail: 'x', instance: '/x' });
    const headers = { 'content-type': 'application/problem+json', 'x-request-id': 'a' };
    expect(messages(record({ url: '/nope', status: 404, headers, body: problem(404) }))).toEqual([]);
    expect(messages(record({ url: '/nope', status: 400, headers, body: problem(400) }))[0]).toMatch(
      /unknown path/,
    );
    const allowed = { ...headers, allow: 'HEAD, GET, POST' };
    const deletePets = { method: 'DELETE', url: '/v1/pets', status: 405, body: problem(405) };
    expect(messages(record({ ...deletePets, headers: allowed }))).toEqual([]);
    expect(messages(record({ ...deletePets, headers }))).toEqual(['header allow is missing']);
  });
});

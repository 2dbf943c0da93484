import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedResponse } from '../../src/http/middleware/recordResponses.js';
import { parseSse } from '../helpers/collectSse.js';
import { type StartedApp, startApp, until } from '../helpers/startApp.js';
import { RECORDED_RESPONSES } from '../setup/responseRecording.js';

let app: StartedApp;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app.close();
});

/** The responses this test process recorded with this X-Request-Id. */
async function recorded(requestId: string): Promise<RecordedResponse[]> {
  const text = await readFile(path.join(RECORDED_RESPONSES, `${process.pid}.jsonl`), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.includes(requestId))
    .map((line) => JSON.parse(line) as RecordedResponse)
    .filter((record) => record.headers['x-request-id'] === requestId);
}

async function recordOf(requestId: string): Promise<RecordedResponse> {
  await until(async () => (await recorded(requestId)).length > 0);
  return (await recorded(requestId))[0]!;
}

describe('recording responses for the drift check', () => {
  it('records a REST answer: status, headers as sent and the body', async () => {
    const response = await fetch(`${app.url}/v1/pets?limit=2`, { headers: { 'X-Request-Id': 'rec-rest-1' } });
    const body = await response.text();
    const record = await recordOf('rec-rest-1');
    expect(record).toMatchObject({
      method: 'GET',
      url: '/v1/pets?limit=2',
      status: 200,
      body,
      finished: true,
    });
    expect(record.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('records the frames an HTTP/1.1 stream writes straight to the socket, without the chunked framing', async () => {
    const response = await fetch(`${app.url}/v1/pets/recommendations/stream?userId=user-456&limit=3`, {
      headers: { Accept: 'text/event-stream', 'X-Request-Id': 'rec-stream-1' },
    });
    const text = await response.text();
    const record = await recordOf('rec-stream-1');
    expect(record.status).toBe(200);
    expect(record.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(record.body).toBe(text);
    expect(parseSse(record.body).events.map((frame) => frame.event)).toEqual([
      'recommendation',
      'recommendation',
      'recommendation',
      'complete',
    ]);
  });

  it('records a problem answered for an unknown path', async () => {
    await fetch(`${app.url}/no/such/path`, { headers: { 'X-Request-Id': 'rec-404-1' } });
    const record = await recordOf('rec-404-1');
    expect(record.status).toBe(404);
    expect(JSON.parse(record.body)).toMatchObject({ status: 404 });
  });
});

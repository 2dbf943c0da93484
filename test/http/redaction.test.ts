import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactQuery, redactUrl } from '../../src/http/redactUrl.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

describe('redactQuery', () => {
  it.each([
    ['token=abc', 'token=[redacted]'],
    ['limit=1&ticket=t-1&offset=2', 'limit=1&ticket=[redacted]&offset=2'],
    [
      'access_token=a&Refresh_Token=b&id_token=c',
      'access_token=[redacted]&Refresh_Token=[redacted]&id_token=[redacted]',
    ],
    [
      'api_key=k&apiKey=k&key=k&secret=s&password=p&sig=x&signature=y',
      'api_key=[redacted]&apiKey=[redacted]&key=[redacted]&secret=[redacted]&password=[redacted]&sig=[redacted]&signature=[redacted]',
    ],
    ['access%5Ftoken=a&%74oken=b', 'access%5Ftoken=[redacted]&%74oken=[redacted]'],
    ['token=a&token=b', 'token=[redacted]&token=[redacted]'],
    ['token', 'token'],
    ['userId=user-456&limit=3&lastEventId=41', 'userId=user-456&limit=3&lastEventId=41'],
    ['%E0%A4%A=1&token=%', '%E0%A4%A=1&token=[redacted]'],
    ['', ''],
  ])('turns %j into %j', (query, expected) => {
    expect(redactQuery(query)).toBe(expected);
  });

  it('redacts only the query of a request target', () => {
    expect(redactUrl('/v1/token/stream?token=abc')).toBe('/v1/token/stream?token=[redacted]');
    expect(redactUrl('/v1/pets')).toBe('/v1/pets');
  });
});

describe('request logs and problems', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(async () => {
    await app.close();
  });

  it('log the request id and the query with a token or ticket redacted, never the secret', async () => {
    const response = await fetch(`${app.url}/v1/pets?limit=1&token=s3cr3t-token&ticket=s3cr3t-ticket`, {
      headers: { 'x-request-id': 'req-redaction-1' },
    });
    const line = app.logs.find((entry) => entry.msg === 'request' && entry.requestId === 'req-redaction-1');
    expect(line).toMatchObject({
      path: '/v1/pets',
      query: 'limit=1&token=[redacted]&ticket=[redacted]',
      status: response.status,
    });
    const problem = (await response.json()) as { instance?: string };
    expect(JSON.stringify(app.logs)).not.toContain('s3cr3t');
    expect(problem.instance ?? '').not.toContain('s3cr3t');
  });

  it('do not echo a secret query value in a problem+json instance', async () => {
    const response = await fetch(`${app.url}/v1/pets?limit=0&access_token=s3cr3t`);
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { instance: string };
    expect(problem.instance).toBe('/v1/pets?limit=0&access_token=%5Bredacted%5D');
  });
});

import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LOG_REDACTION } from '../../src/http/middleware/logRedaction.js';
import { redactQuery, redactUrl } from '../../src/http/middleware/redactUrl.js';

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

describe('LOG_REDACTION', () => {
  it('censors Authorization and Cookie headers, tokens and tickets should anything log them', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => done(void lines.push(chunk.toString())),
    });
    const logger = pino({ redact: LOG_REDACTION }, sink);
    logger.info(
      { req: { headers: { authorization: 'Bearer eyJ.secret', cookie: 'session=secret' } } },
      'request',
    );
    logger.info(
      { headers: { authorization: 'Bearer eyJ.secret' }, token: 'secret', ticket: 'st_secret' },
      'auth',
    );
    expect(lines).toHaveLength(2);
    expect(lines.join('')).not.toContain('secret');
    expect(JSON.parse(lines[0]!).req.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]' });
  });
});

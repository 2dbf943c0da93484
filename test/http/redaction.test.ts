import { describe, expect, it } from 'vitest';
import { redactQuery, redactUrl } from '../../src/http/redactUrl.js';

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

import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from '../helpers/accessTokens.js';
import { expectMatchesSpec } from '../helpers/expectMatchesSpec.js';
import { type StartedApp, startApp } from '../helpers/startApp.js';

const SHOP = 'https://shop.example';

let app: StartedApp;
beforeAll(async () => {
  app = await startApp({ corsOrigins: [SHOP] });
});
afterAll(async () => {
  await app.close();
});

/** Sends `head` (request line and headers, no body) on a new connection and reads until the server closes it. */
function rawExchange(head: string): Promise<string> {
  const { port } = new URL(app.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => socket.write(head));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
    });
    socket.once('end', () => resolve(text));
    socket.once('error', reject);
  });
}

describe('a request without Host', () => {
  it('gets a 400 problem+json saying to send Host, over HTTP/1.1', async () => {
    const answer = await rawExchange('GET /v1/pets HTTP/1.1\r\nConnection: close\r\n\r\n');
    const [head = '', body = ''] = answer.split('\r\n\r\n');
    expect(head).toMatch(/^HTTP\/1\.1 400 /);
    expect(head).toMatch(/\r\nContent-Type: application\/problem\+json/i);
    expect(JSON.parse(body)).toMatchObject({ status: 400, type: '/problems/bad-request' });
    expect(JSON.parse(body).detail).toContain('Host');
  });

  it('is answered as usual over HTTP/1.0, which needs no Host', async () => {
    const answer = await rawExchange('GET /healthz HTTP/1.0\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
  });
});

describe('OPTIONS outside CORS', () => {
  it('answers a plain OPTIONS 405 problem+json, with the methods in Allow', async () => {
    const response = await fetch(`${app.url}/v1/pets`, { method: 'OPTIONS' });
    const problem = await expectMatchesSpec('optionsPets', response, 405);
    expect(problem.detail).toContain('CORS preflight');
    expect(response.headers.get('allow')).toMatch(/GET/);
  });

  it('answers a preflight from an origin not allowed 403 problem+json, without CORS headers', async () => {
    const response = await fetch(`${app.url}/v1/inventory/stream`, {
      method: 'OPTIONS',
      headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'GET' },
    });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    const problem = await expectMatchesSpec('optionsInventoryStream', response, 403);
    expect(problem.detail).toContain('https://elsewhere.example');
  });

  it('still answers a preflight from an allowed origin 204', async () => {
    const response = await fetch(`${app.url}/v1/pets`, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe(SHOP);
  });
});

describe('preference age ranges', () => {
  const put = async (body: unknown) =>
    fetch(`${app.url}/v1/users/user-456/preferences`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...(await bearer('user-456')) },
      body: JSON.stringify(body),
    });

  it('refuses minAgeMonths over maxAgeMonths with a 400 naming both, and keeps the old preferences', async () => {
    const before = await app.store.users.get('user-456');
    const problem = await expectMatchesSpec(
      'putPreferences',
      await put({ minAgeMonths: 50, maxAgeMonths: 1 }),
      400,
    );
    expect(problem.errors).toEqual([
      expect.objectContaining({ in: 'body', pointer: '/minAgeMonths' }),
      expect.objectContaining({ in: 'body', pointer: '/maxAgeMonths' }),
    ]);
    expect(await app.store.users.get('user-456')).toEqual(before);
  });

  it('takes an equal minimum and maximum, and either alone', async () => {
    for (const body of [{ minAgeMonths: 12, maxAgeMonths: 12 }, { minAgeMonths: 50 }, { maxAgeMonths: 1 }]) {
      await expectMatchesSpec('putPreferences', await put(body), 200);
    }
  });
});

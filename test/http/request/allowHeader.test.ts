import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { operations } from '../../../generated/operations.js';
import { type StartedApp, startApp } from '../../helpers/startApp.js';

let app: StartedApp;

beforeAll(async () => {
  app = await startApp();
});

afterAll(async () => {
  await app.close();
});

/**
 * Each path of the OpenAPI document with the methods its operations declare, but `OPTIONS`: the router
 * answers it by itself and lists the methods of the path's routes.
 */
const methodsByPath = new Map<string, Set<string>>();
for (const operation of Object.values(operations)) {
  if (operation.method === 'OPTIONS') continue;
  const methods = methodsByPath.get(operation.path) ?? new Set<string>();
  methods.add(operation.method);
  methodsByPath.set(operation.path, methods);
}

/** A request path for a path template: each `{name}` becomes `sample-name`, a value no literal segment has. */
const concrete = (template: string) => template.replaceAll(/\{([A-Za-z0-9_]+)\}/g, 'sample-$1');

const allowOf = (response: Response) =>
  (response.headers.get('allow') ?? '')
    .split(',')
    .map((method) => method.trim())
    .filter((method) => method !== '')
    .sort();

describe('the Allow header', () => {
  it.each([...methodsByPath].map(([template, methods]) => [template, [...methods].sort()] as const))(
    'lists the methods the spec declares for %s, no more and no fewer',
    async (template, methods) => {
      const response = await fetch(`${app.url}${concrete(template)}`, { method: 'OPTIONS' });
      // A plain OPTIONS (not a CORS preflight) is refused, with the path's methods in Allow.
      expect(response.status).toBe(405);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(((await response.json()) as { detail: string }).detail).toContain('only as a CORS preflight');
      expect(allowOf(response)).toEqual(methods);
    },
  );

  it('does not let a path parameter match the literal segment of a more concrete path', async () => {
    expect(concrete('/v1/inventory/{petId}')).not.toBe('/v1/inventory/stream');
    const options = await fetch(`${app.url}/v1/inventory/stream`, { method: 'OPTIONS' });
    await options.arrayBuffer();
    expect(options.status).toBe(405);
    expect(allowOf(options)).toEqual(['GET', 'HEAD']);
    const patch = await fetch(`${app.url}/v1/inventory/stream`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stock: 1 }),
    });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('content-type')).toBe('application/problem+json');
    expect(allowOf(patch)).toEqual(['GET', 'HEAD']);
  });
});

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../generated/channels.js';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../..');
const redocly = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')),
  'bin/cli.js',
);
const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };

type Node = { [key: string]: unknown };

let work: string;
let bundled: Node;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'petstore-bundle-'));
  const output = path.join(work, 'openapi.json');
  await run(process.execPath, [redocly, 'bundle', 'spec/openapi.yaml', '--ext', 'json', '-o', output], {
    cwd: root,
    env,
  });
  bundled = JSON.parse(await readFile(output, 'utf8')) as Node;
});

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Resolves a local `$ref` (`#/components/...`) in the bundled document, however deep. */
function resolve(node: unknown): Node {
  const ref = (node as Node).$ref;
  if (typeof ref !== 'string') return node as Node;
  return resolve(
    ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as Node)[key.replaceAll('~1', '/').replaceAll('~0', '~')], bundled),
  );
}

function refsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) refsIn(item, found);
  else if (node && typeof node === 'object')
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') found.push(value);
      else refsIn(value, found);
    }
  return found;
}

describe('spec/openapi.yaml as one OpenAPI 3.1 file (what Apidog imports)', () => {
  it('bundles into a single 3.1 document with only local references', () => {
    expect(bundled.openapi).toBe('3.1.0');
    expect(refsIn(bundled).filter((ref) => !ref.startsWith('#/'))).toEqual([]);
  });

  it('describes each stream by the data of its events, exactly the payloads its AsyncAPI channel declares', () => {
    const streams = Object.values(bundled.paths as Record<string, Record<string, Node>>)
      .flatMap((item) => Object.values(item))
      .filter((operation) => typeof operation['x-asyncapi-channel'] === 'string');
    expect(streams.map((operation) => operation['x-asyncapi-channel']).sort()).toEqual(
      Object.keys(channels).sort(),
    );
    for (const operation of streams) {
      const channel = channels[operation['x-asyncapi-channel'] as keyof typeof channels];
      const response = resolve((operation.responses as Node)['200']);
      const data = resolve(((response.content as Node)['text/event-stream'] as Node).schema);
      const payloads = (data.oneOf as Node[]).map((variant) => String(variant.$ref).split('/').pop());
      const expected = Object.values(channel.messages).map((message) => message.schema);
      expect(new Set(payloads), channel.id).toEqual(new Set(expected));
    }
  });

  it('validates with Redocly as OpenAPI 3.1, with no errors', async () => {
    const { stdout, stderr } = await run(
      process.execPath,
      [redocly, 'lint', path.join(work, 'openapi.json'), '--format', 'summary'],
      { cwd: root, env },
    );
    expect(`${stdout}${stderr}`).toContain('Your API description is valid');
  });
});

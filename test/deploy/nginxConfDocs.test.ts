import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('the deployment guide', () => {
  it('shows deploy/nginx.conf exactly as committed (the file test/deploy/nginx.test.ts runs)', async () => {
    const [guide, conf] = await Promise.all([
      readFile(path.join(root, 'docs/scaling.md'), 'utf8'),
      readFile(path.join(root, 'deploy/nginx.conf'), 'utf8'),
    ]);
    const blocks = [...guide.matchAll(/```nginx\n([\s\S]*?)```/g)].map((match) => match[1]);
    expect(blocks).toEqual([conf]);
  });
});

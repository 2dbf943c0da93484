import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildClientPackage } from '../client/build.js';
import { buildDemo } from '../demo/build.js';
import { buildDocsSite } from '../docs/build.js';
import { buildPgliteTemplate } from './pgliteDataDir.js';
import { precompress } from './precompress.js';
import { buildServer } from './server.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({ options: { force: { type: 'boolean', default: false } } });
const options = { force: values.force };

/**
 * `npm run build`: everything `npm start` runs or serves, each part skipped when its inputs are unchanged
 * (`--force` builds all). The client package first: the demo page bundles it.
 */
const steps: [string, () => Promise<boolean>][] = [
  ['client package (packages/client/dist)', () => buildClientPackage(options)],
  ['server (dist/server)', () => buildServer(options)],
  ['embedded database template (dist/pglite)', () => buildPgliteTemplate(options)],
  ['demo page (dist/demo)', () => buildDemo(path.join(root, 'dist/demo'), options)],
  ['docs site (dist/docs)', () => buildDocsSite(path.join(root, 'dist/docs'), options)],
];
for (const [name, build] of steps) {
  const started = performance.now();
  const built = await build();
  const ms = Math.round(performance.now() - started);
  console.log(built ? `build: ${name} built in ${ms} ms` : `build: ${name} is up to date`);
}
// The .br and .gz copies the server sends to clients that accept them; each written only when missing or
// older than its file, so an up-to-date site costs a stat per file.
for (const site of ['dist/demo', 'dist/docs']) {
  const started = performance.now();
  const written = await precompress(path.join(root, site));
  const ms = Math.round(performance.now() - started);
  if (written > 0) console.log(`build: ${written} precompressed copies (.br, .gz) in ${site} in ${ms} ms`);
}

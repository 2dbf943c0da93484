// `npm start` runs this first: it brings dist/ up to date (`npm run build`, which skips every part whose
// inputs are unchanged), so `npm ci && npm start` works on a fresh checkout. Plain JavaScript, so that it
// runs where only production dependencies are installed: there, nothing can be built, and an existing
// dist/server is started as it is.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');
const server = path.join(root, 'dist/server/main.js');

if (existsSync(tsx)) {
  const build = spawnSync(process.execPath, [tsx, path.join(root, 'scripts/build/index.ts')], {
    stdio: 'inherit',
  });
  process.exitCode = build.status ?? 1;
} else if (existsSync(server)) {
  console.warn('start: the build tools (dev dependencies) are not installed; starting dist/server as it is');
} else {
  console.error('start: dist/server is not built and cannot be: run `npm ci` (with dev dependencies) first');
  process.exitCode = 1;
}

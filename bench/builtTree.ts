import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';

/**
 * A checkout with its server compiled (`dist/server/main.js`), for W7, which runs the server as `npm start`
 * does. `dir` is used as it is (e.g. a `git worktree` with its own node_modules); otherwise `revision` is
 * exported (`git archive`) to /tmp with this tree's node_modules linked in. Either way its own `npm run build`
 * runs first (it skips every part whose inputs are unchanged).
 */
export function builtTree(
  root: string,
  dir: string | undefined,
  revision: string,
): { commit: string; dir: string } {
  let target = dir;
  let commit: string;
  if (target) {
    commit = execSync('git rev-parse --short HEAD', { cwd: target, encoding: 'utf8' }).trim();
  } else {
    if (!/^[\w./^~-]+$/.test(revision)) throw new Error(`BENCH_W7_BEFORE=${revision} is not a git revision`);
    commit = execSync(`git rev-parse --short ${revision}`, { cwd: root, encoding: 'utf8' }).trim();
    target = `/tmp/petstore-sse-bench-w7-${commit}`;
    if (!existsSync(path.join(target, 'package.json'))) {
      mkdirSync(target, { recursive: true });
      execSync(`git archive ${commit} | tar -x -C ${target}`, { cwd: root });
      symlinkSync(path.join(root, 'node_modules'), path.join(target, 'node_modules'));
    }
  }
  build(root, target);
  return { commit, dir: target };
}

/** Runs `npm run build` of the tree at `dir` (with this tree's tsx when it has none of its own). */
export function build(root: string, dir: string): void {
  const tsx = [dir, root].map((at) => path.join(at, 'node_modules/tsx/dist/cli.mjs')).find(existsSync);
  if (!tsx) throw new Error('tsx is not installed: run npm ci');
  execFileSync(process.execPath, [tsx, 'scripts/build/index.ts'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

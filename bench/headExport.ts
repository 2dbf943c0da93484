import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';

const HEAD_DIR = '/tmp/petstore-sse-bench-head';

/** Exports the last commit's app (`git archive` of src, generated, package.json) for ours@<commit>, the "before". */
export function exportHead(root: string): { commit: string; dir: string } {
  const commit = execSync('git rev-parse --short HEAD', { encoding: 'utf8' }).trim();
  rmSync(HEAD_DIR, { recursive: true, force: true });
  mkdirSync(HEAD_DIR, { recursive: true });
  execSync(`git archive HEAD package.json src generated | tar -x -C ${HEAD_DIR}`);
  if (!existsSync(`${HEAD_DIR}/node_modules`))
    symlinkSync(`${root}/node_modules`, `${HEAD_DIR}/node_modules`);
  return { commit, dir: HEAD_DIR };
}

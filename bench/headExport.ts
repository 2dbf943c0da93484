import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';

const HEAD_DIR = '/tmp/petstore-sse-bench-head';

/**
 * Exports the "before" app (`git archive` of src, generated, package.json) for ours@<commit>: the commit
 * `BENCH_BEFORE` names (any git revision, e.g. a release tag), by default the last commit (HEAD).
 */
export function exportHead(
  root: string,
  revision = process.env.BENCH_BEFORE || 'HEAD',
): { commit: string; dir: string } {
  if (!/^[\w./^~-]+$/.test(revision)) throw new Error(`BENCH_BEFORE=${revision} is not a git revision`);
  const commit = execSync(`git rev-parse --short ${revision}`, { encoding: 'utf8' }).trim();
  rmSync(HEAD_DIR, { recursive: true, force: true });
  mkdirSync(HEAD_DIR, { recursive: true });
  execSync(`git archive ${commit} package.json src generated | tar -x -C ${HEAD_DIR}`);
  if (!existsSync(`${HEAD_DIR}/node_modules`))
    symlinkSync(`${root}/node_modules`, `${HEAD_DIR}/node_modules`);
  return { commit, dir: HEAD_DIR };
}

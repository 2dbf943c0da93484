/**
 * What the Redoc bundle served with the docs changes from the one in @redocly/cli, so that it keeps to the
 * docs' Content-Security-Policy (nothing from another origin, no eval).
 *
 * Redoc's attribution badge ("API docs by" and the Redocly logo) loads its logo from Redocly's CDN, which
 * the docs' Content-Security-Policy refuses (nothing loads from another origin): the badge stayed blank and
 * every page logged a CSP error. The bundle served here loads the logo from beside the pages instead.
 */
const LOGOS: Record<string, string> = {
  'https://cdn.redoc.ly/redoc/logo-mini-full.svg': './redocly-logo-full.svg',
  'https://cdn.redoc.ly/redoc/logo-mini.svg': './redocly-logo-mini.svg',
};

/** The logos the bundle served here loads, shipped in scripts/docs and copied beside the pages. */
export const REDOC_ASSETS: readonly string[] = Object.values(LOGOS).map((file) => file.slice(2));

/**
 * Redoc's search asks whether it may run in a worker by compiling its worker's source with `Function(…)`,
 * which the docs' Content-Security-Policy refuses (no `unsafe-eval`): a CSP violation on every page, after
 * which it searches without a worker. The bundle served here does not ask, and searches without a worker.
 */
const WORKER_SEARCH_PROBE = /try\{return (\w+)\._factory\?\?=Function\((\w+)\),!0\}catch\{return!1\}/;

/**
 * The Redoc bundle with its logos served from beside the pages and without the search's eval probe; fails
 * if either is no longer where this expects it (a new Redoc: check the badge and the CSP again).
 */
export function localRedocBundle(bundle: string): string {
  if (!WORKER_SEARCH_PROBE.test(bundle))
    throw new Error(
      "the Redoc bundle's search no longer probes for a worker as expected: check the docs' CSP",
    );
  let local = bundle.replace(WORKER_SEARCH_PROBE, 'return!1');
  for (const [remote, file] of Object.entries(LOGOS)) {
    if (!local.includes(`\`${remote}\``))
      throw new Error(
        `the Redoc bundle no longer loads ${remote}: check its attribution badge still works offline`,
      );
    local = local.replaceAll(`\`${remote}\``, `\`${file}\``);
  }
  return local;
}

/**
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

/** The Redoc bundle with its logos served from beside the pages; fails if a logo URL is no longer there. */
export function localRedocBundle(bundle: string): string {
  let local = bundle;
  for (const [remote, file] of Object.entries(LOGOS)) {
    if (!local.includes(`\`${remote}\``))
      throw new Error(
        `the Redoc bundle no longer loads ${remote}: check its attribution badge still works offline`,
      );
    local = local.replaceAll(`\`${remote}\``, `\`${file}\``);
  }
  return local;
}

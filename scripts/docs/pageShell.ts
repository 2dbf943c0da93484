import { type NavLink, type NavSection, siteNavigation } from './navigation.js';

/** The site's stylesheet, written beside the pages (no inline style: the pages' CSP needs none for it). */
export const SITE_CSS = 'site.css';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text or an attribute value, escaped for HTML. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/**
 * `href` (relative to the site's root) as a link from the page at `pagePath` (`streams`,
 * `console/inventory`): one `../` per folder the page is in.
 */
export function hrefFrom(pagePath: string, href: string): string {
  const depth = pagePath.split('/').length - 1;
  const up = '../'.repeat(depth);
  if (href === './') return up || './';
  return `${up}${href}`;
}

const pathOf = (href: string) => href.split('#')[0]!.replace(/^\.\/$/, '');

function linkHtml(link: NavLink, pagePath: string): string {
  const current = pathOf(link.href) === pagePath && !link.href.includes('#') ? ' aria-current="page"' : '';
  return `<a href="${escapeHtml(hrefFrom(pagePath, link.href))}"${current}>${escapeHtml(link.title)}</a>`;
}

function sectionHtml(section: NavSection, pagePath: string): string {
  const items = section.links.map((link) => {
    const sub = link.links?.length
      ? `<ul>${link.links.map((child) => `<li>${linkHtml(child, pagePath)}</li>`).join('')}</ul>`
      : '';
    return `<li>${linkHtml(link, pagePath)}${sub}</li>`;
  });
  return `<section><h2>${escapeHtml(section.title)}</h2><ul>${items.join('')}</ul></section>`;
}

/**
 * The bar at the top of every page: the site's name and each section of the navigation as a menu that opens
 * without script (`<details>`). `pagePath` is the page's path under the site's root (`''` for the REST
 * reference, `asyncapi`, `streams`).
 */
export function siteBar(pagePath: string, sections: NavSection[] = siteNavigation()): string {
  const menus = sections.map(
    (section) =>
      `<details class="site-menu"><summary>${escapeHtml(section.title)}</summary>${sectionHtml(section, pagePath)}</details>`,
  );
  return [
    '<header class="site-bar">',
    `<a class="site-name" href="${hrefFrom(pagePath, './')}">Petstore SSE</a>`,
    `<nav aria-label="Site">${menus.join('')}</nav>`,
    '</header>',
  ].join('');
}

/** The navigation in full, as the guide pages' sidebar. */
export function siteSidebar(pagePath: string, sections: NavSection[] = siteNavigation()): string {
  return `<nav class="site-sidebar" aria-label="Contents">${sections.map((section) => sectionHtml(section, pagePath)).join('')}</nav>`;
}

export interface PageContent {
  /** The page's path under the site's root, e.g. `security` or `console/inventory`. */
  path: string;
  title: string;
  /** The page's main content, HTML. */
  main: string;
  /** More for `<head>`, e.g. `<script type="module" src="…">` (same origin only: see the docs CSP). */
  head?: string;
}

/** A whole page of the site: the bar, the sidebar and `main`, styled by {@link SITE_CSS}. */
export function renderPage(page: PageContent): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)} · Petstore SSE</title>`,
    '<link rel="icon" href="data:,">',
    `<link rel="stylesheet" href="${hrefFrom(page.path, SITE_CSS)}">`,
    page.head ?? '',
    '</head>',
    '<body class="guide">',
    siteBar(page.path),
    '<div class="guide-layout">',
    siteSidebar(page.path),
    `<main class="guide-page">${page.main}</main>`,
    '</div>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

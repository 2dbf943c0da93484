import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { channels } from '../../generated/channels.js';
import { CLIENT_DIR } from '../client/build.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const source = path.join(root, 'src/console');

/** One stream console of the docs site. */
export interface ConsolePage {
  /** The AsyncAPI channel it connects to. */
  readonly channel: 'recommendationsStream' | 'orderStatusStream' | 'inventoryStream';
  /** Its path under the docs site's root (`/docs/`), e.g. `console/inventory`. */
  readonly path: string;
  /** Its address on the server, e.g. `/docs/console/inventory`. */
  readonly href: string;
  /** Its name in a navigation. */
  readonly title: string;
  readonly description: string;
}

/** The page that lists the consoles (a folder index: link it with the trailing slash). */
export const CONSOLE_INDEX = '/docs/console/';
/** {@link CONSOLE_INDEX} as a path under the docs site's root. */
const INDEX_PATH = 'console/';

/** The stream consoles, one per stream that resumes, in the order the navigation lists them. */
export const CONSOLE_PAGES: readonly ConsolePage[] = [
  {
    channel: 'recommendationsStream',
    path: 'console/recommendations',
    href: '/docs/console/recommendations',
    title: 'Recommendations',
    description:
      'A user’s recommendations as they are ranked, then complete; resuming a finished run answers 204.',
  },
  {
    channel: 'orderStatusStream',
    path: 'console/orders',
    href: '/docs/console/orders',
    title: 'Order status',
    description:
      'An order’s statuses (unnamed frames) until it ships or is cancelled; needs the owner’s token.',
  },
  {
    channel: 'inventoryStream',
    path: 'console/inventory',
    href: '/docs/console/inventory',
    title: 'Live inventory',
    description: 'Every stock-change and price-change, endless; PATCH /v1/inventory/{petId} to see one.',
  },
];

/** What the console is built from: a change to any of these rebuilds the docs site. */
export const CONSOLE_INPUTS = [source, path.join(CLIENT_DIR, 'dist'), fileURLToPath(import.meta.url)];

/** How the docs site dresses the console pages: its navigation bar and what that needs in `<head>`. */
export interface ConsoleBuildOptions {
  /**
   * The site's navigation for the page at `pagePath` (`console/inventory`…, `console/` for the list), as
   * static HTML put first in `<body>`: no inline script or style, for the pages pass a
   * Content-Security-Policy without `'unsafe-inline'`. Default: none.
   */
  readonly siteBar?: (pagePath: string) => string;
  /** Added to every page's `<head>`, e.g. the site's stylesheet `<link>`. Default: nothing. */
  readonly head?: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** `template` with each `{{name}}` replaced; every placeholder must have a value. */
function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{(\w+)\}\}/g, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`console template: no value for {{${name}}}`);
    return value;
  });
}

function tabs(current: ConsolePage): string {
  return CONSOLE_PAGES.map((page) => {
    const active = page === current ? ' aria-current="page"' : '';
    return `<a href="${page.href}"${active}>${escapeHtml(page.title)}</a>`;
  }).join('');
}

function pickerLinks(): string {
  return CONSOLE_PAGES.map(
    (page) =>
      `<li><a href="${page.href}">${escapeHtml(page.title)}</a>` +
      `<p><code>${channels[page.channel].method} ${escapeHtml(channels[page.channel].address)}</code></p>` +
      `<p>${escapeHtml(page.description)}</p></li>`,
  ).join('');
}

/** `console.js`: src/console/main.ts with the client package (as any page would import it) and the validators. */
async function bundle(outFile: string): Promise<void> {
  await build({
    entryPoints: [path.join(source, 'main.ts')],
    outfile: outFile,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: 'linked',
    // As for the demo: `@petstore-sse/client` resolves through node_modules to the package's built dist/.
    tsconfigRaw: {},
    logLevel: 'warning',
  });
}

/**
 * Writes the stream consoles into the docs site at `docsDir`: `console/index.html` (the list), one page per
 * stream (`console/<name>.html`, served at {@link ConsolePage.href}), and the bundle, styles and icon they
 * load. The client package's `dist/` must be built first (`buildClientPackage`).
 */
export async function writeConsole(docsDir: string, options: ConsoleBuildOptions = {}): Promise<void> {
  const outDir = path.join(docsDir, 'console');
  await mkdir(outDir, { recursive: true });
  const [page, picker] = await Promise.all([
    readFile(path.join(source, 'page.html'), 'utf8'),
    readFile(path.join(source, 'picker.html'), 'utf8'),
    bundle(path.join(outDir, 'console.js')),
    copyFile(path.join(source, 'console.css'), path.join(outDir, 'console.css')),
    copyFile(path.join(root, 'src/demo/favicon.svg'), path.join(outDir, 'favicon.svg')),
  ]);
  const head = options.head ?? '';
  const nav = (pagePath: string) => options.siteBar?.(pagePath) ?? '';
  await writeFile(
    path.join(outDir, 'index.html'),
    fill(picker, { head, nav: nav(INDEX_PATH), links: pickerLinks() }),
  );
  for (const current of CONSOLE_PAGES) {
    const { method, address } = channels[current.channel];
    const html = fill(page, {
      head,
      nav: nav(current.path),
      channel: current.channel,
      title: escapeHtml(current.title),
      tabs: tabs(current),
      method,
      address: escapeHtml(address),
      description: escapeHtml(current.description),
    });
    await writeFile(path.join(docsDir, `${current.path}.html`), html);
  }
}

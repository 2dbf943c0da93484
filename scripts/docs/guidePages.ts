import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Marked, type RendererObject, type Tokens } from 'marked';
import { parseBlockInfo } from './commandBlocks.js';
import { GUIDE_PAGES, type GuidePage } from './navigation.js';
import { escapeHtml, renderPage } from './pageShell.js';

/** A heading's anchor as GitHub makes it, so links written for GitHub work here too. */
export function headingId(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/**
 * Where a link in `source` (a markdown file of the repository) points on the site: a guide page by its
 * `href` (anchor kept), an absolute URL or a site path as written; `undefined` for any other file of the
 * repository, which the site does not serve.
 */
export function siteHref(
  source: string,
  href: string,
  pages: readonly GuidePage[] = GUIDE_PAGES,
): string | undefined {
  if (/^(https?:|mailto:|#|\/)/.test(href)) return href;
  const [file = '', anchor] = href.split('#');
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(source), file));
  const page = pages.find((candidate) => candidate.source === target);
  if (!page) return undefined;
  return anchor ? `${page.href}#${anchor}` : page.href;
}

interface Rendered {
  title: string;
  html: string;
}

/** One markdown file as the body of a guide page: its first `#` heading is the title. */
export function renderMarkdown(source: string, markdown: string): Rendered {
  const ids = new Map<string, number>();
  const toc: { id: string; text: string }[] = [];
  let title = '';
  const uniqueId = (text: string) => {
    const id = headingId(text);
    const seen = ids.get(id) ?? 0;
    ids.set(id, seen + 1);
    return seen === 0 ? id : `${id}-${seen}`;
  };
  const renderer: RendererObject = {
    heading(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Heading) {
      const inner = this.parser.parseInline(token.tokens);
      const id = uniqueId(token.text);
      if (token.depth === 1 && !title) title = token.text.replace(/`/g, '');
      if (token.depth === 2) toc.push({ id, text: inner });
      return `<h${token.depth} id="${id}">${inner}</h${token.depth}>\n`;
    },
    code(token: Tokens.Code) {
      const { lang } = parseBlockInfo(token.lang);
      const language = lang ? ` class="language-${escapeHtml(lang)}"` : '';
      return `<pre><code${language}>${escapeHtml(token.text)}</code></pre>\n`;
    },
    link(this: { parser: { parseInline(tokens: Tokens.Generic[]): string } }, token: Tokens.Link) {
      const inner = this.parser.parseInline(token.tokens);
      const href = siteHref(source, token.href);
      if (href === undefined) return inner;
      const external = /^https?:/.test(href) ? ' rel="noopener noreferrer"' : '';
      return `<a href="${escapeHtml(href)}"${external}>${inner}</a>`;
    },
    // The guide is markdown only: raw HTML is shown as text, so no page can carry a script or a style.
    html(token: Tokens.HTML | Tokens.Tag) {
      return escapeHtml(token.text);
    },
  };
  const body = new Marked({ gfm: true, renderer }).parse(markdown, { async: false });
  const contents =
    toc.length > 2
      ? `<nav class="guide-toc" aria-label="On this page"><strong>On this page</strong><ul>${toc
          .map((entry) => `<li><a href="#${entry.id}">${entry.text}</a></li>`)
          .join('')}</ul></nav>`
      : '';
  // The table of contents goes before the first section.
  const firstSection = body.indexOf('<h2');
  const html = firstSection === -1 ? body : body.slice(0, firstSection) + contents + body.slice(firstSection);
  return { title: title || source, html };
}

/**
 * Writes each page of {@link GUIDE_PAGES} into `outDir` as `<href>.html`, from its markdown under `root`.
 * A missing file fails the build with its name.
 */
export async function writeGuidePages(
  root: string,
  outDir: string,
  pages: readonly GuidePage[] = GUIDE_PAGES,
) {
  await Promise.all(
    pages.map(async (page) => {
      const markdown = await readFile(path.join(root, page.source), 'utf8').catch((error: unknown) => {
        throw new Error(`docs: the guide page "${page.title}" reads ${page.source}, which is missing`, {
          cause: error,
        });
      });
      const { title, html } = renderMarkdown(page.source, markdown);
      await writeFile(
        path.join(outDir, `${page.href}.html`),
        renderPage({ path: page.href, title, main: html }),
      );
    }),
  );
}

import { describe, expect, it } from 'vitest';
import { fencedBlocks, parseBlockInfo } from '../../scripts/docs/commandBlocks.js';
import { headingId, renderMarkdown, siteHref } from '../../scripts/docs/guidePages.js';
import { GUIDE_PAGES, siteNavigation } from '../../scripts/docs/navigation.js';
import { hrefFrom, renderPage, siteBar } from '../../scripts/docs/pageShell.js';

describe('the guide pages', () => {
  it('point links between guide files at their pages, keep site paths and URLs, and drop links to other files', () => {
    expect(siteHref('docs/streams.md', 'security.md#stream-tickets')).toBe('security#stream-tickets');
    expect(siteHref('docs/streams.md', '../CONTRIBUTING.md')).toBe('contributing');
    expect(siteHref('CONTRIBUTING.md', 'docs/scaling.md')).toBe('scaling');
    expect(siteHref('docs/streams.md', '#pet-advisor-chat')).toBe('#pet-advisor-chat');
    expect(siteHref('docs/streams.md', 'https://html.spec.whatwg.org/')).toBe(
      'https://html.spec.whatwg.org/',
    );
    expect(siteHref('docs/streams.md', '/metrics')).toBe('/metrics');
    expect(siteHref('docs/performance.md', '../bench/RESULTS.md')).toBeUndefined();
  });

  it('renders markdown with GitHub anchors, escaped code and no raw HTML', () => {
    const { title, html } = renderMarkdown(
      'docs/streams.md',
      '# Streams and `resuming`\n\nSee [Security](security.md).\n\n## Event ids & resuming\n\n```sh norun: why\ncurl "a<b"\n```\n\n<script>alert(1)</script>\n\n[bench](../bench/RESULTS.md)\n',
    );
    expect(title).toBe('Streams and resuming');
    expect(html).toContain('<h2 id="event-ids--resuming">');
    expect(html).toContain('<a href="security">Security</a>');
    expect(html).toContain('<pre><code class="language-sh">curl &quot;a&lt;b&quot;</code></pre>');
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).toContain('bench');
    expect(html).not.toContain('RESULTS.md');
    expect(headingId('HTTP/2 and `TLS`')).toBe('http2-and-tls');
  });
});

describe('the navigation', () => {
  it('lists every guide page, the references and each stream, in every page', () => {
    const titles = siteNavigation().flatMap((section) => section.links.map((link) => link.title));
    expect(titles).toEqual(expect.arrayContaining(GUIDE_PAGES.map((page) => page.title)));
    expect(titles).toEqual(expect.arrayContaining(['REST API', 'Streams (AsyncAPI)', 'Live inventory']));
    const html = renderPage({ path: 'security', title: 'Security', main: '<p>x</p>' });
    for (const page of GUIDE_PAGES) expect(html).toContain(`href="${page.href}"`);
    expect(html).toContain('<a href="security" aria-current="page">Security</a>');
  });

  it('links from a page in a sub-folder (a console page, say) back up to the site root', () => {
    expect(hrefFrom('console/inventory', 'streams')).toBe('../streams');
    expect(hrefFrom('console/inventory', './')).toBe('../');
    expect(hrefFrom('security', './')).toBe('./');
    expect(siteBar('console/inventory')).toContain('href="../asyncapi#/channels/inventorystream"');
  });
});

describe('command blocks', () => {
  it('reads how a block runs from its info string', () => {
    expect(parseBlockInfo('sh')).toEqual({ lang: 'sh', stream: false });
    expect(parseBlockInfo('sh stream')).toEqual({ lang: 'sh', stream: true });
    expect(parseBlockInfo('sh norun: starts a server')).toEqual({
      lang: 'sh',
      stream: false,
      norun: 'starts a server',
    });
    expect(fencedBlocks('a\n```sh\nnpm test\n```\n\n````md\n```sh\nnot a block\n```\n````\n')).toEqual([
      { lang: 'sh', stream: false, code: 'npm test', line: 2 },
      { lang: 'md', stream: false, code: '```sh\nnot a block\n```', line: 6 },
    ]);
  });
});

/**
 * The docs site's one navigation, shown on every page (the guide's sidebar and the bar above the Redoc
 * references). Every `href` is relative to the site's root (`/docs/`): `streams`, `asyncapi#/channels/…`;
 * the page shell makes it relative to the page it is drawn on, so pages may live in sub-folders.
 *
 * To add a page, add an entry here and write the page into the site (a guide page from markdown needs only
 * its entry in {@link GUIDE_PAGES}); a stream's further pages go in `links` of its entry in {@link STREAM_PAGES},
 * as its console does (`{ title: 'Console', href: 'console/inventory' }`, written by console.ts).
 */
export interface NavLink {
  title: string;
  /** Relative to the site's root, e.g. `security`, `asyncapi#/channels/inventorystream`, `console/inventory`. */
  href: string;
}

/** A guide page, rendered from a markdown file of the repository at build time. */
export interface GuidePage extends NavLink {
  /** The markdown file, relative to the repository's root. */
  source: string;
}

/** A stream: its page in the AsyncAPI reference, and further pages about it (a live console, say). */
export interface StreamPage extends NavLink {
  /** The AsyncAPI channel, e.g. `inventoryStream`. */
  channel: string;
  /** Shown under the stream's entry. */
  links: NavLink[];
}

export interface NavSection {
  title: string;
  links: (NavLink & { links?: NavLink[] })[];
}

/** The guide, in reading order. The file names are stable: other branches write into them. */
export const GUIDE_PAGES: readonly GuidePage[] = [
  { title: 'Streams and resuming', href: 'streams', source: 'docs/streams.md' },
  { title: 'REST and Idempotency-Key', href: 'rest', source: 'docs/rest.md' },
  { title: 'Security', href: 'security', source: 'docs/security.md' },
  { title: 'Operations and metrics', href: 'operations', source: 'docs/operations.md' },
  { title: 'Running several instances', href: 'scaling', source: 'docs/scaling.md' },
  { title: 'HTTP/2', href: 'http2', source: 'docs/http2.md' },
  { title: 'Testing with Apidog', href: 'apidog', source: 'docs/apidog.md' },
  { title: 'SDKs', href: 'sdks', source: 'docs/sdks.md' },
  { title: 'Performance', href: 'performance', source: 'docs/performance.md' },
  { title: 'How it is built', href: 'architecture', source: 'docs/architecture.md' },
  { title: 'Contributing', href: 'contributing', source: 'CONTRIBUTING.md' },
];

/** The two references Redoc renders from the bundled contract, and the list of stream consoles (console.ts). */
export const REFERENCE_PAGES: readonly NavLink[] = [
  { title: 'REST API', href: './' },
  { title: 'Streams (AsyncAPI)', href: 'asyncapi' },
  { title: 'Stream consoles', href: 'console/' },
];

/** Each stream's channel page; anchors are Redoc's (`#/channels/<channel in lower case>`). */
export const STREAM_PAGES: readonly StreamPage[] = [
  {
    title: 'Pet recommendations',
    channel: 'recommendationsStream',
    href: 'asyncapi#/channels/recommendationsstream',
    links: [],
  },
  {
    title: 'Order status',
    channel: 'orderStatusStream',
    href: 'asyncapi#/channels/orderstatusstream',
    links: [],
  },
  {
    title: 'Live inventory',
    channel: 'inventoryStream',
    href: 'asyncapi#/channels/inventorystream',
    links: [],
  },
  {
    title: 'Pet advisor chat',
    channel: 'chatCompletionsStream',
    href: 'asyncapi#/channels/chatcompletionsstream',
    links: [],
  },
];

/** The navigation every page shows, in order. */
export function siteNavigation(): NavSection[] {
  return [
    { title: 'Guide', links: [...GUIDE_PAGES] },
    { title: 'Reference', links: [...REFERENCE_PAGES] },
    { title: 'Streams', links: [...STREAM_PAGES] },
  ];
}

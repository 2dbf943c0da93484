import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { SendOptions, SendResult } from '@fastify/send';
import type { Context } from 'koa';

/** The precompressed copies the build writes beside a file (`demo.js.br`, `demo.js.gz`), best first. */
const PRECOMPRESSED = [
  { encoding: 'br', extension: '.br' },
  { encoding: 'gzip', extension: '.gz' },
] as const;

/**
 * What `@fastify/send` does for every file: strong validators (`ETag`, `Last-Modified`) and conditional
 * requests (`304`, `412`), byte ranges (`206`, `416`), no dot files, and for a path without an extension
 * `<path>.html`, for a folder path its `index.html`. `Cache-Control` and the media type are set here.
 */
const SEND_OPTIONS: SendOptions = {
  dotfiles: 'ignore',
  extensions: ['html'],
  index: ['index.html'],
  cacheControl: false,
  contentType: false,
  etag: true,
  lastModified: true,
  acceptRanges: true,
};

/** `@fastify/send`, loaded on the first file asked for: the API's requests never need it (~0.05 s at start). */
let loaded: Promise<typeof import('@fastify/send')['default']> | undefined;
const loadSend = () => {
  loaded ??= import('@fastify/send').then((module) => module.default);
  return loaded;
};

/** Statuses of a file answered as `@fastify/send` decided; anything else means "no such file". */
const ANSWERED = new Set([200, 206, 304, 412, 416]);

/**
 * Answers a request for a file under `root` with `@fastify/send` and returns `true`, or returns `false`
 * when `requestPath` (as requested, still percent-encoded) names no regular file there: a path that leaves
 * `root`, a dot file, a folder, a malformed escape or NUL all name nothing. When the client accepts it, the
 * build's precompressed copy (`.br`, else `.gz`) is sent instead, with `Content-Encoding` and
 * `Vary: Accept-Encoding`; its validators and ranges are those of the copy. `headers` (a
 * `Content-Security-Policy`, say) are added as given, beside `Cache-Control: no-cache` and
 * `X-Content-Type-Options: nosniff`.
 */
export async function serveStaticFile(
  ctx: Context,
  root: string,
  requestPath: string,
  headers: (file: string) => Record<string, string> = () => ({}),
): Promise<boolean> {
  const send = await loadSend();
  let file: string | undefined;
  const found = await send(ctx.req, requestPath, {
    ...SEND_OPTIONS,
    root,
    onFile: (resolved) => {
      file = resolved;
    },
  });
  if (file === undefined || !ANSWERED.has(found.statusCode)) {
    found.stream.destroy();
    return false;
  }
  const variant = await precompressedCopy(ctx, file);
  let answer: SendResult = found;
  if (variant) {
    found.stream.destroy();
    answer = await send(ctx.req, encodePath(path.relative(root, file) + variant.extension), {
      ...SEND_OPTIONS,
      root,
      extensions: false,
      index: false,
    });
  }
  ctx.status = answer.statusCode;
  ctx.set({
    ...answer.headers,
    'Cache-Control': 'no-cache',
    'X-Content-Type-Options': 'nosniff',
    Vary: 'Accept-Encoding',
    ...headers(file),
  });
  // A 304 carries no content, so no Content-Encoding either (as `@fastify/send` answers it).
  if (variant && answer.statusCode !== 304) ctx.set('Content-Encoding', variant.encoding);
  if (answer.statusCode === 412 || answer.statusCode === 416) {
    answer.stream.destroy();
    ctx.body = '';
    return true;
  }
  ctx.type = path.extname(file);
  ctx.body = answer.stream;
  return true;
}

/** The best precompressed copy of `file` that exists and the client accepts (at least as much as none). */
async function precompressedCopy(
  ctx: Context,
  file: string,
): Promise<(typeof PRECOMPRESSED)[number] | undefined> {
  for (const candidate of PRECOMPRESSED) {
    if (ctx.acceptsEncodings(candidate.encoding, 'identity') !== candidate.encoding) continue;
    const info = await stat(`${file}${candidate.extension}`).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

/** A path relative to the root as `@fastify/send` takes it: `/`-separated, each segment percent-encoded. */
function encodePath(relative: string): string {
  return `/${relative.split(path.sep).map(encodeURIComponent).join('/')}`;
}

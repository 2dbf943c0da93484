import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Context } from 'koa';

/**
 * The regular file under `root` that a request path names, or `undefined`. The path is split on `/`; a
 * segment that is `.`, `..`, starts with a dot (hidden files), or holds `\` or NUL names nothing, so a
 * request never leaves `root`. A path without an extension also tries `<path>.html` and `<path>/index.html`.
 */
export async function resolveStaticFile(root: string, requestPath: string): Promise<string | undefined> {
  const segments = requestPath.split('/').filter((segment) => segment !== '');
  if (segments.some((segment) => segment.startsWith('.') || /[\\\0]/.test(segment))) return undefined;
  const base = path.resolve(root);
  const target = path.resolve(base, ...segments);
  if (target !== base && !target.startsWith(`${base}${path.sep}`)) return undefined;
  const index = path.join(target, 'index.html');
  const candidates = target === base ? [index] : path.extname(target) ? [target] : [`${target}.html`, index];
  for (const candidate of candidates) {
    const info = await stat(candidate).catch(() => undefined);
    if (info?.isFile()) return candidate;
  }
  return undefined;
}

/**
 * Answers with a file: its content type from the extension, its length and modification time; `304` when
 * the client's copy is fresh. `headers` are added as given.
 */
export async function sendStaticFile(
  ctx: Context,
  file: string,
  headers: Record<string, string> = {},
): Promise<void> {
  const info = await stat(file);
  ctx.set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', ...headers });
  ctx.lastModified = info.mtime;
  ctx.type = path.extname(file);
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.length = info.size;
  ctx.body = createReadStream(file);
}

import { BUILT_ORIGIN } from './redocPage.js';

type JsonObject = { [key: string]: unknown };

const asObject = (value: unknown): JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : {};

/** How a message goes on the wire: `event: <name>`, or an unnamed frame a browser dispatches as `message`. */
function wireName(message: JsonObject): string {
  const unnamed = message.name === 'message' || message['x-sse-unnamed'] === true;
  return unnamed ? 'unnamed frame (message)' : `event: ${String(message.name)}`;
}

/**
 * The AsyncAPI document as the docs site shows it. Redoc lists messages by `title` and never shows `name`,
 * the SSE event name a client listens for, so each title gets the wire name: "Stock change · event:
 * stock-change". The input is not changed.
 */
export function asyncApiDocsView(asyncapi: JsonObject): JsonObject {
  const doc = structuredClone(asyncapi);
  for (const raw of Object.values(asObject(asObject(doc.components).messages))) {
    const message = asObject(raw);
    const title = typeof message.title === 'string' ? message.title : String(message.name);
    message.title = `${title} · ${wireName(message)}`;
  }
  for (const server of Object.values(asObject(doc.servers))) {
    Object.assign(asObject(server), {
      host: new URL(BUILT_ORIGIN).host,
      protocol: 'http',
      description: SERVER_DESCRIPTION,
    });
  }
  return doc;
}

/** What the references say about their one server; the pages show their own origin as its URL. */
const SERVER_DESCRIPTION = 'This server: the one this page was loaded from.';

/** `http://localhost:3000/asyncapi.json#/channels/inventoryStream` → the channel's page in these docs. */
function docsLinkOf(url: string): string {
  const channel = /\/asyncapi\.json#\/channels\/(\w+)$/.exec(url)?.[1];
  return channel ? `asyncapi#/channels/${channel.toLowerCase()}` : url;
}

/**
 * The OpenAPI document as the REST reference shows it: its server is the page's own origin (see
 * BUILT_ORIGIN), links to AsyncAPI
 * channels open the channel in these docs, and each operation has its code samples. The input is not
 * changed.
 */
export function openApiDocsView(
  openapi: JsonObject,
  withSamples: (doc: JsonObject) => JsonObject,
): JsonObject {
  const doc = withSamples(structuredClone(openapi));
  doc.servers = [{ url: BUILT_ORIGIN, description: SERVER_DESCRIPTION }];
  for (const item of Object.values(asObject(doc.paths))) {
    for (const operation of Object.values(asObject(item))) {
      const docs = asObject(asObject(operation).externalDocs);
      if (typeof docs.url === 'string') docs.url = docsLinkOf(docs.url);
    }
  }
  return doc;
}

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
  return doc;
}

/** What the reference says about its one server: the origin the page was loaded from. */
export const PAGE_ORIGIN_SERVER = {
  url: '/',
  description: 'This server: the origin this page was loaded from.',
};

/** `http://localhost:3000/asyncapi.json#/channels/inventoryStream` → the channel's page in these docs. */
function docsLinkOf(url: string): string {
  const channel = /\/asyncapi\.json#\/channels\/(\w+)$/.exec(url)?.[1];
  return channel ? `asyncapi#/channels/${channel.toLowerCase()}` : url;
}

/**
 * The OpenAPI document as the REST reference shows it: its server is the page's own origin (the bundled
 * document names `http://localhost:3000`, what `npm start` listens on by default), links to AsyncAPI
 * channels open the channel in these docs, and each operation has its code samples. The input is not
 * changed.
 */
export function openApiDocsView(openapi: JsonObject, withSamples: (doc: JsonObject) => JsonObject): JsonObject {
  const doc = withSamples(structuredClone(openapi));
  doc.servers = [PAGE_ORIGIN_SERVER];
  for (const item of Object.values(asObject(doc.paths))) {
    for (const operation of Object.values(asObject(item))) {
      const docs = asObject(asObject(operation).externalDocs);
      if (typeof docs.url === 'string') docs.url = docsLinkOf(docs.url);
    }
  }
  return doc;
}

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

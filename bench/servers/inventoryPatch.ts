import type { IncomingMessage, ServerResponse } from 'node:http';
import { microTimestamp, nowMs } from '../clock.js';
import type { StockChange } from '../payload.js';

const PREFIX = '/v1/inventory/';

/**
 * W8's write for the peers: the minimal equivalent of ours' `PATCH /v1/inventory/{petId}` `{"stock": n}`.
 * No validation beyond "a number", no store, no transaction: it keeps each pet's stock in a Map, makes the
 * `stock-change` (with the microsecond `timestamp` the load generator reads latency from) and the peer
 * broadcasts it in the request's own turn, then answers `200` with the item.
 */
export class InventoryWrites {
  readonly #stock = new Map<string, number>();

  /** The pet id of a `PATCH /v1/inventory/{petId}` URL, else undefined. */
  static petIdOf(method: string | undefined, url: string | undefined): string | undefined {
    if (method !== 'PATCH' || !url?.startsWith(PREFIX)) return undefined;
    const petId = url.slice(PREFIX.length).split('?')[0]!;
    return petId === '' || petId.includes('/') ? undefined : petId;
  }

  /** The change setting `petId`'s stock to `body.stock`, or undefined when the body holds no number. */
  change(petId: string, body: unknown): StockChange | undefined {
    const stock = (body as { stock?: unknown } | null)?.stock;
    if (typeof stock !== 'number') return undefined;
    const oldStock = this.#stock.get(petId) ?? 0;
    this.#stock.set(petId, stock);
    return { petId, oldStock, newStock: stock, timestamp: microTimestamp(nowMs()) };
  }

  /** For a node:http peer: reads the JSON body, broadcasts with `publish`, answers. */
  handle(
    petId: string,
    req: IncomingMessage,
    res: ServerResponse,
    publish: (events: StockChange[]) => void,
  ): void {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      text += chunk;
    });
    req.on('end', () => {
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      const change = this.change(petId, body);
      if (!change) {
        res.writeHead(400).end();
        return;
      }
      publish([change]);
      res
        .writeHead(200, { 'Content-Type': 'application/json' })
        .end(JSON.stringify({ petId, stock: change.newStock }));
    });
  }
}

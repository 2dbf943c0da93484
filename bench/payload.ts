import { microTimestamp, nowMs } from './clock.js';

/** The inventory event every server under test broadcasts: the same `stock-change` payload and framing. */
export interface StockChange {
  petId: string;
  oldStock: number;
  newStock: number;
  timestamp: string;
}

export const EVENT_NAME = 'stock-change';
export const STREAM_PATH = '/v1/inventory/stream';
const PET_ID = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';

export function stockChange(seq: number): StockChange {
  return { petId: PET_ID, oldStock: seq % 50, newStock: (seq + 1) % 50, timestamp: microTimestamp(nowMs()) };
}

/** The frame the raw ceiling writes: what our server writes for the same event. */
export function rawFrame(id: number, data: StockChange): string {
  return `id: ${id}\nevent: ${EVENT_NAME}\ndata: ${JSON.stringify(data)}\n\n`;
}

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

/** Wall-clock milliseconds with sub-millisecond precision, comparable across processes of one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}

/** An RFC 3339 timestamp with microseconds (`…T10:15:30.123456Z`): the latency probe the event carries. */
export function microTimestamp(ms: number): string {
  const micros = Math.floor((ms % 1) * 1000);
  return `${new Date(Math.floor(ms)).toISOString().slice(0, 23)}${String(micros).padStart(3, '0')}Z`;
}

/** Milliseconds of a {@link microTimestamp}. */
export function parseMicroTimestamp(text: string): number {
  return Date.parse(`${text.slice(0, 23)}Z`) + Number(text.slice(23, 26)) / 1000;
}

export function stockChange(seq: number): StockChange {
  return { petId: PET_ID, oldStock: seq % 50, newStock: (seq + 1) % 50, timestamp: microTimestamp(nowMs()) };
}

/** The frame the raw ceiling writes: what our server writes for the same event. */
export function rawFrame(id: number, data: StockChange): string {
  return `id: ${id}\nevent: ${EVENT_NAME}\ndata: ${JSON.stringify(data)}\n\n`;
}

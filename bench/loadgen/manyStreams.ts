import { connect, type Socket } from 'node:net';
import { nowMs } from '../clock.js';
import { HttpSseParser } from './HttpSseParser.js';

/**
 * One of W9's load generator processes (bench/workloads/w9ManyStreams.ts): it holds up to ~15 000 inventory
 * streams (the per-process limit of 20 000 open files), every socket bound to its own loopback source address
 * (127.0.0.x) so that the ephemeral ports of several generators do not run out. Each stream counts the
 * `stock-change` events of the phase's writes by their `newStock` (write i sets `base + i`), so a write
 * received twice is a duplicate and one not received by the end is lost; every receipt's time is kept in a
 * 0.1 ms histogram against the write's send time, which the runner hands over at the end.
 */
export type ManyStreamsCommand =
  | { type: 'connect'; port: number; count: number; localAddress: string; window: number }
  | { type: 'expect'; base: number; writes: number }
  | { type: 'progress' }
  | { type: 'report'; sentAt: number[] }
  | { type: 'close' };

export interface ManyConnected {
  type: 'connected';
  open: number;
  failed: number;
  /** Failed connects by reason (`status 429`, `ECONNRESET`, …). */
  reasons: Record<string, number>;
  ms: number;
}

export interface ManyProgress {
  type: 'progress';
  /** Streams that have every write of the phase. */
  complete: number;
  open: number;
}

export interface ManyReport {
  type: 'report';
  streams: number;
  /** Still open at the end of the phase. */
  open: number;
  received: number;
  lost: number;
  duplicates: number;
  /** Latency histogram: [bucket (0.1 ms), count] for every non-empty bucket. */
  histogram: Array<[number, number]>;
  maxMs: number;
}

const BUCKETS_PER_MS = 10;
const STOCK_CHANGE = 'stock-change';
const NEW_STOCK = '"newStock":';

class Stream {
  status = 0;
  closed = false;
  counts = new Uint8Array(0);
  /** Receive time of the first copy of each write. */
  receivedAt = new Float64Array(0);
  constructor(readonly socket: Socket) {}
}

let streams: Stream[] = [];
let base = 0;
let writes = 0;
let failReasons: Record<string, number> = {};

function open(port: number, localAddress: string): Promise<Stream> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress, noDelay: true });
    const stream = new Stream(socket);
    const parser = new HttpSseParser({
      head: (status) => {
        stream.status = status;
        if (status !== 200) failReasons[`status ${status}`] = (failReasons[`status ${status}`] ?? 0) + 1;
        resolve(stream);
      },
      event: (event) => {
        if (event.event !== STOCK_CHANGE) return;
        const at = event.data.indexOf(NEW_STOCK);
        const index = Number.parseInt(event.data.slice(at + NEW_STOCK.length), 10) - base;
        if (at < 0 || !(index >= 0 && index < writes)) return;
        if (stream.counts[index]! < 255) stream.counts[index]! += 1;
        if (stream.counts[index] === 1) stream.receivedAt[index] = nowMs();
      },
      end: () => {
        stream.closed = true;
      },
    });
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => parser.feed(text));
    socket.on('close', () => {
      stream.closed = true;
      resolve(stream);
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (stream.status === 0)
        failReasons[error.code ?? 'error'] = (failReasons[error.code ?? 'error'] ?? 0) + 1;
    });
    socket.on('connect', () =>
      socket.write(
        'GET /v1/inventory/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n',
      ),
    );
  });
}

async function connectAll(command: Extract<ManyStreamsCommand, { type: 'connect' }>): Promise<ManyConnected> {
  const startedAt = nowMs();
  failReasons = {};
  const opened: Stream[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next++ < command.count) opened.push(await open(command.port, command.localAddress));
  };
  await Promise.all(Array.from({ length: Math.min(command.window, command.count) }, worker));
  const ok = opened.filter((stream) => stream.status === 200 && !stream.closed);
  for (const stream of opened) if (stream.status !== 200 || stream.closed) stream.socket.destroy();
  streams.push(...ok);
  return {
    type: 'connected',
    open: streams.length,
    failed: command.count - ok.length,
    reasons: failReasons,
    ms: nowMs() - startedAt,
  };
}

function report(sentAt: number[]): ManyReport {
  const histogram = new Map<number, number>();
  let received = 0;
  let lost = 0;
  let duplicates = 0;
  let maxMs = 0;
  for (const stream of streams) {
    for (let i = 0; i < writes; i++) {
      const count = stream.counts[i]!;
      if (count === 0) {
        lost++;
        continue;
      }
      received++;
      duplicates += count - 1;
      const ms = stream.receivedAt[i]! - sentAt[i]!;
      maxMs = Math.max(maxMs, ms);
      const bucket = Math.max(0, Math.round(ms * BUCKETS_PER_MS));
      histogram.set(bucket, (histogram.get(bucket) ?? 0) + 1);
    }
  }
  return {
    type: 'report',
    streams: streams.length,
    open: streams.filter((stream) => !stream.closed).length,
    received,
    lost,
    duplicates,
    histogram: [...histogram],
    maxMs,
  };
}

async function handle(command: ManyStreamsCommand): Promise<object> {
  switch (command.type) {
    case 'connect':
      return connectAll(command);
    case 'expect':
      base = command.base;
      writes = command.writes;
      for (const stream of streams) {
        stream.counts = new Uint8Array(writes);
        stream.receivedAt = new Float64Array(writes);
      }
      return { type: 'expecting' };
    case 'progress':
      return {
        type: 'progress',
        complete: streams.filter((stream) => stream.counts.every((count) => count > 0)).length,
        open: streams.filter((stream) => !stream.closed).length,
      } satisfies ManyProgress;
    case 'report':
      return report(command.sentAt);
    case 'close':
      for (const stream of streams) stream.socket.destroy();
      streams = [];
      return { type: 'closed' };
  }
}

process.on('message', (command: ManyStreamsCommand) => {
  handle(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ type: 'failed', error: String(error) }),
  );
});
process.send?.({ type: 'ready' });

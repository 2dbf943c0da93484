import { connect, type Socket } from 'node:net';
import { nowMs } from '../clock.js';
import { HttpSseParser } from './HttpSseParser.js';
import type { RequestLoopCommand, RequestLoopResult } from './protocol.js';

/** One stream request in flight on a worker's connection. */
interface InFlight {
  sentAt: number;
  measured: boolean;
  status: number;
  firstEventAt: number;
  recommendations: number;
  total: number;
  failed: boolean;
}

/**
 * W4: `concurrency` kept-alive connections, each sending its next stream request as soon as the previous
 * response ended, for the warm-up and then the measured window; streams in flight at the end are awaited.
 * A stream counts as completed when it answered 200, sent `complete` with `total` equal to the
 * `recommendation` frames received, and ended.
 */
export async function runRequestLoop(command: RequestLoopCommand): Promise<RequestLoopResult> {
  const startedAt = nowMs();
  const measureFrom = startedAt + command.warmupMs;
  const stopAt = measureFrom + command.durationMs;
  const result: RequestLoopResult = {
    type: 'requests',
    completed: 0,
    served: 0,
    failed: 0,
    spanMs: 0,
    firstEventMs: [],
    completeMs: [],
    events: 0,
  };
  let lastEnd = measureFrom;
  let turn = 0;
  const headers = Object.entries(command.headers ?? {})
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('');

  const finish = (request: InFlight, ok: boolean): void => {
    result.served++;
    if (!request.measured) return;
    const at = nowMs();
    lastEnd = Math.max(lastEnd, at);
    if (!ok || request.failed || request.status !== 200 || request.total !== request.recommendations) {
      result.failed++;
      return;
    }
    result.completed++;
    result.events += request.recommendations + 1;
    result.firstEventMs.push(request.firstEventAt - request.sentAt);
    result.completeMs.push(at - request.sentAt);
  };

  const sockets = new Set<Socket>();
  // A server that stops answering must not hang the bench: cut whatever is left well after the window.
  const guard = setTimeout(
    () => {
      for (const socket of sockets) socket.destroy();
    },
    command.warmupMs + command.durationMs + 10_000,
  );
  const worker = (): Promise<void> =>
    new Promise((resolve) => {
      let socket: Socket;
      let request: InFlight | undefined;
      const send = (): void => {
        const now = nowMs();
        if (now >= stopAt) {
          socket.destroy();
          resolve();
          return;
        }
        const path = command.paths[turn++ % command.paths.length]!;
        request = {
          sentAt: now,
          measured: now >= measureFrom,
          status: 0,
          firstEventAt: 0,
          recommendations: 0,
          total: -1,
          failed: false,
        };
        socket.write(
          `GET ${path} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n${headers}\r\n`,
        );
      };
      const parser = new HttpSseParser({
        head: (status) => {
          if (request) request.status = status;
        },
        event: (event) => {
          if (!request) return;
          if (request.firstEventAt === 0) request.firstEventAt = nowMs();
          if (event.event === 'recommendation') request.recommendations++;
          else if (event.event === 'complete')
            request.total = (JSON.parse(event.data) as { total: number }).total;
          else request.failed = true;
        },
        end: () => {
          if (request) finish(request, true);
          request = undefined;
          send();
        },
      });
      const open = (): void => {
        socket =
          'port' in command.target
            ? connect({ port: command.target.port, host: '127.0.0.1', noDelay: true })
            : connect({ path: command.target.socketPath });
        sockets.add(socket);
        socket.setEncoding('latin1');
        socket.on('connect', send);
        socket.on('data', (text: string) => parser.feed(text));
        socket.on('error', () => {});
        socket.on('close', () => {
          sockets.delete(socket);
          if (!request) return;
          // Cut mid-stream: count it, and carry on with a new connection.
          finish(request, false);
          request = undefined;
          if (nowMs() < stopAt && sockets.size < command.concurrency) open();
          else resolve();
        });
      };
      open();
    });

  await Promise.all(Array.from({ length: command.concurrency }, worker));
  clearTimeout(guard);
  result.spanMs = lastEnd - measureFrom;
  return result;
}

import { nowMs } from '../clock.js';
import type { PatchesCommand, PatchesResult } from './protocol.js';
import { WriteConnection } from './WriteConnection.js';

/** Stock values written so far: every write sets a value no write set before, so every write is a change. */
let lastStock = 100_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * W8's writer: `PATCH /v1/inventory/{petId}` `{"stock": n}` over kept-alive HTTP/1.1 connections, round-robin
 * over the pets, each with a stock never written before. Closed loop: `concurrency` connections each send the
 * next write as soon as the last is answered, for `durationMs`. Open loop: `count` writes on a fixed schedule
 * of `rate` per second, on as many connections as are waiting (at most 64; a write due while 64 wait is not
 * sent and counted as shed).
 */
export async function runPatches(command: PatchesCommand): Promise<PatchesResult> {
  const idle: WriteConnection[] = [];
  const all: WriteConnection[] = [];
  let sent = 0;
  let ok = 0;
  let failed = 0;
  let shed = 0;
  let inFlight = 0;
  let lastAnsweredAt = 0;
  const startedAt = nowMs();

  const write = async (): Promise<void> => {
    const petId = command.petIds[sent % command.petIds.length]!;
    sent++;
    inFlight++;
    let connection = idle.pop();
    if (!connection) {
      connection = new WriteConnection(command.port, command.headers);
      all.push(connection);
    }
    const status = await connection.patch(petId, ++lastStock);
    idle.push(connection);
    inFlight--;
    lastAnsweredAt = nowMs();
    if (status >= 200 && status < 300) ok++;
    else failed++;
  };

  if (command.mode.kind === 'closed') {
    const stopAt = startedAt + command.mode.durationMs;
    const slot = async (): Promise<void> => {
      while (nowMs() < stopAt) await write();
    };
    await Promise.all(Array.from({ length: command.mode.concurrency }, slot));
  } else {
    const { rate, count } = command.mode;
    const pending: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const wait = startedAt + (i * 1000) / rate - nowMs();
      if (wait > 1) await sleep(wait);
      if (inFlight >= 64) shed++;
      else pending.push(write());
    }
    await Promise.all(pending);
  }
  for (const connection of all) connection.close();
  return { type: 'patches', sent, ok, failed, shed, durationMs: lastAnsweredAt - startedAt };
}

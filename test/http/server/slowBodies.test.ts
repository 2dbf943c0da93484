import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessToken, STAFF_SCOPES, TEST_JWT_SECRET } from '../../helpers/accessTokens.js';
import { metricValue } from '../../helpers/readMetrics.js';
import { type ServerProcess, spawnServer } from '../../helpers/spawnServer.js';
import { until } from '../../helpers/startApp.js';
import { createTestDatabase } from '../../helpers/testStore.js';

const BODY_TIMEOUT_MS = 1500;
const CLIENTS = 800;

let database: { url: string; drop(): Promise<void> };
let server: ServerProcess;
/** A staff token, so that the write is let through to its body (a request without one is refused first). */
let staff = '';
beforeAll(async () => {
  database = await createTestDatabase();
  staff = await accessToken('user-456', { scopes: [...STAFF_SCOPES] });
  server = await spawnServer({
    AUTH_JWT_SECRET: TEST_JWT_SECRET,
    DATABASE_URL: database.url,
    HTTP_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
    MAX_CONNECTIONS_PER_CLIENT: String(CLIENTS + 50),
  });
}, 60_000);
afterAll(async () => {
  await server?.kill();
  await database?.drop();
});

/** The server process's open file descriptors. */
const descriptors = (): number => readdirSync(`/proc/${server.process.pid}/fd`).length;

/**
 * Those of its descriptors that are connections accepted on its port: its sockets (from /proc/<pid>/fd) that
 * the kernel's TCP table lists with the server's port as their local port, the listening socket left out.
 */
function connectionDescriptors(): number {
  const fdDir = `/proc/${server.process.pid}/fd`;
  const inodes = new Set<string>();
  for (const fd of readdirSync(fdDir)) {
    const target = readlinkSync(`${fdDir}/${fd}`, { encoding: 'utf8' });
    const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
    if (inode) inodes.add(inode);
  }
  const port = `:${Number(new URL(server.url).port).toString(16).toUpperCase().padStart(4, '0')}`;
  let count = 0;
  for (const table of ['tcp', 'tcp6']) {
    for (const line of readFileSync(`/proc/${server.process.pid}/net/${table}`, 'utf8')
      .split('\n')
      .slice(1)) {
      const fields = line.trim().split(/\s+/);
      const [local, , state] = [fields[1], fields[2], fields[3]];
      if (local?.endsWith(port) && state !== '0A' && inodes.has(fields[9] ?? '')) count += 1;
    }
  }
  return count;
}

/** One client that sends a POST's headers announcing 5000 bytes of body, then the body a byte at a time. */
interface StalledBody {
  readonly socket: Socket;
  /** When its headers went out (`performance.now()`). */
  sentAt: number;
  /** When the server closed it, and what it answered. */
  closedAt?: number;
  answer: string;
}

/** Connects a client; it sends nothing until {@link sendHeaders}. */
function stalledBody(port: number): Promise<StalledBody> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(client));
    const client: StalledBody = { socket, sentAt: 0, answer: '' };
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      client.answer += chunk;
    });
    socket.once('error', reject);
    socket.once('close', () => {
      client.closedAt = performance.now();
    });
  });
}

function sendHeaders(client: StalledBody): void {
  client.socket.write(
    'POST /v1/pets HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
      `Authorization: Bearer ${staff}\r\nContent-Length: 5000\r\n\r\n{`,
  );
  client.sentAt = performance.now();
}

describe('slow request bodies', () => {
  it(`cuts ${CLIENTS} stalled bodies from one address within HTTP_BODY_TIMEOUT_MS, answering 408, and the server's descriptors return to their baseline`, async () => {
    const answered = await fetch(`${server.url}/healthz`, { headers: { connection: 'close' } });
    expect(answered.status).toBe(200);
    // The baseline: a server that has answered, with no connection open.
    await until(() => connectionDescriptors() === 0, 15_000);
    const baseline = descriptors();
    const port = Number(new URL(server.url).port);
    const clients: StalledBody[] = [];
    // The body trickles in, one space (valid JSON whitespace) every 500 ms: never done in time.
    let drip: NodeJS.Timeout | undefined;
    try {
      for (let opened = 0; opened < CLIENTS; opened += 100) {
        clients.push(...(await Promise.all(Array.from({ length: 100 }, () => stalledBody(port)))));
      }
      // The server holds all of them at once.
      await until(() => connectionDescriptors() === CLIENTS, 20_000);
      expect(descriptors()).toBeGreaterThanOrEqual(baseline + CLIENTS);
      for (const client of clients) sendHeaders(client);
      drip = setInterval(() => {
        for (const client of clients) if (!client.socket.destroyed) client.socket.write(' ');
      }, 500);

      await until(() => clients.every((client) => client.closedAt !== undefined), 20_000);
      const late = clients.map((client) => client.closedAt! - client.sentAt);
      expect(Math.min(...late)).toBeGreaterThanOrEqual(BODY_TIMEOUT_MS - 50);
      // Each is cut at its deadline as the server sees it; the slack is for a server taking 800 requests at
      // once on a shared machine (on a quiet one every cut comes within ~200 ms of the deadline).
      expect(Math.max(...late)).toBeLessThan(BODY_TIMEOUT_MS + 10_000);
      // Those the rate limit answered 429 before reading their body are cut all the same. A cut connection is
      // destroyed at once, so a client whose last drip the server had not read yet gets a reset instead of
      // the 408 (as with Node's own 408 for slow headers).
      for (const client of clients) expect(client.answer).toMatch(/^(HTTP\/1\.1 (408|429) |$)/);
      const timedOut = clients.filter((client) => client.answer.startsWith('HTTP/1.1 408'));
      expect(timedOut.length).toBeGreaterThan(0);
      expect(timedOut[0]!.answer).toContain('application/problem+json');
      expect(timedOut[0]!.answer).toContain(`within ${BODY_TIMEOUT_MS} ms of its headers`);

      await until(() => connectionDescriptors() === 0, 10_000);
      await until(() => descriptors() <= baseline, 10_000);
      expect(await metricValue(server.url, 'http_body_timeouts_total')).toBe(CLIENTS);
    } finally {
      clearInterval(drip);
      for (const client of clients) client.socket.destroy();
    }
  }, 60_000);
});

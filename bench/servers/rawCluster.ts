import cluster from 'node:cluster';
import { createServer, type ServerResponse } from 'node:http';

/**
 * W9's baseline: raw node:http in `node:cluster`, as many workers as ours has, holding the same inventory
 * streams on one port (no validation, no policy, one `res.write` per event per client). Driven over IPC by the
 * bench: `publish` hands a pre-serialised frame to every worker, which writes it to each of its clients.
 * Usage: `node --import tsx bench/servers/rawCluster.ts <workers>`; says `ready` with its port once every
 * worker listens.
 */
type Command = { type: 'publish'; frame: string };

if (cluster.isPrimary) {
  const workers = Number(process.argv[2] ?? 2);
  let listening = 0;
  let port = 0;
  for (let i = 0; i < workers; i++) {
    cluster.fork().on('listening', (address) => {
      port = address.port;
      if (++listening === workers) {
        const pids = Object.values(cluster.workers ?? {}).map((worker) => worker?.process.pid);
        process.send?.({ type: 'ready', port, pids });
      }
    });
  }
  cluster.on('exit', (worker, code, signal) => {
    console.error(`raw cluster: worker ${worker.process.pid} exited (${code ?? signal})`);
  });
  process.on('message', (command: Command) => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.send(command);
    process.send?.({ type: 'published' });
  });
  process.on('SIGTERM', () => {
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
    process.exit(0);
  });
} else {
  const clients = new Set<ServerResponse>();
  const server = createServer({ requestTimeout: 0 }, (req, res) => {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
    });
    req.socket.setNoDelay(true);
    res.write('retry: 1500\n\n');
    clients.add(res);
    res.on('close', () => clients.delete(res));
  });
  server.timeout = 0;
  server.keepAliveTimeout = 0;
  server.listen(0, '127.0.0.1');
  process.on('message', (command: Command) => {
    if (command.type === 'publish') for (const res of clients) res.write(command.frame);
  });
}

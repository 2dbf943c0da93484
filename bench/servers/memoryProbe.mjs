// Preloaded into W9's server processes (NODE_OPTIONS="--expose-gc --import=<this file>"): on SIGUSR2 it
// collects garbage and writes the process's memory to $BENCH_PROBE_DIR/<pid>.json, so the bench can read the
// heap and RSS of every worker of a node:cluster server without any code of the server's own.
import { renameSync, writeFileSync } from 'node:fs';

const dir = process.env.BENCH_PROBE_DIR;
if (dir) {
  process.on('SIGUSR2', () => {
    globalThis.gc?.();
    globalThis.gc?.();
    const { rss, heapUsed, external, arrayBuffers } = process.memoryUsage();
    const file = `${dir}/${process.pid}.json`;
    writeFileSync(`${file}.tmp`, JSON.stringify({ rss, heapUsed, external, arrayBuffers }));
    renameSync(`${file}.tmp`, file);
  });
}

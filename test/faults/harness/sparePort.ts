import { createServer } from 'node:net';

/** A port the kernel just handed out and released: free unless something grabs it in between. */
export function sparePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => (port === 6379 ? sparePort().then(resolve, reject) : resolve(port)));
    });
  });
}

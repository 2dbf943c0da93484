import { createRequire } from 'node:module';
import type { Socket } from 'node:net';

/** `ioctl(fd, SIOCOUTQ, &bytes)`: bytes in a TCP socket's send queue, sent or not, not yet acknowledged. */
type SendQueueProbe = (fd: number) => number | undefined;

/** SIOCOUTQ (= TIOCOUTQ) on the Linux architectures Node ships for. */
const SIOCOUTQ = 0x5411;
const LINUX_ARCHS = ['x64', 'arm64', 'arm', 'ia32', 'riscv64'];

let probe: SendQueueProbe | null | undefined;

/**
 * The probe, made on first use: the C library's `ioctl` through koffi (a prebuilt FFI shipped in its npm
 * package). `null` where it cannot work (not Linux, or koffi does not load): callers then see Node's buffer
 * only. Loading costs about 0.1 s, so it waits for the first stream that asks.
 */
function loadProbe(): SendQueueProbe | null {
  if (process.platform !== 'linux' || !LINUX_ARCHS.includes(process.arch)) return null;
  try {
    const koffi = createRequire(import.meta.url)('koffi') as typeof import('koffi');
    const ioctl = koffi.load('libc.so.6').func('ioctl', 'int', ['int', 'ulong', 'int32_t *']);
    const out = Buffer.alloc(4);
    return (fd) => (ioctl(fd, SIOCOUTQ, out) === 0 ? out.readInt32LE(0) : undefined);
  } catch {
    // No FFI here (e.g. musl without its koffi build): the kernel's queue stays unseen, as before.
    return null;
  }
}

/** The file descriptor of a plain TCP socket (`undefined` for a TLS socket, whose handle wraps another). */
function fdOf(socket: Socket): number | undefined {
  const fd = (socket as unknown as { _handle?: { fd?: unknown } | null })._handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : undefined;
}

/**
 * Bytes of a plain TCP socket that its kernel holds and the client's TCP has not acknowledged: written to
 * the network and not yet confirmed, or still waiting to be sent because the client's receive window is
 * full. `undefined` where the kernel cannot be asked (not Linux, a TLS socket, a closed socket).
 *
 * Node sees backpressure only once this queue is full, up to `net.ipv4.tcp_wmem`'s maximum (4 MiB by
 * default) per connection: without it a client that stops reading looks like one that reads.
 */
export function kernelSendQueue(socket: Socket): number | undefined {
  if (probe === undefined) probe = loadProbe();
  if (probe === null) return undefined;
  const fd = fdOf(socket);
  return fd === undefined ? undefined : probe(fd);
}

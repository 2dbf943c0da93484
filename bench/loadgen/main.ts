import { ClientGroup } from './ClientGroup.js';
import type { LoadCommand } from './protocol.js';
import { runRequestLoop } from './requestLoop.js';

/**
 * The load generator process: raw `net` sockets, HTTP/1.1 read by hand (see HttpSseParser), driven by the
 * bench runner over IPC. It holds one group of streams at a time.
 */
const group = new ClientGroup();

async function handle(command: LoadCommand): Promise<object> {
  switch (command.type) {
    case 'connect':
      return group.connect(command);
    case 'reset':
      group.reset();
      return { type: 'reset' };
    case 'await':
      return group.awaitPhase(command.perConnection, command.timeoutMs);
    case 'stall':
      return { type: 'stalled', count: group.stall(command.fraction) };
    case 'unstall':
      return group.unstall(command.waitMs);
    case 'close':
      group.close();
      return { type: 'closed' };
    case 'requests':
      return runRequestLoop(command);
  }
}

process.on('message', (command: LoadCommand) => {
  handle(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ type: 'failed', error: String(error) }),
  );
});
process.send?.({ type: 'ready' });

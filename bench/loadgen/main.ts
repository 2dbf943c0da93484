import { ClientGroup } from './ClientGroup.js';
import { InventoryWatcher } from './InventoryWatcher.js';
import { runPatches } from './patchLoop.js';
import type { LoadCommand } from './protocol.js';
import { runRequestLoop } from './requestLoop.js';
import { runWrites } from './writeLoop.js';

/**
 * The load generator process: raw `net` sockets, HTTP/1.1 read by hand (see HttpSseParser), driven by the
 * bench runner over IPC. It holds one group of streams at a time.
 */
const group = new ClientGroup();
/** W7's subscribers, one per instance. */
let watchers: InventoryWatcher[] = [];

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
    case 'watch':
      watchers = await Promise.all(
        command.ports.map((port, i) => InventoryWatcher.open(`instance ${i + 1}`, port, command.headers)),
      );
      // The id-only block follows the head of the response at once; give it a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 100));
      return {
        type: 'watching',
        statuses: watchers.map((watcher) => watcher.status),
        startIds: watchers.map((watcher) => watcher.startId ?? ''),
      };
    case 'unwatch':
      for (const watcher of watchers) watcher.close();
      watchers = [];
      return { type: 'unwatched' };
    case 'writes':
      return runWrites(command, watchers);
    case 'patches':
      return runPatches(command);
  }
}

process.on('message', (command: LoadCommand) => {
  handle(command).then(
    (reply) => process.send?.(reply),
    (error: unknown) => process.send?.({ type: 'failed', error: String(error) }),
  );
});
process.send?.({ type: 'ready' });

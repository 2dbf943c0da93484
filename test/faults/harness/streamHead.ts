import { LastEventIdTracker } from './LastEventIdTracker.js';

/**
 * The id a new inventory stream starts at (`<generation>.<head>`, its id-only first block): where the stream
 * stands now, read over HTTP (for the embedded database, which no other process can open while it runs).
 */
export async function streamHead(url: string, timeoutMs = 5000): Promise<string> {
  const abort = AbortSignal.timeout(timeoutMs);
  const response = await fetch(`${url}/v1/inventory/stream`, {
    signal: abort,
    headers: { accept: 'text/event-stream' },
  });
  if (response.status !== 200 || !response.body)
    throw new Error(`inventory stream answered ${response.status}`);
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let first: string | undefined;
  const ids = new LastEventIdTracker((id) => {
    first ??= id;
  });
  try {
    while (first === undefined) {
      const step = await reader.read();
      if (step.done) throw new Error('the inventory stream ended before its first id');
      ids.feed(decoder.decode(step.value, { stream: true }));
    }
    return first;
  } finally {
    await reader.cancel();
  }
}

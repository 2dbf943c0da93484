// A page bundled by esbuild from the installed @petstore-sse/client and run in Chromium by
// test/client/package.test.ts: it follows one recommendations stream and shows what it got.
import { createClient } from '@petstore-sse/client';

const output = document.getElementById('result')!;

async function main(): Promise<void> {
  const client = createClient({ baseUrl: '' });
  const { data: pets } = await client.GET('/v1/pets', { params: { query: { limit: 3 } } });
  const events: string[] = [];
  for await (const message of client.subscribe('recommendationsStream', { userId: 'user-456', limit: 3 })) {
    events.push(message.event);
  }
  output.textContent = JSON.stringify({ pets: pets?.items.length, events });
}

main().catch((error: unknown) => {
  output.textContent = JSON.stringify({ error: String(error) });
});

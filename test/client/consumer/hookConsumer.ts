// The React hook from @petstore-sse/client/react, as a component of a consumer would call it.
import { createClient } from '@petstore-sse/client';
import { type EventStreamState, useEventStream } from '@petstore-sse/client/react';

const client = createClient({ baseUrl: '' });

export function useLatestStock(): number | undefined {
  const state: EventStreamState<'inventoryStream'> = useEventStream(client, 'inventoryStream', {});
  const last = state.last;
  return last?.event === 'stock-change' ? last.data.newStock : undefined;
}

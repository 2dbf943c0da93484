// packages/client/src/react/useEventStream.ts
import { useEffect, useRef, useState } from "react";
var DEFAULT_MAX_EVENTS = 100;
function useEventStream(client, channel, params, options = {}) {
  const enabled = options.enabled ?? true;
  const key = streamKey(channel, params, enabled);
  const latest = useRef({ params, options });
  const [state, setState] = useState(() => ({ key, ...initialState(enabled) }));
  useEffect(() => {
    latest.current = { params, options };
  });
  useEffect(() => {
    if (!enabled) return;
    const controller = new AbortController();
    const update = (change) => setState((previous) => ({ key, ...change(previous.key === key ? previous : initialState(true)) }));
    void follow(client, channel, latest.current, controller.signal, update);
    return () => controller.abort();
  }, [client, channel, key, enabled]);
  if (state.key === key) return state;
  return initialState(enabled);
}
async function follow(client, channel, { params, options }, signal, update) {
  const { maxEvents = DEFAULT_MAX_EVENTS, enabled: _enabled, ...subscribeOptions } = options;
  try {
    const stream = client.subscribe(channel, params, {
      ...subscribeOptions,
      signal,
      onOpen: () => update((state) => ({ ...state, status: "open" })),
      onReconnect: () => update((state) => ({ ...state, status: "reconnecting" }))
    });
    for await (const message of stream) {
      update((state) => ({ ...state, events: [...state.events, message].slice(-maxEvents), last: message }));
    }
    if (!signal.aborted) update((state) => ({ ...state, status: "closed", done: true }));
  } catch (error) {
    const failure = error instanceof Error ? error : new Error(String(error));
    if (!signal.aborted) update((state) => ({ ...state, status: "error", error: failure, done: true }));
  }
}
function initialState(enabled) {
  return {
    events: [],
    last: void 0,
    status: enabled ? "connecting" : "closed",
    error: void 0,
    done: false
  };
}
function streamKey(channel, params, enabled) {
  const entries = Object.entries(params).filter(([, value]) => value !== void 0).sort(([a], [b]) => a < b ? -1 : 1);
  return JSON.stringify([channel, enabled, entries]);
}
export {
  DEFAULT_MAX_EVENTS,
  useEventStream
};

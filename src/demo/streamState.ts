/**
 * Where a stream is, named as `useEventStream` names it: before the first answer, following, waiting to
 * reconnect, ended, or failed.
 */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'error';

/** Reports a stream's state, with an optional detail (why it failed, when it reconnects). */
export type ShowState = (state: StreamState, detail?: string) => void;

/** Shows each state in `badge`: as its text and `data-state` (which the CSS colours), the detail as its tooltip. */
export function stateBadge(badge: HTMLElement): ShowState {
  return (state, detail = '') => {
    badge.dataset.state = state;
    badge.textContent = state;
    badge.title = detail;
  };
}

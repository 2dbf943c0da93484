import type { Client, Recommendation } from '@petstore-sse/client';
import { element, requireElement } from './element.js';
import { followStream } from './followStream.js';
import { formatMs, formatScore } from './format.js';
import { stateBadge } from './streamState.js';

function recommendationItem({ name, score, reason }: Recommendation): HTMLLIElement {
  return element(
    'li',
    {},
    element('div', { class: 'recommendation-head' }, element('strong', {}, name), formatScore(score)),
    element('meter', { min: '0', max: '1', value: String(score) }),
    element('p', { class: 'reason' }, reason),
  );
}

/**
 * Streams the recommendations of the chosen user, each shown as it arrives, then the run's total and
 * processing time. Choosing another user, or "Stream again", closes the stream and starts a new one.
 */
export function mountRecommendations(client: Client): void {
  const form = requireElement('recommendations-form', HTMLFormElement);
  const user = requireElement('recommendations-user', HTMLSelectElement);
  const list = requireElement('recommendations-list', HTMLOListElement);
  const summary = requireElement('recommendations-summary', HTMLParagraphElement);
  const showState = stateBadge(requireElement('recommendations-state', HTMLOutputElement));
  let current: AbortController | undefined;

  const start = () => {
    current?.abort();
    current = new AbortController();
    list.replaceChildren();
    summary.textContent = `Ranking pets for ${user.value}…`;
    void followStream(client, 'recommendationsStream', { userId: user.value }, current.signal, {
      showState,
      onMessage: (message) => {
        if (message.event === 'recommendation') list.append(recommendationItem(message.data));
        else if (message.event === 'complete') {
          const { total, processingTime } = message.data;
          summary.textContent = `Complete: ${total} recommendations in ${formatMs(processingTime)}`;
        } else if (message.event === 'reset') {
          // The server could not resume this run and starts a new one: its recommendations follow.
          list.replaceChildren();
          summary.textContent = 'The server started a new run…';
        } else summary.textContent = `The stream failed: ${message.data.message}`;
      },
    });
  };
  user.addEventListener('change', start);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    start();
  });
  start();
}

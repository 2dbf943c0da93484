import { createClient } from '@petstore-sse/client';
import { demoToken } from '../demo/demoToken.js';
import { requireElement } from '../demo/element.js';
import { ConsoleLog } from './ConsoleLog.js';
import { CHANNEL_SETUPS, CONSOLE_USER, type ConsoleChannel, isConsoleChannel } from './channelSetups.js';
import { recordingFetch } from './recordingFetch.js';
import { StreamConsole, type StreamState } from './StreamConsole.js';

/**
 * One stream's console (the page's `<body data-channel>` names the channel): parameters, Connect,
 * Disconnect, Resume from the Last-Event-ID field, and a log of every request, answer and frame.
 */
function mountConsole(channel: ConsoleChannel): void {
  const form = requireElement('console-form', HTMLFormElement);
  const lastEventId = requireElement('console-last-event-id', HTMLInputElement);
  const badge = requireElement('console-state', HTMLOutputElement);
  const counts = requireElement('console-counts', HTMLOutputElement);
  const log = new ConsoleLog(requireElement('console-log', HTMLOListElement), (frames, invalid) => {
    counts.textContent = `${frames} frames, ${invalid} invalid`;
    counts.dataset.invalid = String(invalid);
  });
  const fetch = recordingFetch((record) => log.wire(record));
  const anonymous = createClient({ baseUrl: '', fetch });
  const signedIn = createClient({ baseUrl: '', fetch, token: demoToken(anonymous, CONSOLE_USER) });
  const setup = CHANNEL_SETUPS[channel];
  requireElement('console-access', HTMLParagraphElement).textContent = setup.access;
  const open = setup.mount(
    requireElement('console-params', HTMLFieldSetElement),
    { anonymous, signedIn },
    log,
  );
  const streamConsole = new StreamConsole(channel, open, {
    log,
    state: (state: StreamState, detail = '') => {
      badge.dataset.state = state;
      badge.textContent = detail ? `${state} · ${detail}` : state;
    },
    lastEventId: (id) => {
      lastEventId.value = id;
    },
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    lastEventId.value = '';
    streamConsole.connect();
  });
  const button = (id: string, action: () => void) =>
    requireElement(id, HTMLButtonElement).addEventListener('click', action);
  button('console-disconnect', () => streamConsole.disconnect());
  button('console-resume', () => streamConsole.connect(lastEventId.value.trim()));
  button('console-clear', () => log.clear());
}

const channel = document.body.dataset.channel;
if (isConsoleChannel(channel)) mountConsole(channel);

import { element } from '../demo/element.js';
import type { FrameCheck } from './checkFrame.js';
import type { WireRecord } from './recordingFetch.js';

/** How many rows the log keeps; older ones are dropped, so a long session holds bounded memory. */
const MAX_ROWS = 500;

/** One frame as the client handed it over: its event name (`message` for an unnamed frame), data and id. */
export interface ShownFrame {
  readonly event: string;
  readonly id: string;
  readonly data: unknown;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content: the stream has finished and every event was received; there is nothing to resume',
};

/** What a `reset` or `stream-error` frame means, shown under it. */
const FRAME_NOTES: Readonly<Record<string, string>> = {
  reset:
    'reset: the server could not replay from that Last-Event-ID, so events may have been missed; ' +
    'refetch the state over REST, then keep following.',
  'stream-error': 'stream-error: the server ended the stream.',
};

const time = () => new Date().toLocaleTimeString('en-GB', { hour12: false });

/** The console's log: the requests and answers on the wire, and each frame with its verdict, in order. */
export class ConsoleLog {
  readonly #list: HTMLOListElement;
  #frames = 0;
  #invalid = 0;
  readonly #onCount: (frames: number, invalid: number) => void;

  constructor(list: HTMLOListElement, onCount: (frames: number, invalid: number) => void) {
    this.#list = list;
    this.#onCount = onCount;
  }

  /** A frame with its id, event name, payload and verdict. */
  frame(frame: ShownFrame, check: FrameCheck): void {
    this.#frames += 1;
    if (!check.valid) this.#invalid += 1;
    const verdict = check.valid
      ? `valid · ${check.schema}`
      : `invalid${check.schema ? ` · ${check.schema}` : ''}`;
    const row = element(
      'li',
      {
        'data-kind': 'frame',
        'data-event': frame.event,
        'data-id': frame.id,
        'data-valid': String(check.valid),
      },
      element(
        'div',
        { class: 'frame-head' },
        element('time', {}, time()),
        element('code', { class: 'frame-id', title: 'id' }, frame.id || '(no id)'),
        element('code', { class: 'frame-event', title: 'event' }, frame.event),
        element('span', { class: 'verdict' }, verdict),
      ),
      element('pre', { class: 'payload' }, JSON.stringify(frame.data, null, 2)),
    );
    if (!check.valid)
      row.append(element('ul', { class: 'errors' }, ...check.errors.map((e) => element('li', {}, e))));
    const note = FRAME_NOTES[frame.event];
    if (note) row.append(element('p', { class: 'frame-note' }, note));
    this.#add(row);
    this.#onCount(this.#frames, this.#invalid);
  }

  /** A frame the client could not read (its data is not JSON), shown raw and marked invalid. */
  unreadable(frame: { event: string; id: string; data: string }, reason: string): void {
    this.#frames += 1;
    this.#invalid += 1;
    this.#add(
      element(
        'li',
        { 'data-kind': 'frame', 'data-event': frame.event, 'data-id': frame.id, 'data-valid': 'false' },
        element(
          'div',
          { class: 'frame-head' },
          element('time', {}, time()),
          element('code', { class: 'frame-id' }, frame.id || '(no id)'),
          element('code', { class: 'frame-event' }, frame.event),
          element('span', { class: 'verdict' }, 'invalid'),
        ),
        element('pre', { class: 'payload' }, frame.data),
        element('ul', { class: 'errors' }, element('li', {}, reason)),
      ),
    );
    this.#onCount(this.#frames, this.#invalid);
  }

  /** A request or its answer. */
  wire(record: WireRecord): void {
    const attributes: Record<string, string> = { 'data-kind': record.kind };
    let text: string;
    if (record.kind === 'request') {
      const resume = record.lastEventId ? ` · Last-Event-ID: ${record.lastEventId}` : '';
      const token = record.authorization ? ' · Authorization: Bearer …' : '';
      text = `→ ${record.method} ${record.path}${resume}${token}`;
    } else if (record.kind === 'response') {
      attributes['data-status'] = String(record.status);
      const type = record.contentType ? ` · ${record.contentType.split(';')[0]}` : '';
      text = `← ${record.status} ${STATUS_TEXT[record.status] ?? ''}${type} (${record.method} ${record.path})`;
    } else text = `✗ ${record.method} ${record.path} failed: ${record.message}`;
    this.#add(element('li', attributes, element('time', {}, time()), ` ${text}`));
  }

  /** A line of the console's own (disconnected, reconnecting in…). */
  note(text: string): void {
    this.#add(element('li', { 'data-kind': 'note' }, element('time', {}, time()), ` ${text}`));
  }

  clear(): void {
    this.#list.replaceChildren();
    this.#frames = 0;
    this.#invalid = 0;
    this.#onCount(0, 0);
  }

  #add(row: HTMLLIElement): void {
    const box = this.#list.parentElement;
    const atEnd = box === null || box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    this.#list.append(row);
    while (this.#list.children.length > MAX_ROWS) this.#list.firstElementChild?.remove();
    if (box && atEnd) box.scrollTop = box.scrollHeight;
  }
}

import {
  type ChannelId,
  InvalidFrameError,
  StreamHttpError,
  type SubscribeOptions,
} from '@petstore-sse/client';
import type { ConsoleLog, ShownFrame } from './ConsoleLog.js';
import { checkFrame } from './checkFrame.js';

/** Where the console's stream is, named as the client's `useEventStream` names it. */
export type StreamState = 'connecting' | 'open' | 'reconnecting' | 'closed' | 'error';

/** Opens the channel's stream with the parameters chosen on the page: the console's one use of `subscribe`. */
export type OpenStream = (options: SubscribeOptions) => AsyncIterable<ShownFrame>;

/** What the console shows besides the log: the stream's state and the id a resume starts after. */
export interface ConsoleView {
  readonly log: ConsoleLog;
  state(state: StreamState, detail?: string): void;
  lastEventId(id: string): void;
}

/**
 * Connects, disconnects and resumes one channel with the client package, and shows each frame with the
 * verdict of its generated validator. The client reads with `validate: false`, so that a frame that fails
 * its schema is shown (marked invalid) and the stream goes on; the console checks every frame itself.
 * A resume is the client's own: `lastEventId`, sent as `Last-Event-ID`, and the client's reconnects after a
 * dropped connection carry it too.
 */
export class StreamConsole {
  readonly #channel: ChannelId;
  readonly #open: OpenStream;
  readonly #view: ConsoleView;
  #current: AbortController | undefined;

  constructor(channel: ChannelId, open: OpenStream, view: ConsoleView) {
    this.#channel = channel;
    this.#open = open;
    this.#view = view;
  }

  /** Opens the stream: afresh, or after `lastEventId` (a resume). Closes the stream followed so far. */
  connect(lastEventId?: string): void {
    this.#current?.abort();
    const controller = new AbortController();
    this.#current = controller;
    void this.#follow(controller.signal, lastEventId || undefined);
  }

  /** Closes the stream; nothing more is shown from it. */
  disconnect(): void {
    if (this.#current === undefined || this.#current.signal.aborted) return;
    this.#current.abort();
    this.#view.state('closed', 'disconnected');
    this.#view.log.note('Disconnected. Resume reconnects with the Last-Event-ID above.');
  }

  async #follow(signal: AbortSignal, lastEventId: string | undefined): Promise<void> {
    const view = this.#view;
    const show = (state: StreamState, detail?: string) => {
      if (!signal.aborted) view.state(state, detail);
    };
    show('connecting');
    const options: SubscribeOptions = {
      signal,
      validate: false,
      onOpen: () => show('open'),
      onReconnect: ({ delayMs, lastEventId: resumeAt }) => {
        show('reconnecting', `in ${Math.round(delayMs)} ms`);
        const from = resumeAt ? ` with Last-Event-ID: ${resumeAt}` : '';
        view.log.note(`The connection ended; the client reconnects in ${Math.round(delayMs)} ms${from}.`);
      },
      ...(lastEventId ? { lastEventId } : {}),
    };
    try {
      for await (const frame of this.#open(options)) {
        if (signal.aborted) return;
        view.log.frame(frame, checkFrame(this.#channel, frame.event, frame.data));
        if (frame.id) view.lastEventId(frame.id);
      }
      show('closed', 'the stream ended');
    } catch (error) {
      if (signal.aborted) return;
      this.#failed(error);
    }
  }

  #failed(error: unknown): void {
    const view = this.#view;
    if (error instanceof InvalidFrameError) {
      // Data that is not JSON cannot be handed over as an event: the client ends the stream with it.
      view.log.unreadable(error, error.message);
      if (error.id) view.lastEventId(error.id);
      view.state('error', 'a frame could not be read');
    } else if (error instanceof StreamHttpError) {
      const { status, problem } = error;
      view.log.note(`Refused with ${status} ${problem.title}${problem.detail ? `: ${problem.detail}` : ''}`);
      view.state('error', `${status} ${problem.title}`);
    } else {
      const message = error instanceof Error ? error.message : String(error);
      view.log.note(`The stream failed: ${message}`);
      view.state('error', message);
    }
  }
}

/**
 * Follows the `id:` fields of one SSE response as EventSource does: an id takes effect when its block is
 * dispatched (the blank line), with or without data. eventsource-parser reports only blocks with data, so
 * an id-only block (`id: <gen>.<head>` at the start of an inventory stream) would be missed without this.
 */
export class LastEventIdTracker {
  #rest = '';
  #buffer: string | undefined;

  constructor(private readonly onId: (id: string) => void) {}

  feed(chunk: string): void {
    this.#rest += chunk;
    for (;;) {
      const end = this.#rest.search(/[\r\n]/);
      if (end === -1) return;
      // [spec] CRLF is one line end: a CR at the end of a chunk waits for what follows it.
      if (this.#rest[end] === '\r' && end === this.#rest.length - 1) return;
      const line = this.#rest.slice(0, end);
      this.#rest = this.#rest.slice(this.#rest.startsWith('\r\n', end) ? end + 2 : end + 1);
      this.#line(line);
    }
  }

  #line(line: string): void {
    if (line === '') {
      if (this.#buffer !== undefined) this.onId(this.#buffer);
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'id') return;
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    // [spec] An id containing NULL is ignored.
    if (!value.includes('\0')) this.#buffer = value;
  }
}

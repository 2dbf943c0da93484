/** Wall time spent per part of the run (a workload, or setup), per server: the bench's time budget. */
export class Timings {
  readonly #parts = new Map<string, Map<string, number>>();

  add(part: string, server: string, ms: number): void {
    const byServer = this.#parts.get(part) ?? new Map<string, number>();
    this.#parts.set(part, byServer);
    byServer.set(server, (byServer.get(server) ?? 0) + ms);
  }

  /** A Markdown table: each part's total seconds and its split by server. */
  table(): string {
    const lines = ['| part | seconds | by server |', '|---|---|---|'];
    const parts = [...this.#parts].sort(([a], [b]) => a.localeCompare(b));
    for (const [part, byServer] of parts) {
      const total = [...byServer.values()].reduce((sum, ms) => sum + ms, 0);
      const split = [...byServer].map(([server, ms]) => `${server} ${(ms / 1000).toFixed(1)}`).join(', ');
      lines.push(`| ${part} | ${(total / 1000).toFixed(1)} | ${split} |`);
    }
    return lines.join('\n');
  }
}

import { staffBearer } from '../../helpers/accessTokens.js';
import type { Published } from './faultDatabase.js';

/** One PATCH and how it was answered: a status, or `error` when no answer came (refused, reset, timeout). */
export interface WriteOutcome {
  stock: number;
  url: string;
  status: number | 'error';
  /** The problem+json `code` of an error answer (`outcome_unknown`: the commit may have happened). */
  code?: string;
  detail?: string;
}

function problemCode(body: string): string | undefined {
  try {
    const code = (JSON.parse(body) as { code?: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined; // not problem+json
  }
}

/**
 * Changes one pet's stock through `PATCH /v1/inventory/{petId}`, each time to a value never used before: every
 * write really changes something (a PATCH that changes nothing publishes nothing), and the value names the
 * write, so the database tells which answers were honest.
 */
export class InventoryWriter {
  readonly outcomes: WriteOutcome[] = [];
  #next: number;
  /** A staff token (FAST_ENV's secret, so every instance takes it): the writes need `inventory:write`. */
  readonly #staff = staffBearer();

  constructor(
    readonly petId: string,
    firstStock = 500_000,
    private readonly headers: Record<string, string> = {},
  ) {
    this.#next = firstStock;
  }

  /** One write through `url`. */
  async write(url: string): Promise<WriteOutcome> {
    const stock = this.#next++;
    let outcome: WriteOutcome;
    try {
      const response = await fetch(`${url}/v1/inventory/${this.petId}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', ...(await this.#staff), ...this.headers },
        body: JSON.stringify({ stock }),
        signal: AbortSignal.timeout(10_000),
      });
      const body = await response.text();
      const code = response.ok ? undefined : problemCode(body);
      outcome = {
        stock,
        url,
        status: response.status,
        ...(code === undefined ? {} : { code }),
        ...(response.ok ? {} : { detail: body.slice(0, 300) }),
      };
    } catch (error) {
      outcome = { stock, url, status: 'error', detail: String((error as Error).cause ?? error) };
    }
    this.outcomes.push(outcome);
    return outcome;
  }

  /**
   * `count` writes, `concurrency` at a time, write `i` through `target(i)` (undefined: none is up, skip it);
   * `beforeEach(i)` runs first (e.g. to inject a fault at write i).
   */
  async burst(
    count: number,
    concurrency: number,
    target: (i: number) => string | undefined,
    beforeEach: (i: number) => void | Promise<void> = () => {},
  ): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await beforeEach(i);
        const url = target(i);
        if (url !== undefined) await this.write(url);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Writes `concurrency` at a time, through `target(i)`, until `stop` settles. */
  async until(
    stop: Promise<unknown>,
    concurrency: number,
    target: (i: number) => string | undefined,
  ): Promise<void> {
    let stopped = false;
    void stop.finally(() => {
      stopped = true;
    });
    let next = 0;
    const worker = async () => {
      while (!stopped) {
        const url = target(next++);
        if (url === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
        else await this.write(url);
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** How many writes were answered with each status. */
  statuses(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { status, code } of this.outcomes) {
      const key = code === 'outcome_unknown' ? `${status} ${code}` : String(status);
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  }

  /**
   * Checks the answers against what was committed (the stock values of this pet's committed events): a 2xx
   * whose change is not there, or an error status (4xx/5xx) whose change is, is a lie. No answer, or a `503`
   * `outcome_unknown` (the connection dropped during COMMIT), may go either way.
   */
  dishonest(published: Published): string[] {
    const committed = this.#committed(published);
    return this.outcomes.flatMap(({ stock, url, status, code, detail }) => {
      if (status === 'error' || code === 'outcome_unknown') return [];
      const ok = status >= 200 && status < 300;
      if (ok === committed.has(stock)) return [];
      return [
        ok
          ? `stock ${stock} via ${url}: answered ${status} but not committed`
          : `stock ${stock} via ${url}: answered ${status} (${detail}) but committed`,
      ];
    });
  }

  /**
   * Of the writes whose outcome the client cannot know (no answer: the instance died under them; or `503`
   * `outcome_unknown`), how many were committed all the same.
   */
  unanswered(published: Published): { committed: number; not: number } {
    const committed = this.#committed(published);
    const lost = this.outcomes.filter(
      (outcome) => outcome.status === 'error' || outcome.code === 'outcome_unknown',
    );
    const done = lost.filter((outcome) => committed.has(outcome.stock)).length;
    return { committed: done, not: lost.length - done };
  }

  /** The stock values of this pet's committed events. */
  #committed(published: Published): Set<number> {
    const committed = new Set<number>();
    for (const event of published.events) {
      if (event.event !== 'stock-change') continue;
      const data = JSON.parse(event.data) as { petId: string; newStock: number };
      if (data.petId === this.petId) committed.add(data.newStock);
    }
    return committed;
  }
}

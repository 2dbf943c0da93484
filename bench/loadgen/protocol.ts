import type { Delivery } from './deliveryCheck.js';
import type { Target } from './StreamClient.js';

export type { Target } from './StreamClient.js';

/** Commands from the bench runner to the load generator (over the fork IPC channel). */
export type LoadCommand =
  | {
      type: 'connect';
      target: Target;
      /** One path per client, or `count` clients on `path`. */
      paths?: string[];
      path?: string;
      count?: number;
      /** Every n-th client samples latency. */
      sampleEvery: number;
      headers?: Record<string, string>;
    }
  | { type: 'reset' }
  | { type: 'await'; perConnection: number; timeoutMs: number }
  | { type: 'stall'; fraction: number }
  | { type: 'unstall'; waitMs: number }
  | { type: 'close' }
  | RequestLoopCommand
  | { type: 'watch'; ports: number[]; headers?: Record<string, string> }
  | { type: 'unwatch' }
  | WritesCommand
  | PatchesCommand;

/** W8: inventory writes to one server, from a load generator of their own (see patchLoop.ts). */
export interface PatchesCommand {
  type: 'patches';
  port: number;
  petIds: string[];
  headers: Record<string, string>;
  mode:
    | { kind: 'closed'; concurrency: number; durationMs: number }
    | { kind: 'open'; rate: number; count: number };
}

export interface PatchesResult {
  type: 'patches';
  sent: number;
  /** Writes answered 2xx: each one `stock-change` to every subscriber. */
  ok: number;
  failed: number;
  /** Open loop: writes not sent because 64 were waiting. */
  shed: number;
  /** From the first write sent to the last answer. */
  durationMs: number;
}

/** W7: inventory writes over `ports` (round-robin) while the subscribers opened by `watch` listen. */
export interface WritesCommand {
  type: 'writes';
  ports: number[];
  petIds: string[];
  mode: { kind: 'closed'; concurrency: number } | { kind: 'open'; rate: number; maxInFlight: number };
  durationMs: number;
  /** How long to wait after the last answer for every subscriber to have every change. */
  settleMs: number;
  headers: Record<string, string>;
}

export interface Watching {
  type: 'watching';
  /** Status of each subscriber's response, in the order of `ports`. */
  statuses: number[];
  /** The id of the id-only block each stream opened with (the new log's `<gen>.<head>`), '' when none came. */
  startIds: string[];
}

export interface WritesResult {
  type: 'writes';
  sent: number;
  /** Writes answered 2xx (each a change: W7 never writes a value twice). */
  ok: number;
  /** Writes not answered 2xx, by status (0: the connection broke). */
  failed: Record<string, number>;
  /** Open loop: writes not sent because `maxInFlight` were waiting. */
  shed: number;
  /** From the first write sent to the last answer. */
  durationMs: number;
  /** From the first write sent to the last expected event at the slowest subscriber. */
  deliveredMs: number;
  deliveries: Delivery[];
}

/** W4: `concurrency` connections each issuing the next request as soon as its stream ended. */
export interface RequestLoopCommand {
  type: 'requests';
  target: Target;
  /** Requested in turn. */
  paths: string[];
  concurrency: number;
  /** Requests sent before this long are not measured. */
  warmupMs: number;
  /** Requests are measured when sent within this long after the warm-up. */
  durationMs: number;
  headers?: Record<string, string>;
}

export interface Connected {
  type: 'connected';
  open: number;
  failed: number;
  ms: number;
}

export interface PhaseResult {
  type: 'phase';
  /** Events with a new id, counted over the clients that read (not stalled). */
  received: number;
  /** Events a reading client should have had and did not (`perConnection` minus received). */
  losses: number;
  duplicates: number;
  /** Skipped sequence numbers (only where ids are consecutive integers). */
  gaps: number;
  /** Milliseconds from the phase reset to the last event received. */
  spanMs: number;
  latenciesMs: number[];
  /** Connections still open. */
  open: number;
  /** Responses the server ended. */
  ended: number;
}

export interface Unstalled {
  type: 'unstalled';
  stalled: number;
  /** Stalled clients whose connection the server had closed. */
  closedByServer: number;
}

export interface RequestLoopResult {
  type: 'requests';
  /** Measured streams that completed correctly. */
  completed: number;
  /** Every response that ended, warm-up included (what the server's CPU over the loop paid for). */
  served: number;
  /** Measured streams that failed: not 200, `stream-error`, a count unlike `complete.total`, or cut. */
  failed: number;
  /** From the first measured request to the end of the last measured stream. */
  spanMs: number;
  /** Request sent → first event, per completed stream. */
  firstEventMs: number[];
  /** Request sent → end of the response, per completed stream. */
  completeMs: number[];
  /** Events per completed stream, summed. */
  events: number;
}

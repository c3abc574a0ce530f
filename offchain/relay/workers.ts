// The workers that run beside the executor. This is the one place they register: each entry builds a worker from
// the running relay's parts. The liquidity monitor, liquidity reporter, pledge watcher and revenue sweeper
// (offchain/relay/monitors/) are registered here.
import { MONITOR_WORKERS } from "./monitors/index.ts";
import type { RelayRuntime } from "./start.ts";

export interface Worker {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): Promise<void>;
  /** what `relay status` and GET /status show for this worker */
  status?(): Promise<unknown>;
  /** false when the worker is stuck; GET /healthz reports it */
  healthy?(): boolean;
}

export type WorkerFactory = (runtime: RelayRuntime) => Worker | undefined;

/** Workers to start with the relay, in order; each may return undefined when its daemons are not configured. */
export const WORKERS: WorkerFactory[] = [...MONITOR_WORKERS];

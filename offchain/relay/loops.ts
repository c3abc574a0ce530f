// The background loops that run beside the executor. This is the one place they register: each entry builds a loop
// from the running relay's parts. The liquidity monitor, liquidity reporter, pledge watcher and revenue sweeper
// (offchain/relay/monitors/) are registered here.
import { MONITOR_LOOPS } from "./monitors/index.ts";
import type { RelayRuntime } from "./start.ts";

export interface BackgroundLoop {
  readonly name: string;
  start(): void | Promise<void>;
  stop(): Promise<void>;
  /** what `relay status` and GET /status show for this loop */
  status?(): Promise<unknown>;
  /** false when the loop is stuck; GET /healthz reports it */
  healthy?(): boolean;
}

export type LoopFactory = (runtime: RelayRuntime) => BackgroundLoop | undefined;

/** Loops to start with the relay, in order; each may return undefined when its daemons are not configured. */
export const BACKGROUND_LOOPS: LoopFactory[] = [...MONITOR_LOOPS];

// Wraps a daemon port so every call is timed (lvdao_relay_daemon_call_seconds), bounded by the daemon timeout, and a
// timeout becomes a RetryableFailure. Every call adds its wall time to the CallClock, so the executor's processing
// time (wall time minus these waits) excludes waiting for daemon answers and for Stacks confirmations (the queue port's
// waitForTx is wrapped the same way). The wait includes the client library's own encoding of the request and decoding
// of the answer.
import { RetryableFailure, classify } from "../failure.ts";
import type { RelayMetrics } from "../metrics.ts";

export interface CallClock {
  /** Milliseconds spent waiting on daemons and the chain since the counter was created. */
  waitedMs: number;
  /** The same, split by daemon name (`lnd`, `loopd`, `tapd-<wallet>`, `stacks`). */
  waitedByDaemonMs: Record<string, number>;
}

export function instrument<T extends object>(
  port: T,
  daemon: string,
  options: { metrics: RelayMetrics; timeoutMs: number; clock: CallClock },
): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const method = String(property);
      return async (...args: unknown[]) => {
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        try {
          return await Promise.race([
            (value as (...a: unknown[]) => Promise<unknown>).apply(target, args),
            new Promise((_, fail) => {
              timer = setTimeout(
                () => fail(new RetryableFailure(`${daemon}.${method} timed out after ${options.timeoutMs} ms`)),
                options.timeoutMs,
              );
            }),
          ]);
        } catch (error) {
          options.metrics.daemonErrors.inc({
            daemon,
            method,
            class: classify(error).name === "RetryableFailure" ? "retryable" : "permanent",
          });
          throw error;
        } finally {
          clearTimeout(timer);
          const elapsed = performance.now() - started;
          options.clock.waitedMs += elapsed;
          options.clock.waitedByDaemonMs[daemon] = (options.clock.waitedByDaemonMs[daemon] ?? 0) + elapsed;
          options.metrics.daemonSeconds.observe(elapsed / 1000, { daemon, method });
        }
      };
    },
  });
}

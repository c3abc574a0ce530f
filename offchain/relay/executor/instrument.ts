// Wraps a daemon port so every call is timed (lvdao_relay_daemon_call_seconds), bounded by the daemon timeout, and a
// timeout becomes a RetryableFailure. The executor's per-action processing time excludes these waits.
import { RetryableFailure, classify } from "../failure.ts";
import type { RelayMetrics } from "../status/metrics.ts";

export interface CallClock {
  /** Milliseconds spent waiting on daemons and the chain since the counter was created. */
  waitedMs: number;
}

export function instrument<T extends object>(port: T, daemon: string, options: { metrics: RelayMetrics; timeoutMs: number; clock: CallClock }): T {
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
              timer = setTimeout(() => fail(new RetryableFailure(`${daemon}.${method} timed out after ${options.timeoutMs} ms`)), options.timeoutMs);
            }),
          ]);
        } catch (error) {
          options.metrics.daemonErrors.inc({ daemon, method, class: classify(error).name === "RetryableFailure" ? "retryable" : "permanent" });
          throw error;
        } finally {
          clearTimeout(timer);
          const elapsed = performance.now() - started;
          options.clock.waitedMs += elapsed;
          options.metrics.daemonSeconds.observe(elapsed / 1000, { daemon, method });
        }
      };
    },
  });
}

// The fence every daemon call passes: with [ha] enabled, start.ts wraps the relay's one binding of the daemons (lnd,
// loopd, each tapd wallet, the vault, the desk's ports) and the executor's queue port in it, so the executor, the
// monitors and the desk all go through it. A call while this relay is not the leader, or past its lease's fence,
// throws FencedError before it reaches the daemon, and the relay drops to standby. A FencedError is retryable: an
// action interrupted by it is finished by the relay that leads next (its recover() reconciles the daemons first).
import type { Daemons } from "../daemons/ports.ts";
import { RetryableFailure } from "../failure.ts";

export class FencedError extends RetryableFailure {
  readonly fenced = true;
}

export interface Fence {
  /** true when this relay may not act */
  fenced(): boolean;
  /** A call found the fence shut: stop acting (idempotent). */
  onFenced(call: string): void;
}

export function fencePort<T extends object>(port: T, daemon: string, fence: Fence): T {
  return new Proxy(port, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      const call = `${daemon}.${String(property)}`;
      return (...args: unknown[]) => {
        if (fence.fenced()) {
          fence.onFenced(call);
          return Promise.reject(
            new FencedError(`fenced: ${call} refused, this relay does not hold the leadership lease`),
          );
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** The daemons, each port behind the fence; close() is left as it is (closing a connection acts on no daemon). */
export function fenceDaemons(daemons: Daemons, fence: Fence): Daemons {
  const wrap = <T extends object>(port: T | undefined, name: string): T | undefined =>
    port && fencePort(port, name, fence);
  const tapd: Daemons["tapd"] = {};
  for (const [wallet, port] of Object.entries(daemons.tapd))
    tapd[wallet as keyof Daemons["tapd"]] = wrap(port, `tapd-${wallet}`);
  return {
    lnd: wrap(daemons.lnd, "lnd"),
    loop: wrap(daemons.loop, "loopd"),
    tapd,
    ...(daemons.vault ? { vault: wrap(daemons.vault, "vault") } : {}),
    ...(daemons.desk
      ? {
          desk: {
            lnd: fencePort(daemons.desk.lnd, "desk-lnd", fence),
            tapd: fencePort(daemons.desk.tapd, "desk-tapd", fence),
          },
        }
      : {}),
    ...(daemons.close ? { close: () => daemons.close?.() } : {}),
  };
}

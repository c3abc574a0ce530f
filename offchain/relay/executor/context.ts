// What a kind handler works with, and the shape every handler has. A handler splits its action in three so the
// executor can journal between the parts: `act` is the one side effect (called only after `executing` is written),
// `reconcile` finds an earlier act's effect by the idempotency key (after a crash or a timeout), and `settle` waits
// for the effect to be final and returns the evidence for `report-success`.
import type { ActionOf, RelayKind } from "../../actions/index.ts";
import type { RelayConfig } from "../config.ts";
import type { Daemons } from "../daemons/ports.ts";
import type { JobTable } from "../journal/types.ts";
import type { Logger } from "../log.ts";

export interface KindContext {
  actionId: bigint;
  /** lvdao:<id> */
  key: string;
  daemons: Daemons;
  /** the journal's keyed job records (the vault funding's steps) */
  jobs: JobTable;
  limits: RelayConfig["limits"];
  executor: RelayConfig["executor"];
  lvAssetId: () => Promise<string | undefined>;
  log: Logger;
  now: () => number;
}

export interface KindHandler<K extends RelayKind> {
  kind: K;
  /** One line saying what the action does to the node, for logs and dry runs. */
  describe(action: ActionOf<K>): string;
  /** Sats this action takes from the node's on-chain wallet, for the daily budget. */
  onchainSpend(action: ActionOf<K>): bigint;
  /** The effect of an earlier `act`, found by the idempotency key; undefined when there is none. */
  reconcile(action: ActionOf<K>, context: KindContext): Promise<string | undefined>;
  /** The side effect. Returns what to record as the daemon's answer. */
  act(action: ActionOf<K>, context: KindContext): Promise<string>;
  /** Evidence for report-success, once the effect is final; throws NotFinalYet while it is not. */
  settle(action: ActionOf<K>, ref: string, context: KindContext): Promise<Uint8Array>;
}

/** Thrown by `settle` while the effect is in flight (a funding tx awaiting confirmations): check again later. */
export class NotFinalYet extends Error {
  override readonly name = "NotFinalYet";
}

export function requireDaemon<T>(daemon: T | undefined, name: string): T {
  if (!daemon) throw new Error(`${name} is not configured on this relay`);
  return daemon;
}

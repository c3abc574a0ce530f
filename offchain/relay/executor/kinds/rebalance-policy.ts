// rebalance-policy: nothing to do on the node. The chain makes the policy active (with its budget) when the receipt
// confirms, and the liquidity monitor enforces what execution-queue.get-active-policy names, so the relay keeps no
// copy of its own. Evidence: sha256 of the payload as queued (the codec's encoding is canonical, so re-encoding the
// decoded action gives the queued bytes).
import { encodeAction, type ActionOf } from "../../../actions/index.ts";
import type { KindHandler } from "../context.ts";
import { hex32, sha256 } from "../evidence.ts";

const payloadHash = (action: ActionOf<"rebalance-policy">): string =>
  Buffer.from(sha256(encodeAction(action))).toString("hex");

export const rebalancePolicy: KindHandler<"rebalance-policy"> = {
  kind: "rebalance-policy",
  describe: ({ payload: a }) =>
    `make active: inbound >= ${a.minInboundPct}%, outbound >= ${a.minOutboundPct}%, ` +
    `swap fee <= ${a.maxSwapFeePpm} ppm, budget ${a.budgetSats} sats per ${a.budgetPeriod} blocks, ` +
    `${a.maxInFlight} in flight, ${a.peers.length || "all"} peers`,
  onchainSpend: () => 0n,
  // Acting changes nothing anywhere, so there is never an earlier effect to find: acting again is the same.
  reconcile: async (action) => payloadHash(action),
  act: async (action) => payloadHash(action),
  settle: async (_action, ref) => hex32(ref, "payload hash"),
};

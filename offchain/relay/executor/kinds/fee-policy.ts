// fee-policy: lnd resets every field an update omits, so each target channel's current policy is read and only the
// proposal's fields replaced. Inbound fees follow lnd's sign rule: a discount is a negative inbound fee (lnd refuses
// positive ones unless accept-positive-inbound-fees is set). Evidence: sha256 of the canonical applied set.
// Re-applying the same merged policy changes nothing, so a retry after a crash simply applies it again.
import { conflict } from "../../failure.ts";
import { outpointKey, type ChannelPolicy } from "../../ports.ts";
import { requireDaemon, type KindHandler } from "../context.ts";
import { canonicalPolicySet, hex32, sha256 } from "../evidence.ts";
import type { FeePolicy } from "../../actions.ts";

/** The policy lnd should hold after the update: the current one with the proposal's fields. */
export function mergePolicy(current: ChannelPolicy, action: FeePolicy): ChannelPolicy {
  return {
    ...current,
    baseFeeMsat: action.baseFeeMsat,
    feePpm: action.feePpm,
    cltvDelta: Number(action.cltvDelta),
    inboundBaseFeeMsat: -action.inboundBaseDiscountMsat,
    inboundFeePpm: -action.inboundPpmDiscount,
  };
}

export const feePolicy: KindHandler<"fee-policy"> = {
  kind: "fee-policy",
  describe: (a) =>
    `set ${a.target ? `channel ${outpointKey(a.target)}` : "every channel"} to ${a.baseFeeMsat} msat + ${a.feePpm} ppm, ` +
    `cltv ${a.cltvDelta}, inbound discount ${a.inboundBaseDiscountMsat} msat + ${a.inboundPpmDiscount} ppm`,
  onchainSpend: () => 0n,

  reconcile: async () => undefined,

  async act(action, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const policies = await lnd.listPolicies();
    const targets = action.target ? policies.filter((p) => outpointKey(p.outpoint) === outpointKey(action.target!)) : policies;
    if (action.target && targets.length === 0) throw conflict(`unknown channel ${outpointKey(action.target)}`);
    const applied = targets.map((p) => mergePolicy(p, action));
    for (const policy of applied) await lnd.updatePolicy(policy);
    return Buffer.from(sha256(canonicalPolicySet(applied))).toString("hex");
  },

  settle: async (_action, ref) => hex32(ref, "policy set hash"),
};

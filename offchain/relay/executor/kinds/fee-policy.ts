// fee-policy: lnd resets every field an update omits, so each target channel's current policy is read and only the
// proposal's fields replaced (offchain/lightning's mergePolicy). Inbound fees follow lnd's sign rule: a discount is a
// negative inbound fee. Evidence: sha256 of the canonical applied set, the same text `lvdao audit` recomputes.
// Re-applying the same merged policy changes nothing, so a retry after a crash simply applies it again.
import { conflict } from "../../failure.ts";
import { outpointKey } from "../../ports.ts";
import { requireDaemon, type KindHandler } from "../context.ts";
import { hex32, policySetHash } from "../evidence.ts";

export const feePolicy: KindHandler<"fee-policy"> = {
  kind: "fee-policy",
  describe: (a) =>
    `set ${a.target ? `channel ${outpointKey(a.target)}` : "every channel"} to ${a.baseFeeMsat} msat + ${a.feePpm} ppm, ` +
    `cltv ${a.cltvDelta}, inbound discount ${a.inboundBaseDiscountMsat} msat + ${a.inboundPpmDiscount} ppm`,
  onchainSpend: () => 0n,

  reconcile: async () => undefined,

  async act(action, { daemons }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const { applied, failures } = await lnd.applyPolicy({
      target: action.target ?? "all",
      policy: {
        baseFeeMsat: action.baseFeeMsat,
        feeRatePpm: Number(action.feePpm),
        cltvDelta: Number(action.cltvDelta),
        inboundBaseDiscountMsat: Number(action.inboundBaseDiscountMsat),
        inboundFeeRateDiscountPpm: Number(action.inboundPpmDiscount),
      },
    });
    if (failures.length > 0) {
      throw conflict(`lnd refused the policy on ${failures.length} channel(s): ${failures.map((f) => `${outpointKey(f.channel)} ${f.reason}`).join("; ")}`);
    }
    return policySetHash(applied);
  },

  settle: async (_action, ref) => hex32(ref, "policy set hash"),
};

// fee-policy: lnd resets every field an update omits, so each target channel's current policy is read and only the
// proposal's fields replaced (offchain/lightning's mergePolicy). Inbound fees follow lnd's sign rule: a discount is a
// negative inbound fee. Evidence: sha256 of the canonical text of the applied set (docs/relay.md gives its form).
// Re-applying the same merged policy changes nothing, so a retry after a crash simply applies it again.
// All or nothing: when lnd refuses some channels, the ones already changed are restored before the 409, so a failure
// receipt means the node is unchanged; a channel that cannot be restored is named first in the failure detail
// ("LEFT CHANGED ..."), so the DAO learns exactly which channels carry the refused policy.
import { outpointString, type AppliedPolicy, type LndPort, type Outpoint } from "../../daemons/ports.ts";
import { classify, conflict } from "../../failure.ts";
import { requireDaemon, type KindHandler } from "../context.ts";
import { hex32, policySetHash } from "../evidence.ts";

/** Puts each channel back to the policy it had; returns the channels it could not restore. */
async function restore(lnd: LndPort, replaced: AppliedPolicy[]): Promise<{ channel: Outpoint; error: string }[]> {
  const left: { channel: Outpoint; error: string }[] = [];
  for (const previous of replaced) {
    try {
      const { failures } = await lnd.applyPolicy({
        target: previous.channel,
        policy: {
          baseFeeMsat: previous.baseFeeMsat,
          feeRatePpm: previous.feeRatePpm,
          cltvDelta: previous.cltvDelta,
          // lnd stores a discount as a negative inbound fee; a positive one (set by hand) cannot be a DAO discount
          inboundBaseDiscountMsat: -previous.inboundBaseFeeMsat,
          inboundFeeRateDiscountPpm: -previous.inboundFeeRatePpm,
        },
      });
      if (failures.length > 0)
        left.push({ channel: previous.channel, error: failures.map((f) => f.reason).join("; ") });
    } catch (error) {
      left.push({ channel: previous.channel, error: classify(error).message });
    }
  }
  return left;
}

export const feePolicy: KindHandler<"fee-policy"> = {
  kind: "fee-policy",
  describe: ({ payload: a }) =>
    `set ${a.target ? `channel ${outpointString(a.target)}` : "every channel"} ` +
    `to ${a.baseFeeMsat} msat + ${a.feePpm} ppm, ` +
    `cltv ${a.cltvDelta}, inbound discount ${a.inboundBaseDiscountMsat} msat + ${a.inboundPpmDiscount} ppm`,
  onchainSpend: () => 0n,

  reconcile: async () => undefined,

  async act({ payload: action }, { daemons, log }) {
    const lnd = requireDaemon(daemons.lnd, "lnd");
    const { applied, replaced, failures, canonical } = await lnd.applyPolicy({
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
      // All or nothing: a failure report means the node is as it was, so the channels already changed are put back.
      const leftChanged = await restore(lnd, replaced);
      const total = failures.length + applied.length;
      const refused = failures.map((f) => `${outpointString(f.channel)} ${f.reason}`).join("; ");
      if (leftChanged.length > 0) {
        log.error("a refused fee-policy is left applied on some channels", {
          left_changed: leftChanged.map(({ channel, error }) => `${outpointString(channel)} (${error})`),
        });
        throw conflict(
          `LEFT CHANGED on ${leftChanged.length} channel(s): ` +
            `${leftChanged.map((c) => outpointString(c.channel)).join(" ")}; ` +
            `lnd refused ${failures.length} of ${total}: ${refused}`,
        );
      }
      const outcome = applied.length === 0 ? "no channel was changed" : `the ${applied.length} changed were restored`;
      throw conflict(`lnd refused ${failures.length} of ${total} channel(s), ${outcome}: ${refused}`);
    }
    return policySetHash(canonical);
  },

  settle: async (_action, ref) => hex32(ref, "policy set hash"),
};

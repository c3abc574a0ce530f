// Pure builders for fee-policy updates. lnd's UpdateChannelPolicy replaces base fee, fee rate and CLTV delta every
// time (an omitted field becomes 0), so every update is built from the channel's current policy with the DAO's
// fields laid over it, and the fields the DAO does not set (min and max HTLC) are sent back unchanged. Inbound fees:
// the DAO speaks of discounts (non-negative), lnd stores inbound fees, where a discount is a negative number.
import type { LocalPolicy } from "../responses/lnd-channels.ts";
import { type Checker, outpointString, type Outpoint } from "../validation.ts";

/** What a fee-policy action sets; the payload's fields, in integer units. */
export interface DesiredPolicy {
  baseFeeMsat: bigint;
  feeRatePpm: number;
  cltvDelta: number;
  inboundBaseDiscountMsat: number;
  inboundFeeRateDiscountPpm: number;
}

/** The full policy applied to one channel: what the update sent, so it can be compared and hashed. */
export interface AppliedPolicy {
  channel: Outpoint;
  baseFeeMsat: bigint;
  feeRatePpm: number;
  cltvDelta: number;
  minHtlcMsat: bigint;
  maxHtlcMsat: bigint;
  inboundBaseFeeMsat: number;
  inboundFeeRatePpm: number;
}

/** lnd's inbound fee fields are int32; lnd refuses positive values unless configured otherwise. */
const INT32_MAX = 2_147_483_647;

export function checkDesiredPolicy(checker: Checker, policy: DesiredPolicy): DesiredPolicy {
  return {
    baseFeeMsat: checker.bigint("baseFeeMsat", policy?.baseFeeMsat, 0n, 1_000_000_000n),
    feeRatePpm: checker.integer("feeRatePpm", policy.feeRatePpm, 0, 1_000_000),
    cltvDelta: checker.integer("cltvDelta", policy.cltvDelta, 18, 2016),
    inboundBaseDiscountMsat: checker.integer("inboundBaseDiscountMsat", policy.inboundBaseDiscountMsat, 0, INT32_MAX),
    inboundFeeRateDiscountPpm: checker.integer(
      "inboundFeeRateDiscountPpm",
      policy.inboundFeeRateDiscountPpm,
      0,
      1_000_000,
    ),
  };
}

const negate = (discount: number) => (discount === 0 ? 0 : -discount);

/** The policy that results from laying `desired` over `current`. */
export function mergePolicy(current: LocalPolicy, desired: DesiredPolicy): AppliedPolicy {
  return {
    channel: current.channel,
    baseFeeMsat: desired.baseFeeMsat,
    feeRatePpm: desired.feeRatePpm,
    cltvDelta: desired.cltvDelta,
    minHtlcMsat: current.minHtlcMsat,
    maxHtlcMsat: current.maxHtlcMsat,
    inboundBaseFeeMsat: negate(desired.inboundBaseDiscountMsat),
    inboundFeeRatePpm: negate(desired.inboundFeeRateDiscountPpm),
  };
}

/** lnrpc.PolicyUpdateRequest for one channel, every field explicit (fee rate in integer ppm, never the float). */
export function policyUpdateRequest(policy: AppliedPolicy): Record<string, unknown> {
  return {
    chan_point: { funding_txid_str: policy.channel.txid, output_index: policy.channel.vout },
    base_fee_msat: policy.baseFeeMsat.toString(),
    fee_rate_ppm: policy.feeRatePpm,
    time_lock_delta: policy.cltvDelta,
    max_htlc_msat: policy.maxHtlcMsat.toString(),
    min_htlc_msat: policy.minHtlcMsat.toString(),
    min_htlc_msat_specified: true,
    inbound_fee: { base_fee_msat: policy.inboundBaseFeeMsat, fee_rate_ppm: policy.inboundFeeRatePpm },
  };
}

/**
 * One stable text for a set of applied policies: sorted by channel, fixed field order, integers in decimal. The relay
 * hashes it (sha256) as a fee-policy action's evidence, and `lvdao audit` recomputes it from the live node.
 */
export function canonicalPolicySet(policies: AppliedPolicy[]): string {
  const rows = [...policies]
    .sort((a, b) => (outpointString(a.channel) < outpointString(b.channel) ? -1 : 1))
    .map((p) => [
      outpointString(p.channel),
      p.baseFeeMsat.toString(),
      p.feeRatePpm,
      p.cltvDelta,
      p.minHtlcMsat.toString(),
      p.maxHtlcMsat.toString(),
      p.inboundBaseFeeMsat,
      p.inboundFeeRatePpm,
    ]);
  return JSON.stringify({
    fields: [
      "channel",
      "base_fee_msat",
      "fee_rate_ppm",
      "cltv_delta",
      "min_htlc_msat",
      "max_htlc_msat",
      "inbound_base_fee_msat",
      "inbound_fee_rate_ppm",
    ],
    rows,
  });
}

/** A channel's live policy in the applied form: what to send to put it back exactly. */
export function appliedFromLive(live: LocalPolicy): AppliedPolicy {
  const {
    channel,
    baseFeeMsat,
    feeRatePpm,
    cltvDelta,
    minHtlcMsat,
    maxHtlcMsat,
    inboundBaseFeeMsat,
    inboundFeeRatePpm,
  } = live;
  return {
    channel,
    baseFeeMsat,
    feeRatePpm,
    cltvDelta,
    minHtlcMsat,
    maxHtlcMsat,
    inboundBaseFeeMsat,
    inboundFeeRatePpm,
  };
}

/** Whether the live policy already is `applied` (after a crash: was the update done?). */
export function policyMatches(live: LocalPolicy, applied: AppliedPolicy): boolean {
  return (
    live.baseFeeMsat === applied.baseFeeMsat &&
    live.feeRatePpm === applied.feeRatePpm &&
    live.cltvDelta === applied.cltvDelta &&
    live.minHtlcMsat === applied.minHtlcMsat &&
    live.maxHtlcMsat === applied.maxHtlcMsat &&
    live.inboundBaseFeeMsat === applied.inboundBaseFeeMsat &&
    live.inboundFeeRatePpm === applied.inboundFeeRatePpm
  );
}

/** The idempotency key the relay writes into every channel it opens (docs/design.md section 4). */
export function channelMemo(actionId: bigint | number): string {
  const id = BigInt(actionId);
  if (id < 0n) throw new RangeError("action id must not be negative");
  return `lvdao:${id}`;
}

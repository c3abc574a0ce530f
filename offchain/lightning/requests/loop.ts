// Pure builders for loopd REST requests: JSON bodies with loopd's proto field names (int64 as decimal strings,
// bytes as base64, as grpc-gateway reads them), and the split of one total fee cap into loopd's separate caps.
import { LightningError } from "../errors.ts";
import type { LiquidityParams, LoopInQuote, LoopOutQuote } from "../responses/loop.ts";

export interface LoopOutFeeCaps {
  maxSwapFeeSats: number;
  maxPrepayAmtSats: number;
  maxMinerFeeSats: number;
  maxSwapRoutingFeeSats: number;
  maxPrepayRoutingFeeSats: number;
}

export interface LoopInFeeCaps {
  maxSwapFeeSats: number;
  maxMinerFeeSats: number;
}

/**
 * loopd caps each fee of a Loop Out separately; the DAO sets one total. The quote's swap fee (which includes the
 * prepay) and sweep fee are taken as quoted, and what is left of the total goes to off-chain routing, a tenth of it
 * for the prepay. Fails with FEE_CAP_EXCEEDED when the quote alone is over the total.
 */
export function loopOutFeeCaps(quote: LoopOutQuote, maxTotalFeeSats: number): LoopOutFeeCaps {
  const quoted = quote.swapFeeSats + quote.htlcSweepFeeSats;
  if (quoted > maxTotalFeeSats) {
    throw new LightningError(
      "FEE_CAP_EXCEEDED",
      `quoted swap and sweep fees ${quoted} sat exceed the cap of ${maxTotalFeeSats} sat`,
      "loopd",
      "loopOut",
    );
  }
  const routing = maxTotalFeeSats - quoted;
  const prepayRouting = Math.floor(routing / 10);
  return {
    maxSwapFeeSats: quote.swapFeeSats,
    maxPrepayAmtSats: quote.prepayAmtSats,
    maxMinerFeeSats: quote.htlcSweepFeeSats,
    maxSwapRoutingFeeSats: routing - prepayRouting,
    maxPrepayRoutingFeeSats: prepayRouting,
  };
}

/** A Loop In's caps: the quoted swap fee, and the rest of the total for the on-chain HTLC. */
export function loopInFeeCaps(quote: LoopInQuote, maxTotalFeeSats: number): LoopInFeeCaps {
  const quoted = quote.swapFeeSats + quote.htlcPublishFeeSats;
  if (quoted > maxTotalFeeSats) {
    throw new LightningError(
      "FEE_CAP_EXCEEDED",
      `quoted swap and publish fees ${quoted} sat exceed the cap of ${maxTotalFeeSats} sat`,
      "loopd",
      "loopIn",
    );
  }
  return { maxSwapFeeSats: quote.swapFeeSats, maxMinerFeeSats: maxTotalFeeSats - quote.swapFeeSats };
}

export function loopOutBody(args: {
  amountSats: number;
  dest: string;
  caps: LoopOutFeeCaps;
  outgoingChannelIds: string[];
  label: string;
  sweepConfTarget: number;
}): Record<string, unknown> {
  return {
    amt: String(args.amountSats),
    dest: args.dest,
    max_swap_routing_fee: String(args.caps.maxSwapRoutingFeeSats),
    max_prepay_routing_fee: String(args.caps.maxPrepayRoutingFeeSats),
    max_swap_fee: String(args.caps.maxSwapFeeSats),
    max_prepay_amt: String(args.caps.maxPrepayAmtSats),
    max_miner_fee: String(args.caps.maxMinerFeeSats),
    outgoing_chan_set: args.outgoingChannelIds,
    sweep_conf_target: args.sweepConfTarget,
    label: args.label,
    initiator: "lvdao-relay",
  };
}

export function loopInBody(args: {
  amountSats: number;
  caps: LoopInFeeCaps;
  lastHopPubkey: string | null;
  label: string;
  htlcConfTarget: number;
}): Record<string, unknown> {
  return {
    amt: String(args.amountSats),
    max_swap_fee: String(args.caps.maxSwapFeeSats),
    max_miner_fee: String(args.caps.maxMinerFeeSats),
    ...(args.lastHopPubkey ? { last_hop: Buffer.from(args.lastHopPubkey, "hex").toString("base64") } : {}),
    htlc_conf_target: args.htlcConfTarget,
    label: args.label,
    initiator: "lvdao-relay",
  };
}

/** loopd's swap id (the HTLC hash) in a REST path: URL-safe base64 of the bytes. */
export const swapIdPath = (idHex: string) => Buffer.from(idHex, "hex").toString("base64url");

/** A short channel id as lnd's standard "123x4x0" or as loopd's uint64 decimal. */
export function channelIdToUint64(id: string): string {
  const parts = /^(\d+)x(\d+)x(\d+)$/.exec(id);
  if (!parts) return id;
  return (
    (BigInt(parts[1] as string) << 40n) |
    (BigInt(parts[2] as string) << 16n) |
    BigInt(parts[3] as string)
  ).toString();
}

/** The full SetLiquidityParams body: loopd's last answer with the typed fields laid over it. */
export function liquidityParamsBody(params: LiquidityParams): Record<string, unknown> {
  return {
    parameters: {
      ...params.raw,
      autoloop: params.autoloop,
      autoloop_budget_sat: String(params.budgetSats),
      autoloop_budget_refresh_period_sec: String(params.budgetRefreshPeriodSec),
      auto_max_in_flight: String(params.maxInFlight),
      min_swap_amount: String(params.minSwapSats),
      max_swap_amount: String(params.maxSwapSats),
      fee_ppm: String(params.feePpm),
      rules: params.rules.map((rule) => ({
        channel_id: rule.channelId,
        swap_type: rule.swapType,
        pubkey: rule.pubkey ? Buffer.from(rule.pubkey, "hex").toString("base64") : "",
        type: rule.type,
        incoming_threshold: rule.incomingThresholdPct,
        outgoing_threshold: rule.outgoingThresholdPct,
      })),
    },
  };
}

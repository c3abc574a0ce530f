// lv-ledger.get-lv-pricing and liquidity-oracle.get-liquidity as the quote function's inputs, for every reader
// (the CLI, the web app, the desk): one mapping, checked field by field, browser-safe.
import type { ClarityValue } from "@stacks/transactions";
import { Fields, optionalOf } from "../clarity/clarity-values.ts";
import type { LiquidityView, LvPricing } from "./pricing.ts";

/** The pricing in force and the Stacks block height it was set at. */
export type ChainPricing = LvPricing & { setAt: bigint };

/** get-lv-pricing's answer; null before any lv-pricing has passed. */
export function lvPricingOf(value: ClarityValue): ChainPricing | null {
  const inner = optionalOf(value, "get-lv-pricing");
  if (!inner) return null;
  const f = new Fields(inner, "lv pricing");
  return {
    referenceMsat: f.uint("reference-msat"),
    spreadBps: f.uint("spread-bps"),
    targetInboundBps: f.uint("target-inbound-bps"),
    premiumSlopeBps: f.uint("premium-slope-bps"),
    maxPremiumBps: f.uint("max-premium-bps"),
    quoteTtl: f.uint("quote-ttl"),
    maxTradeLv: f.uint("max-trade-lv"),
    maxPeriodLv: f.uint("max-period-lv"),
    period: f.uint("period"),
    setAt: f.uint("set-at"),
  };
}

/** The channel balances of get-liquidity's snapshot. */
export function liquidityViewOf(value: ClarityValue): LiquidityView {
  const f = new Fields(value, "liquidity");
  return { inboundSats: f.uint("inbound-sats"), outboundSats: f.uint("outbound-sats") };
}

/** A period's trade summary as lv-ledger.get-trade-summary keeps it; heights are Stacks heights. */
export interface RecordedTradeSummary {
  trades: bigint;
  lvVolume: bigint;
  satsVolume: bigint;
  avgPremiumBps: bigint;
  tradesHash: string;
  recordedAt: bigint;
}

/** get-trade-summary's answer; null when the period has no summary. */
export function tradeSummaryOf(value: ClarityValue): RecordedTradeSummary | null {
  const inner = optionalOf(value, "get-trade-summary");
  if (!inner) return null;
  const f = new Fields(inner, "trade summary");
  return {
    trades: f.uint("trades"),
    lvVolume: f.uint("lv-volume"),
    satsVolume: f.uint("sats-volume"),
    avgPremiumBps: f.uint("avg-premium-bps"),
    tradesHash: f.hex("trades-hash"),
    recordedAt: f.uint("recorded-at"),
  };
}

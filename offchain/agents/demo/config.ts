// The demo's economy, in one place: pricing the desk quotes with, the robots' revenue policy, the DAO's rebalance
// policy for the customer's channel, and the network's sizes. Chosen so a one-minute run shows every effect: the
// customer's flow crosses the loop-out floor within seconds, and the robots' conversions move the DAO's inbound
// share by whole percents, which the premium's slope turns into visible bps.
import type { RebalancePolicy } from "../../actions/index.ts";
import type { LvPricing } from "../../market/pricing.ts";
import type { RevenuePolicy } from "../policy.ts";

export const DEMO_PRICING: LvPricing = {
  /** 1 LV = 1 sat before premium and spread */
  referenceMsat: 1_000n,
  spreadBps: 100n,
  /** the DAO wants 60% of its capacity inbound, more than the balanced channels it opens with */
  targetInboundBps: 6_000n,
  /** 1 bp of premium per bp of shortfall */
  premiumSlopeBps: 100n,
  maxPremiumBps: 2_000n,
  quoteTtl: 60n,
  maxTradeLv: 1_000_000n,
  maxPeriodLv: 100_000_000n,
  period: 144n,
};

export const DEMO_ROBOT_POLICY: RevenuePolicy = {
  revenueThresholdSats: 5_000n,
  minInboundSats: 150_000n,
  reserveOutboundSats: 50_000n,
  maxConversionSats: 100_000n,
  minConversionSats: 1_000n,
};

/** The liquidity monitor's policy on the customer's channel; `peers` is filled with the customer's pubkey. */
export const DEMO_REBALANCE: Omit<RebalancePolicy, "peers"> = {
  minInboundPct: 45n,
  minOutboundPct: 10n,
  maxSwapFeePpm: 20_000n,
  budgetSats: 50_000_000n,
  budgetPeriod: 144n,
  maxInFlight: 1n,
};

export const DEMO_NETWORK = {
  peerChannelSats: 2_000_000,
  robotChannelSats: 500_000,
  lvSupply: 100_000_000n,
};

export const DEMO_TRAFFIC = {
  servicePriceSats: 2_000n,
  customerConcurrency: 4,
  robotBuyEveryMs: 400,
  blockEveryMs: 500,
  sampleEveryMs: 1_000,
};

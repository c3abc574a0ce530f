// The revenue policy: when a robot turns the sats it earned into LV at the desk, and how much it spends. Pure, so
// every rule is a row in policy.test.ts. A robot only ever converts revenue it has not converted yet, never its
// working capital, and always keeps `reserveOutboundSats` of outbound to pay other robots.
import { AgentError } from "./errors.ts";
import type { Liquidity } from "./ports.ts";

export interface RevenuePolicy {
  /** convert once the unconverted revenue reaches this many sats */
  revenueThresholdSats: bigint;
  /** convert (whatever revenue there is) once inbound falls below this many sats: paying the desk restores it */
  minInboundSats: bigint;
  /** outbound never spent on conversions, so the robot can keep paying for services */
  reserveOutboundSats: bigint;
  /** the most one conversion spends */
  maxConversionSats: bigint;
  /** below this a desk trade is not worth its routing fee and round trips */
  minConversionSats: bigint;
}

export type Trigger = "revenue" | "inbound";

export const HOLD_REASONS = ["below-threshold", "no-revenue", "reserve", "below-minimum"] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export type PolicyDecision =
  | { convert: true; trigger: Trigger; budgetSats: bigint }
  | { convert: false; reason: HoldReason };

export interface PolicyInput extends Liquidity {
  /** revenue earned and not yet converted */
  unconvertedSats: bigint;
}

/** Refuses a policy that could never convert or would spend capital; the message names the field. */
export function checkPolicy(policy: RevenuePolicy): RevenuePolicy {
  const fields = [
    "revenueThresholdSats",
    "minInboundSats",
    "reserveOutboundSats",
    "maxConversionSats",
    "minConversionSats",
  ] as const;
  for (const field of fields) {
    if (typeof policy[field] !== "bigint" || policy[field] < 0n)
      throw new AgentError("invalid-config", `policy.${field} must be a non-negative integer (bigint) of sats`);
  }
  if (policy.minConversionSats < 1n) throw new AgentError("invalid-config", "policy.minConversionSats must be >= 1");
  if (policy.maxConversionSats < policy.minConversionSats)
    throw new AgentError("invalid-config", "policy.maxConversionSats must be >= policy.minConversionSats");
  if (policy.revenueThresholdSats < policy.minConversionSats)
    throw new AgentError("invalid-config", "policy.revenueThresholdSats must be >= policy.minConversionSats");
  return policy;
}

export function decide(policy: RevenuePolicy, input: PolicyInput): PolicyDecision {
  const trigger: Trigger | null =
    input.unconvertedSats >= policy.revenueThresholdSats
      ? "revenue"
      : input.inboundSats < policy.minInboundSats
        ? "inbound"
        : null;
  if (trigger === null) return { convert: false, reason: "below-threshold" };
  if (input.unconvertedSats <= 0n) return { convert: false, reason: "no-revenue" };
  const spendable = input.outboundSats - policy.reserveOutboundSats;
  const budget = min(input.unconvertedSats, policy.maxConversionSats, spendable);
  if (budget < policy.minConversionSats)
    return { convert: false, reason: spendable < policy.minConversionSats ? "reserve" : "below-minimum" };
  return { convert: true, trigger, budgetSats: budget };
}

/**
 * The LV amount a budget buys at a quote's rate: floor(budget * lv / sats). The desk rounds its buy price up, so
 * this can come out one sat over the budget at the next quote; `refit` with that quote then lands under it.
 */
export function lvForBudget(budgetSats: bigint, quote: { lv: bigint; sats: bigint }): bigint {
  if (quote.lv <= 0n || quote.sats <= 0n)
    throw new AgentError("desk-answer", `a quote must have lv > 0 and sats > 0, got lv ${quote.lv} sats ${quote.sats}`);
  return budgetSats <= 0n ? 0n : (budgetSats * quote.lv) / quote.sats;
}

/** One step down from a quote that came out over budget: never the same lv again, never below 0. */
export function refit(budgetSats: bigint, quote: { lv: bigint; sats: bigint }): bigint {
  const fitted = lvForBudget(budgetSats, quote);
  return fitted < quote.lv ? fitted : quote.lv - 1n;
}

function min(...values: bigint[]): bigint {
  return values.reduce((a, b) => (b < a ? b : a));
}

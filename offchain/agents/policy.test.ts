import { describe, expect, it } from "vitest";
import { AgentError } from "./errors.ts";
import { checkPolicy, decide, lvForBudget, refit, type PolicyDecision, type RevenuePolicy } from "./policy.ts";

const POLICY: RevenuePolicy = {
  revenueThresholdSats: 10_000n,
  minInboundSats: 50_000n,
  reserveOutboundSats: 20_000n,
  maxConversionSats: 30_000n,
  minConversionSats: 1_000n,
};

describe("decide", () => {
  it.each<{ name: string; unconverted: bigint; inbound: bigint; outbound: bigint; expected: PolicyDecision }>([
    {
      name: "under both thresholds: hold",
      unconverted: 9_999n,
      inbound: 50_000n,
      outbound: 500_000n,
      expected: { convert: false, reason: "below-threshold" },
    },
    {
      name: "revenue exactly at the threshold converts all of it",
      unconverted: 10_000n,
      inbound: 900_000n,
      outbound: 500_000n,
      expected: { convert: true, trigger: "revenue", budgetSats: 10_000n },
    },
    {
      name: "revenue above the per-conversion cap spends the cap",
      unconverted: 45_000n,
      inbound: 900_000n,
      outbound: 500_000n,
      expected: { convert: true, trigger: "revenue", budgetSats: 30_000n },
    },
    {
      name: "inbound one sat under its floor converts the revenue there is",
      unconverted: 2_500n,
      inbound: 49_999n,
      outbound: 500_000n,
      expected: { convert: true, trigger: "inbound", budgetSats: 2_500n },
    },
    {
      name: "revenue wins over inbound when both trigger",
      unconverted: 12_000n,
      inbound: 0n,
      outbound: 500_000n,
      expected: { convert: true, trigger: "revenue", budgetSats: 12_000n },
    },
    {
      name: "low inbound without revenue: nothing to convert",
      unconverted: 0n,
      inbound: 0n,
      outbound: 500_000n,
      expected: { convert: false, reason: "no-revenue" },
    },
    {
      name: "the outbound reserve limits the budget",
      unconverted: 15_000n,
      inbound: 900_000n,
      outbound: 25_000n,
      expected: { convert: true, trigger: "revenue", budgetSats: 5_000n },
    },
    {
      name: "the reserve leaves less than the minimum: hold for reserve",
      unconverted: 15_000n,
      inbound: 900_000n,
      outbound: 20_999n,
      expected: { convert: false, reason: "reserve" },
    },
    {
      name: "outbound below the reserve: hold for reserve",
      unconverted: 15_000n,
      inbound: 900_000n,
      outbound: 5_000n,
      expected: { convert: false, reason: "reserve" },
    },
    {
      name: "inbound-triggered revenue under the minimum: hold",
      unconverted: 999n,
      inbound: 10n,
      outbound: 500_000n,
      expected: { convert: false, reason: "below-minimum" },
    },
    {
      name: "inbound-triggered revenue exactly at the minimum converts",
      unconverted: 1_000n,
      inbound: 10n,
      outbound: 500_000n,
      expected: { convert: true, trigger: "inbound", budgetSats: 1_000n },
    },
  ])("$name", ({ unconverted, inbound, outbound, expected }) => {
    expect(decide(POLICY, { unconvertedSats: unconverted, inboundSats: inbound, outboundSats: outbound })).toEqual(
      expected,
    );
  });
});

describe("checkPolicy", () => {
  it.each<{ name: string; change: Partial<RevenuePolicy>; message: RegExp }>([
    { name: "negative threshold", change: { revenueThresholdSats: -1n }, message: /revenueThresholdSats must be/ },
    {
      name: "a number, not a bigint",
      change: { reserveOutboundSats: 5 as unknown as bigint },
      message: /reserveOutboundSats must be/,
    },
    { name: "zero minimum", change: { minConversionSats: 0n }, message: /minConversionSats must be >= 1/ },
    { name: "max under min", change: { maxConversionSats: 999n }, message: /maxConversionSats must be >= / },
    {
      name: "threshold under min",
      change: { revenueThresholdSats: 999n },
      message: /revenueThresholdSats must be >= /,
    },
  ])("refuses $name", ({ change, message }) => {
    const attempt = () => checkPolicy({ ...POLICY, ...change });
    expect(attempt).toThrow(AgentError);
    expect(attempt).toThrow(message);
  });

  it("accepts the table's policy", () => {
    expect(checkPolicy(POLICY)).toBe(POLICY);
  });
});

describe("lvForBudget and refit", () => {
  it.each<{ budget: bigint; lv: bigint; sats: bigint; expected: bigint }>([
    { budget: 10_000n, lv: 1_000n, sats: 1_000n, expected: 10_000n },
    { budget: 10_000n, lv: 1_000n, sats: 1_051n, expected: 9_514n },
    { budget: 999n, lv: 1_000n, sats: 1_000n, expected: 999n },
    { budget: 0n, lv: 1_000n, sats: 1_000n, expected: 0n },
    { budget: 1n, lv: 1n, sats: 2n, expected: 0n },
  ])("lvForBudget($budget, $lv LV for $sats sats) = $expected", ({ budget, lv, sats, expected }) => {
    expect(lvForBudget(budget, { lv, sats })).toBe(expected);
  });

  it("refuses a quote with no LV or no sats", () => {
    expect(() => lvForBudget(10n, { lv: 0n, sats: 10n })).toThrow(/lv > 0 and sats > 0/);
    expect(() => lvForBudget(10n, { lv: 10n, sats: 0n })).toThrow(/lv > 0 and sats > 0/);
  });

  it.each<{ budget: bigint; lv: bigint; sats: bigint; expected: bigint }>([
    // The quote came out one sat over: the rate gives a smaller amount.
    { budget: 9_999n, lv: 10_000n, sats: 10_001n, expected: 9_998n },
    // Rounding would give the same amount again: one less instead.
    { budget: 100n, lv: 100n, sats: 101n, expected: 99n },
    { budget: 0n, lv: 1n, sats: 1n, expected: 0n },
  ])("refit($budget, $lv LV for $sats sats) = $expected", ({ budget, lv, sats, expected }) => {
    expect(refit(budget, { lv, sats })).toBe(expected);
  });
});

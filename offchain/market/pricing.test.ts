import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { inboundBps, premiumBps, quote, QuoteError, type LiquidityView, type LvPricing } from "./pricing.ts";

const PRICING: LvPricing = {
  referenceMsat: 1_000n,
  spreadBps: 100n,
  targetInboundBps: 5_000n,
  premiumSlopeBps: 20n,
  maxPremiumBps: 500n,
  quoteTtl: 60n,
  maxTradeLv: 1_000_000n,
  maxPeriodLv: 10_000_000n,
  period: 144n,
};
const view = (inboundSats: bigint, outboundSats: bigint): LiquidityView => ({ inboundSats, outboundSats });

describe("inboundBps", () => {
  it.each([
    ["no channels", 0n, 0n, 0n],
    ["all inbound", 5n, 0n, 10_000n],
    ["all outbound", 0n, 5n, 0n],
    ["a third, rounded down", 1n, 2n, 3_333n],
    ["two thirds, rounded down", 2n, 1n, 6_666n],
    ["30%", 3_000_000n, 7_000_000n, 3_000n],
  ])("%s: %i in, %i out -> %i bps", (_, inbound, outbound, bps) => {
    expect(inboundBps(view(inbound, outbound))).toBe(bps);
  });
});

describe("premiumBps", () => {
  it.each([
    ["inbound at the target", PRICING, view(5n, 5n), 0n],
    ["inbound above the target", PRICING, view(9n, 1n), 0n],
    // 20 bps per 1% of shortfall: 20% short -> 400 bps
    ["20% short", PRICING, view(3_000_000n, 7_000_000n), 400n],
    // 1 bps short (4999): 20 * 1 / 100 = 0.2 -> 0
    ["1 bps short, rounded down to 0", PRICING, view(4_999n, 5_001n), 0n],
    // 5 bps short: 20 * 5 / 100 = 1
    ["5 bps short", PRICING, view(4_995n, 5_005n), 1n],
    // 30% short: 600 bps, clamped to the 500 bps cap
    ["30% short, clamped to the cap", PRICING, view(2n, 8n), 500n],
    ["no channels: the whole target short, clamped", PRICING, view(0n, 0n), 500n],
    ["a zero slope", { ...PRICING, premiumSlopeBps: 0n }, view(0n, 1n), 0n],
    ["a zero cap", { ...PRICING, maxPremiumBps: 0n }, view(0n, 1n), 0n],
    ["a zero target", { ...PRICING, targetInboundBps: 0n }, view(0n, 1n), 0n],
    [
      "the widest curve: 100% short at 10000 bps per 1%, clamped to 5000",
      { ...PRICING, targetInboundBps: 10_000n, premiumSlopeBps: 10_000n, maxPremiumBps: 5_000n },
      view(0n, 1n),
      5_000n,
    ],
  ])("%s -> %i bps", (_, pricing, liquidity, bps) => {
    expect(premiumBps(pricing, liquidity)).toBe(bps);
  });
});

describe("quote", () => {
  const short = view(3_000_000n, 7_000_000n); // 3000 bps inbound: premium 400
  it.each([
    // 100,000 LV at 1000 msat = 100,000 sats; buy x 1.0450 (premium 400 + half spread 50), sell x 1.0350
    ["buy at a 400 bps premium", PRICING, short, "buy", 100_000n, 104_500n],
    ["sell at a 400 bps premium", PRICING, short, "sell", 100_000n, 103_500n],
    ["buy at the target, half spread only", PRICING, view(1n, 1n), "buy", 100_000n, 100_500n],
    ["sell at the target, half spread only", PRICING, view(1n, 1n), "sell", 100_000n, 99_500n],
    // 12,345 LV at 1234 msat = 15,233,730 msat; half of a 75 bps spread is 38 (rounded up)
    // buy: 15,233,730 x 10438 / 10^7 = 15,900.97 -> 15,901
    ["buy rounds up", { ...PRICING, referenceMsat: 1_234n, spreadBps: 75n }, short, "buy", 12_345n, 15_901n],
    // sell: 15,233,730 x 10362 / 10^7 = 15,785.19 -> 15,785
    ["sell rounds down", { ...PRICING, referenceMsat: 1_234n, spreadBps: 75n }, short, "sell", 12_345n, 15_785n],
    // 1 LV at 1 msat: a buyer pays 1 sat, the desk pays 0
    ["one msat bought costs a whole sat", { ...PRICING, referenceMsat: 1n }, short, "buy", 1n, 1n],
    ["one msat sold pays nothing", { ...PRICING, referenceMsat: 1n }, short, "sell", 1n, 0n],
    ["an exact buy is not rounded up", { ...PRICING, spreadBps: 0n }, view(1n, 1n), "buy", 10n, 10n],
    ["the largest trade", PRICING, view(1n, 1n), "buy", 1_000_000n, 1_005_000n],
    // the widest spread and no premium: sell at 10000 - 1000 bps
    ["a 2000 bps spread", { ...PRICING, spreadBps: 2_000n }, view(1n, 1n), "sell", 100_000n, 90_000n],
    // no channels: the premium is at its cap (500) on both sides
    ["no channels", PRICING, view(0n, 0n), "buy", 100_000n, 105_500n],
  ] as const)("%s: %s %i LV -> %i sats", (_, pricing, liquidity, side, lv, sats) => {
    expect(quote(pricing, liquidity, side, lv)).toEqual({
      side,
      lv,
      sats,
      premiumBps: premiumBps(pricing, liquidity),
      inboundBps: inboundBps(liquidity),
    });
  });

  it.each([
    ["zero LV", 0n, "bad-amount", "lv must be a positive number of LV base units, got 0"],
    ["negative LV", -5n, "bad-amount", "lv must be a positive number of LV base units, got -5"],
    ["one unit above max-trade-lv", 1_000_001n, "over-limit", "above the DAO's max-trade-lv of 1000000"],
  ] as const)("refuses %s with %s", (_, lv, code, reason) => {
    for (const side of ["buy", "sell"] as const) {
      let error: unknown;
      try {
        quote(PRICING, short, side, lv);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(QuoteError);
      expect((error as QuoteError).code).toBe(code);
      expect((error as QuoteError).reason).toContain(reason);
    }
  });

  it("rounds in the DAO's favour on both sides and never sells below buying (property)", () => {
    const pricing = fc.record({
      referenceMsat: fc.bigInt({ min: 1n, max: 10n ** 12n }),
      spreadBps: fc.bigInt({ min: 0n, max: 2_000n }),
      targetInboundBps: fc.bigInt({ min: 0n, max: 10_000n }),
      premiumSlopeBps: fc.bigInt({ min: 0n, max: 10_000n }),
      maxPremiumBps: fc.bigInt({ min: 0n, max: 5_000n }),
    });
    fc.assert(
      fc.property(
        pricing,
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.bigInt({ min: 1n, max: 10n ** 9n }),
        (p, inbound, outbound, lv) => {
          const full: LvPricing = { ...PRICING, ...p, maxTradeLv: 10n ** 9n };
          const liquidity = view(inbound, outbound);
          const buy = quote(full, liquidity, "buy", lv);
          const sell = quote(full, liquidity, "sell", lv);
          const half = (p.spreadBps + 1n) / 2n;
          const premium = buy.premiumBps;
          // exact value in msat x bps, compared with the sats each side pays
          const buyExact = lv * p.referenceMsat * (10_000n + premium + half);
          const sellExact = lv * p.referenceMsat * (10_000n + premium - half);
          expect(buy.sats * 10_000_000n >= buyExact).toBe(true);
          expect((buy.sats - 1n) * 10_000_000n < buyExact).toBe(true);
          expect(sell.sats * 10_000_000n <= sellExact).toBe(true);
          expect((sell.sats + 1n) * 10_000_000n > sellExact).toBe(true);
          expect(sell.sats <= buy.sats).toBe(true);
          expect(premium >= 0n && premium <= p.maxPremiumBps).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });
});

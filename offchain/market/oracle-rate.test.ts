// The oracle's rate table: LV units per BTC at scale 12 for each side, the half-spread rounded up, the premium on
// both sides, and each rate rounded the DAO's way (a sale down, a purchase up), checked against the exact fraction.
import { describe, expect, it } from "vitest";
import {
  assetRate,
  MSAT_PER_BTC,
  OracleRateError,
  RATE_SCALE,
  tapdUnitsToMsat,
  type OraclePricing,
  type TransactionType,
} from "./oracle-rate.ts";

const pricing = (referenceMsat: bigint, spreadBps: bigint): OraclePricing => ({ referenceMsat, spreadBps });

describe("assetRate", () => {
  const table: [string, OraclePricing, bigint, TransactionType, string][] = [
    ["1 sat a unit, no spread: 10^8 units per BTC", pricing(1000n, 0n), 0n, "SALE", "100000000000000000000"],
    ["the same on the purchase side", pricing(1000n, 0n), 0n, "PURCHASE", "100000000000000000000"],
    [
      "a sale adds half the spread (factor 10050), rounded down",
      pricing(1000n, 100n),
      0n,
      "SALE",
      "99502487562189054726",
    ],
    [
      "a purchase takes half the spread (factor 9950), rounded up",
      pricing(1000n, 100n),
      0n,
      "PURCHASE",
      "100502512562814070352",
    ],
    ["an odd spread's half rounds up (101 -> 51)", pricing(1000n, 101n), 0n, "SALE", "99492587802208735449"],
    ["the premium raises the sale price (factor 10300)", pricing(1000n, 100n), 250n, "SALE", "97087378640776699029"],
    ["and the purchase price (factor 10200)", pricing(1000n, 100n), 250n, "PURCHASE", "98039215686274509804"],
    ["3 msat a unit, spread 1: sale factor 10001", pricing(3n, 1n), 0n, "SALE", "33330000333300003333000"],
    ["3 msat a unit, spread 1: purchase factor 9999", pricing(3n, 1n), 0n, "PURCHASE", "33336667000033336667001"],
    ["1 BTC a unit: exactly one unit per BTC", pricing(MSAT_PER_BTC, 0n), 0n, "SALE", "1000000000000"],
    ["7 msat a unit: a purchase rounds 1/7 up", pricing(7n, 0n), 0n, "PURCHASE", "14285714285714285714286"],
    ["7 msat a unit: a sale rounds 1/7 down", pricing(7n, 0n), 0n, "SALE", "14285714285714285714285"],
  ];
  it.each(table)("%s", (_, p, premium, type, coefficient) => {
    expect(assetRate(p, premium, type)).toEqual({ coefficient, scale: RATE_SCALE });
  });

  it("rounds every rate the DAO's way: a sale at or below the exact rate, a purchase at or above, by under 1", () => {
    const scale = 10n ** BigInt(RATE_SCALE);
    for (const referenceMsat of [1n, 3n, 7n, 999n, 1000n, 1234567n, MSAT_PER_BTC])
      for (const spreadBps of [0n, 1n, 99n, 2000n])
        for (const premium of [0n, 1n, 333n, 5000n])
          for (const type of ["SALE", "PURCHASE"] as const) {
            const half = (spreadBps + 1n) / 2n;
            const factor = type === "SALE" ? 10_000n + premium + half : 10_000n + premium - half;
            // exact units per BTC = MSAT_PER_BTC * 10^4 / (referenceMsat * factor); compare rate * denominator
            const exact = MSAT_PER_BTC * 10_000n * scale;
            const denominator = referenceMsat * factor;
            const c = BigInt(assetRate(pricing(referenceMsat, spreadBps), premium, type).coefficient);
            if (type === "SALE") {
              expect(c * denominator <= exact).toBe(true);
              expect((c + 1n) * denominator > exact).toBe(true);
            } else {
              expect(c * denominator >= exact).toBe(true);
              expect((c - 1n) * denominator < exact).toBe(true);
            }
          }
  });

  it("refuses pricing with no reference value, a negative spread or premium", () => {
    const bad = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return [(error as OracleRateError).code, (error as Error).message];
      }
      return null;
    };
    expect(bad(() => assetRate(pricing(0n, 0n), 0n, "SALE"))).toEqual(["bad-pricing", "reference-msat must be > 0"]);
    expect(bad(() => assetRate(pricing(1000n, -1n), 0n, "SALE"))).toEqual(["bad-pricing", "spread-bps must be >= 0"]);
    expect(bad(() => assetRate(pricing(1000n, 0n), -1n, "SALE"))).toEqual([
      "bad-pricing",
      "the premium must be >= 0 bps",
    ]);
  });

  it("gives no purchase rate when the spread's half eats the whole price", () => {
    expect(() => assetRate(pricing(1000n, 20_000n), 0n, "PURCHASE")).toThrow(
      new OracleRateError("no-price", "the spread and premium leave no purchase price: the DAO buys no LV"),
    );
  });
});

describe("tapdUnitsToMsat at the oracle's rate", () => {
  // The desk's quote in msat before its own rounding to sats: lv * referenceMsat * factor / 10^4, exact rational.
  const table: [string, OraclePricing, bigint, TransactionType, bigint, bigint][] = [
    ["1 sat a unit, no spread: 5000 units = 5,000,000 msat", pricing(1000n, 0n), 0n, "SALE", 5000n, 5_000_000n],
    ["a sale with spread 100: 5000 units = 5,025,000 msat", pricing(1000n, 100n), 0n, "SALE", 5000n, 5_025_000n],
    [
      "a purchase with spread 100: 5000 units = 4,975,000 msat (tapd truncates the last msat)",
      pricing(1000n, 100n),
      0n,
      "PURCHASE",
      5000n,
      4_974_999n,
    ],
    ["a sale with premium 250: 1 unit = 1030 msat", pricing(1000n, 100n), 250n, "SALE", 1n, 1_030n],
    ["docs/market.md's sale: 5000 units = 5,150,000 msat", pricing(1000n, 100n), 250n, "SALE", 5000n, 5_150_000n],
    [
      "docs/market.md's purchase: 5000 units = 5,099,999 msat",
      pricing(1000n, 100n),
      250n,
      "PURCHASE",
      5000n,
      5_099_999n,
    ],
    ["7 msat a unit, a sale of 1,000,000 units", pricing(7n, 0n), 0n, "SALE", 1_000_000n, 7_000_000n],
  ];
  it.each(table)("%s", (_, p, premium, type, units, msat) => {
    expect(tapdUnitsToMsat(units, assetRate(p, premium, type))).toBe(msat);
  });
});

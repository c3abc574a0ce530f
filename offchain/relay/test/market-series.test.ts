import { describe, expect, it } from "vitest";
import type { LvPricing } from "../../market/pricing.ts";
import type { DeskTrade, TradeState } from "../journal/desk-types.ts";
import { MarketSeries, type MarketSample } from "../market/market-series.ts";
import { completedLv, seriesSampler } from "../market/series-sampler.ts";

const sample = (at: number, inboundBps = 5000n, premiumBps = 0n, lvVolume = 0n): MarketSample => ({
  at,
  inboundBps,
  premiumBps,
  lvVolume,
});

describe("MarketSeries", () => {
  it("keeps the newest samples up to its capacity, oldest first, integers as decimal strings", () => {
    const series = new MarketSeries(2);
    series.record(sample(1, 5000n, 0n, 0n));
    series.record(sample(2, 4800n, 40n, 100n));
    series.record(sample(3, 4500n, 100n, 2n ** 64n));
    expect(series.toJSON()).toEqual({
      samples: [
        { at: 2, inboundBps: "4800", premiumBps: "40", lvVolume: "100" },
        { at: 3, inboundBps: "4500", premiumBps: "100", lvVolume: "18446744073709551616" },
      ],
    });
  });

  it.each<{ name: string; bad: MarketSample; message: RegExp }>([
    { name: "a negative premium", bad: sample(5, 5000n, -1n), message: /premiumBps must be a non-negative bigint/ },
    { name: "inbound over 100%", bad: sample(5, 10_001n), message: /inboundBps must be at most 10000/ },
    { name: "a number volume", bad: { ...sample(5), lvVolume: 3 as unknown as bigint }, message: /lvVolume/ },
    { name: "a sample older than the last", bad: sample(3), message: /in time order/ },
  ])("refuses $name", ({ bad, message }) => {
    const series = new MarketSeries();
    series.record(sample(4));
    expect(() => series.record(bad)).toThrow(message);
    expect(series.samples()).toHaveLength(1);
  });

  it.each([0, -1, 1.5])("refuses capacity %s", (capacity) => {
    expect(() => new MarketSeries(capacity)).toThrow(/capacity must be a positive integer/);
  });
});

describe("seriesSampler", () => {
  const PRICING: LvPricing = {
    referenceMsat: 1_000n,
    spreadBps: 100n,
    targetInboundBps: 6_000n,
    premiumSlopeBps: 100n,
    maxPremiumBps: 2_000n,
    quoteTtl: 60n,
    maxTradeLv: 1_000n,
    maxPeriodLv: 10_000n,
    period: 10n,
  };

  it("samples at most every everyMs, only while a pricing is set, with the pricing rule's premium", async () => {
    let clock = 10_000;
    let pricing: LvPricing | undefined;
    let inbound = 4_000n;
    let reads = 0;
    const read = seriesSampler({
      view: async () => ({ pricing, liquidity: { inboundSats: inbound, outboundSats: 10_000n - inbound } }),
      lvVolume: async () => {
        reads += 1;
        return 500n * BigInt(reads);
      },
      everyMs: 5_000,
      now: () => clock,
    });
    expect(await read()).toEqual({ samples: [] });
    pricing = PRICING;
    expect((await read()).samples).toEqual([{ at: 10_000, inboundBps: "4000", premiumBps: "2000", lvVolume: "500" }]);
    clock += 4_999;
    inbound = 5_500n;
    expect((await read()).samples).toHaveLength(1);
    clock += 1;
    // 5% short of the 60% target at 100 bps per 1%: 500 bps
    expect((await read()).samples.at(-1)).toEqual({
      at: 15_000,
      inboundBps: "5500",
      premiumBps: "500",
      lvVolume: "1000",
    });
  });

  it("counts the LV of completed trades only, both sides", async () => {
    const trade = (state: TradeState, lv: bigint) => ({ state, lv }) as DeskTrade;
    const store = {
      periodsWithTrades: async () => [1n, 2n],
      tradesInPeriod: async (period: bigint) =>
        period === 1n
          ? [trade("settled", 100n), trade("cancelled", 1_000n), trade("sending", 10_000n)]
          : [trade("paid", 7n), trade("failed", 50n)],
    };
    expect(await completedLv(store)).toBe(107n);
  });
});

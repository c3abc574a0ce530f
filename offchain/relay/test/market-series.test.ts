import { describe, expect, it } from "vitest";
import { MarketSeries, type MarketSample } from "../status/market-series.ts";

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

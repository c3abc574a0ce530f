// The liquidity chart's data and geometry: reports read from liquidity-oracle's print events (serialized as the
// node's logs route returns them), and the scaling from burn heights and sats to SVG coordinates.
import { Cl } from "@stacks/transactions";
import { describe, expect, it } from "vitest";
import {
  chartLayout,
  liquidityHistory,
  niceCeiling,
  type ChartBox,
  type LiquidityPoint,
} from "../src/model/liquidity-history.ts";

const report = (burnHeight: number, outbound: bigint, inbound: bigint, onchain: bigint) => ({
  txid: `${burnHeight}`.padStart(64, "0"),
  hex: Cl.serialize(
    Cl.tuple({
      topic: Cl.stringAscii("liquidity-reported"),
      "onchain-sats": Cl.uint(onchain),
      "outbound-sats": Cl.uint(outbound),
      "inbound-sats": Cl.uint(inbound),
      channels: Cl.uint(1),
      "lv-reserve": Cl.uint(0),
      "lv-withdrawal": Cl.uint(0),
      reporter: Cl.principal("ST3AM1A56AK2C1XAFJ4115ZSV26EB49BVQ10MGCS0"),
      "burn-height": Cl.uint(burnHeight),
    }),
  ),
});

describe("liquidityHistory", () => {
  it("keeps liquidity-reported events only, ordered by burn height", () => {
    const other = { txid: "ff".repeat(32), hex: Cl.serialize(Cl.tuple({ topic: Cl.stringAscii("something-else") })) };
    const points = liquidityHistory([report(20, 3n, 4n, 5n), other, report(10, 1n, 2n, 3n)]);
    expect(points.map((p) => [p.burnHeight, p.outboundSats, p.inboundSats, p.onchainSats, p.channels])).toEqual([
      [10n, 1n, 2n, 3n, 1n],
      [20n, 3n, 4n, 5n, 1n],
    ]);
    expect(points[0]!.txid).toBe("10".padStart(64, "0"));
  });
});

describe("niceCeiling", () => {
  it.each([
    [0n, 1n],
    [1n, 1n],
    [2n, 2n],
    [3n, 5n],
    [6n, 10n],
    [11n, 20n],
    [2_500_001n, 5_000_000n],
    [12_345_678_901n, 20_000_000_000n],
  ])("%s -> %s", (n, expected) => {
    expect(niceCeiling(n)).toBe(expected);
  });
});

describe("chartLayout", () => {
  // a plot area 500 wide (x 100..600) and 200 high (y 10..210)
  const box: ChartBox = { width: 610, height: 240, left: 100, right: 10, top: 10, bottom: 30 };
  const point = (burnHeight: bigint, outboundSats: bigint, inboundSats = 0n, onchainSats = 0n): LiquidityPoint => ({
    burnHeight,
    outboundSats,
    inboundSats,
    onchainSats,
    channels: 1n,
    txid: "",
  });

  it("scales burn heights across and channel sats up from zero to a round top with four round ticks", () => {
    // the on-chain wallet is not drawn, so its 90,000,000 sats do not set the scale
    const layout = chartLayout([point(100n, 5_000_000n, 3_000_000n, 90_000_000n), point(200n, 8_000_000n, 1n)], box);
    expect(layout.yMax).toBe(8_000_000n);
    expect(layout.yTicks).toEqual([
      { value: 0n, y: 210 },
      { value: 2_000_000n, y: 160 },
      { value: 4_000_000n, y: 110 },
      { value: 6_000_000n, y: 60 },
      { value: 8_000_000n, y: 10 },
    ]);
    expect(layout.xTicks).toEqual([
      { height: 100n, x: 100 },
      { height: 150n, x: 350 },
      { height: 200n, x: 600 },
    ]);
    const outbound = layout.series.find((s) => s.key === "outboundSats")!;
    expect(outbound.points).toEqual([
      { x: 100, y: 85 },
      { x: 600, y: 10 },
    ]);
    expect(outbound.path).toBe("M100 85 L600 10");
    expect(layout.series.map((s) => s.label)).toEqual(["Outbound", "Inbound"]);
  });

  it("puts a single report in the middle, and all-zero reports on the bottom line", () => {
    const layout = chartLayout([point(42n, 0n)], box);
    expect(layout.yMax).toBe(4n);
    expect(layout.xTicks).toEqual([{ height: 42n, x: 350 }]);
    expect(layout.series[0]!.path).toBe("M350 210");
  });

  it("draws nothing for no reports", () => {
    const layout = chartLayout([], box);
    expect(layout.xTicks).toEqual([]);
    expect(layout.series.every((s) => s.path === "")).toBe(true);
  });

  it("keeps sats beyond 2^53 exact in the axis", () => {
    const layout = chartLayout([point(1n, 2n ** 60n)], box);
    expect(layout.yMax).toBe(2_000_000_000_000_000_000n);
    expect(layout.yTicks[1]!.value).toBe(500_000_000_000_000_000n);
  });
});

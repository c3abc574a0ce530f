// The node's liquidity over time, from liquidity-oracle's `liquidity-reported` events (docs/events.md): one point
// per report, at its burn height. And the chart's geometry: burn heights across, sats up from zero to a round top,
// as SVG path data. The chart draws the channel balances the DAO steers (outbound and inbound); the on-chain wallet,
// often a hundred times larger, would flatten them to the bottom line, so it stays in the snapshot beside the
// chart. Pure, so the scaling is tested without a browser.
import { Cl, type ClarityValue } from "@stacks/transactions";
import { stringOf, uintOf } from "../../../clarity/clarity-values.ts";

export interface LiquidityPoint {
  burnHeight: bigint;
  onchainSats: bigint;
  outboundSats: bigint;
  inboundSats: bigint;
  channels: bigint;
  txid: string;
}

/** The reports in liquidity-oracle's print events (oldest first, as the node's logs are read), by burn height. */
export function liquidityHistory(entries: { txid: string; hex: string }[]): LiquidityPoint[] {
  const points: LiquidityPoint[] = [];
  for (const entry of entries) {
    const value = Cl.deserialize(entry.hex.replace(/^0x/, ""));
    if (value.type !== "tuple") continue;
    const fields = value.value as Record<string, ClarityValue>;
    if (!fields.topic || stringOf(fields.topic, "topic") !== "liquidity-reported") continue;
    points.push({
      burnHeight: uintOf(fields["burn-height"], "burn-height"),
      onchainSats: uintOf(fields["onchain-sats"], "onchain-sats"),
      outboundSats: uintOf(fields["outbound-sats"], "outbound-sats"),
      inboundSats: uintOf(fields["inbound-sats"], "inbound-sats"),
      channels: uintOf(fields.channels, "channels"),
      txid: entry.txid,
    });
  }
  return points.sort((a, b) => (a.burnHeight < b.burnHeight ? -1 : a.burnHeight > b.burnHeight ? 1 : 0));
}

export const SERIES = [
  { key: "outboundSats", label: "Outbound" },
  { key: "inboundSats", label: "Inbound" },
] as const;
export type SeriesKey = (typeof SERIES)[number]["key"];

export interface ChartBox {
  width: number;
  height: number;
  /** room for the axis labels */
  left: number;
  bottom: number;
  top: number;
  right: number;
}

export interface ChartLayout {
  /** the top of the sats axis: a round number at or above every value */
  yMax: bigint;
  yTicks: { value: bigint; y: number }[];
  xTicks: { height: bigint; x: number }[];
  series: { key: SeriesKey; label: string; path: string; points: { x: number; y: number }[] }[];
}

/** The smallest 1, 2 or 5 × 10^k that is at least `n` (and at least 1). */
export function niceCeiling(n: bigint): bigint {
  let power = 1n;
  for (;;) {
    for (const step of [1n, 2n, 5n]) if (step * power >= n) return step * power;
    power *= 10n;
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Where each report goes: x by burn height over the reports' span (one report sits in the middle), y from 0 at
 * the bottom to `yMax` at the top, with `yMax` rounded up so that four equal ticks are round numbers.
 */
export function chartLayout(points: LiquidityPoint[], box: ChartBox): ChartLayout {
  const plotWidth = box.width - box.left - box.right;
  const plotHeight = box.height - box.top - box.bottom;
  let highest = 0n;
  for (const p of points) for (const { key } of SERIES) if (p[key] > highest) highest = p[key];
  const step = niceCeiling((highest + 3n) / 4n);
  const yMax = step * 4n;
  const y = (value: bigint): number =>
    round1(box.top + plotHeight - Number((value * 10_000n) / yMax) * (plotHeight / 10_000));
  const first = points[0]?.burnHeight ?? 0n;
  const span = (points.at(-1)?.burnHeight ?? 0n) - first;
  const x = (height: bigint): number =>
    round1(span === 0n ? box.left + plotWidth / 2 : box.left + (Number(height - first) / Number(span)) * plotWidth);
  const series = SERIES.map(({ key, label }) => {
    const at = points.map((p) => ({ x: x(p.burnHeight), y: y(p[key]) }));
    return { key, label, points: at, path: at.map((p, i) => `${i === 0 ? "M" : "L"}${p.x} ${p.y}`).join(" ") };
  });
  const xTicks =
    points.length === 0
      ? []
      : span === 0n
        ? [{ height: first, x: x(first) }]
        : [first, first + span / 2n, first + span].map((height) => ({ height, x: x(height) }));
  return {
    yMax,
    yTicks: [0n, 1n, 2n, 3n, 4n].map((i) => ({ value: step * i, y: y(step * i) })),
    xTicks,
    series,
  };
}

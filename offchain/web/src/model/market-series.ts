// The LV market over time, as the relay's GET /market/series serves it (docs/agents.md): the DAO node's inbound
// share, the desk's premium and the LV sold, one sample every few seconds. Parsing (integers arrive as decimal
// strings) and the chart's geometry: three panels over one time axis. Pure, so the scaling is tested without a
// browser.

export interface MarketPoint {
  /** unix milliseconds */
  at: number;
  inboundBps: bigint;
  premiumBps: bigint;
  lvVolume: bigint;
}

export class MarketSeriesError extends Error {
  override name = "MarketSeriesError";
}

const DIGITS = /^(0|[1-9]\d*)$/;

export function parseMarketSeries(json: unknown): MarketPoint[] {
  const samples = (json as { samples?: unknown } | null)?.samples;
  if (!Array.isArray(samples)) throw new MarketSeriesError("the market series has no samples list");
  return samples.map((raw, i) => {
    const s = raw as Record<string, unknown>;
    if (typeof s?.at !== "number" || !Number.isSafeInteger(s.at))
      throw new MarketSeriesError(`sample ${i}: at must be unix milliseconds`);
    const int = (field: string): bigint => {
      const v = s[field];
      if (typeof v !== "string" || !DIGITS.test(v))
        throw new MarketSeriesError(`sample ${i}: ${field} must be a non-negative integer as a decimal string`);
      return BigInt(v);
    };
    const point = { at: s.at, inboundBps: int("inboundBps"), premiumBps: int("premiumBps"), lvVolume: int("lvVolume") };
    if (point.inboundBps > 10_000n) throw new MarketSeriesError(`sample ${i}: inboundBps is over 10000`);
    return point;
  });
}

export const MARKET_PANELS = [
  { key: "inboundBps", label: "Inbound share", unit: "%" },
  { key: "premiumBps", label: "Premium", unit: "bps" },
  { key: "lvVolume", label: "LV sold", unit: "LV" },
] as const;
export type MarketKey = (typeof MARKET_PANELS)[number]["key"];

export interface MarketBox {
  width: number;
  /** one panel's height */
  panelHeight: number;
  gap: number;
  left: number;
  right: number;
}

export interface MarketPanelLayout {
  key: MarketKey;
  label: string;
  unit: string;
  top: number;
  /** the panel's axis top, in the panel's unit (percent for the inbound share) */
  max: bigint;
  path: string;
  last: string;
}

/** The smallest 1, 2 or 5 × 10^k at or above `n` (and at least 1). */
function niceCeiling(n: bigint): bigint {
  let power = 1n;
  for (;;) {
    for (const step of [1n, 2n, 5n]) if (step * power >= n) return step * power;
    power *= 10n;
  }
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

/**
 * Where each sample goes: x by time over the samples' span (one sample sits at the left edge), y from 0 at a
 * panel's bottom to its top: 100% for the inbound share, a round number at or above the highest value otherwise.
 */
export function marketLayout(points: MarketPoint[], box: MarketBox): MarketPanelLayout[] {
  const plotWidth = box.width - box.left - box.right;
  const first = points[0]?.at ?? 0;
  const span = (points.at(-1)?.at ?? 0) - first;
  const x = (at: number) => round1(box.left + (span === 0 ? 0 : ((at - first) / span) * plotWidth));
  return MARKET_PANELS.map((panel, index) => {
    const top = index * (box.panelHeight + box.gap);
    const highest = points.reduce((m, p) => (p[panel.key] > m ? p[panel.key] : m), 0n);
    const max = panel.key === "inboundBps" ? 10_000n : niceCeiling(highest);
    const y = (value: bigint) =>
      round1(top + box.panelHeight - (Number((value * 10_000n) / max) / 10_000) * box.panelHeight);
    const path = points.map((p, i) => `${i === 0 ? "M" : "L"}${x(p.at)} ${y(p[panel.key])}`).join(" ");
    const lastValue = points.at(-1)?.[panel.key] ?? 0n;
    return {
      key: panel.key,
      label: panel.label,
      unit: panel.unit,
      top,
      max: panel.key === "inboundBps" ? 100n : max,
      path,
      last: panel.key === "inboundBps" ? `${(Number(lastValue) / 100).toFixed(2)}%` : `${lastValue} ${panel.unit}`,
    };
  });
}

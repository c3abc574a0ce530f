// The desk's side of GET /market/series: a sample of the DAO node's inbound share, the premium it gives and the LV
// the desk has traded, taken when the series is read and the last sample is older than `everyMs` (the app polls
// every few seconds, so an unwatched relay does no work for it). No sample while no pricing is set on-chain.
import { inboundBps, premiumBps, type LiquidityView, type LvPricing } from "../../market/pricing.ts";
import { COMPLETED_STATES, type DeskStore } from "../journal/desk-types.ts";
import { MarketSeries, type MarketSeriesJson } from "./market-series.ts";

export interface SeriesSamplerOptions {
  view(): Promise<{ pricing: LvPricing | undefined; liquidity: LiquidityView }>;
  /** LV base units of every completed trade, both sides */
  lvVolume(): Promise<bigint>;
  series?: MarketSeries;
  everyMs?: number;
  now?: () => number;
}

export function seriesSampler(options: SeriesSamplerOptions): () => Promise<MarketSeriesJson> {
  const series = options.series ?? new MarketSeries();
  const everyMs = options.everyMs ?? 5_000;
  const now = options.now ?? Date.now;
  let last = Number.NEGATIVE_INFINITY;
  return async () => {
    const at = now();
    if (at - last >= everyMs) {
      const { pricing, liquidity } = await options.view();
      if (pricing) {
        series.record({
          at,
          inboundBps: inboundBps(liquidity),
          premiumBps: premiumBps(pricing, liquidity),
          lvVolume: await options.lvVolume(),
        });
        last = at;
      }
    }
    return series.toJSON();
  };
}

/** The LV of every completed trade in the desk's journal. */
export async function completedLv(store: Pick<DeskStore, "periodsWithTrades" | "tradesInPeriod">): Promise<bigint> {
  let total = 0n;
  for (const period of await store.periodsWithTrades())
    for (const trade of await store.tradesInPeriod(period))
      if (COMPLETED_STATES.includes(trade.state)) total += trade.lv;
  return total;
}

// The LV desk's trade summaries as the Liquidity page lists them: which periods to read and how a recorded summary
// reads. Periods count Stacks blocks as lv-ledger does (period index = stacks-block-height / period), and only a
// complete period (index below the current one) can have a summary.
import type { RecordedTradeSummary } from "../../../market/pricing-chain.ts";
import { formatBps, formatInteger, formatSats } from "./amounts.ts";
import { shortHex } from "./channels.ts";

/** How many complete periods the Liquidity page shows. */
export const SUMMARY_PERIODS = 6;

/** A complete period with the Stacks blocks it spans. */
export interface SummaryPeriod {
  index: bigint;
  firstBlock: bigint;
  lastBlock: bigint;
}

/** The newest `count` complete periods at `stacksHeight`, newest first; fewer near genesis. */
export function completePeriods(stacksHeight: bigint, period: bigint, count: number): SummaryPeriod[] {
  if (period <= 0n) throw new RangeError(`the pricing period must be at least one Stacks block, got ${period}`);
  if (stacksHeight < 0n) throw new RangeError(`the Stacks height cannot be negative, got ${stacksHeight}`);
  const current = stacksHeight / period;
  const periods: SummaryPeriod[] = [];
  for (let index = current - 1n; index >= 0n && periods.length < count; index--)
    periods.push({ index, firstBlock: index * period, lastBlock: (index + 1n) * period - 1n });
  return periods;
}

/** A recorded summary as text: human units shown, the raw integers and the full hash for tooltips. */
export interface SummaryText {
  trades: string;
  lvVolume: string;
  lvVolumeRaw: string;
  satsVolume: string;
  satsVolumeRaw: string;
  avgPremium: string;
  hashShort: string;
  hash: string;
}

export function summaryText(summary: RecordedTradeSummary): SummaryText {
  return {
    trades: formatInteger(summary.trades),
    lvVolume: `${formatInteger(summary.lvVolume)} LV`,
    lvVolumeRaw: `${summary.lvVolume} LV base units`,
    satsVolume: formatSats(summary.satsVolume),
    satsVolumeRaw: `${summary.satsVolume} sats`,
    // display only: the desk's average, in whole bps on-chain
    avgPremium: formatBps(summary.avgPremiumBps),
    hashShort: shortHex(summary.tradesHash),
    hash: summary.tradesHash,
  };
}

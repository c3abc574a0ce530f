// A period's trade summary, as `lv-ledger.record-trade-summary` records it and `lvdao audit` recomputes it. The
// canonical trade list is one line per completed trade (settled buys, paid sells) of the period, ordered by trade
// id (ASCII), each `<trade id>,<side>,<lv>,<sats>,<premium bps>\n` with decimal integers; trades-hash is the sha256
// of that text as UTF-8 (docs/market.md, "Auditing the desk", gives the command that recomputes it).
import { createHash } from "node:crypto";
import { COMPLETED_STATES, type DeskTrade } from "../journal/desk-types.ts";

export interface SummaryFigures {
  period: bigint;
  trades: bigint;
  lvVolume: bigint;
  satsVolume: bigint;
  /** the mean of the trades' premiums, floor; 0 for a period without trades */
  avgPremiumBps: bigint;
  tradesHash: string;
}

export function canonicalTradeList(trades: readonly DeskTrade[]): string {
  return trades
    .filter((t) => COMPLETED_STATES.includes(t.state))
    .map((t) => `${t.id},${t.side},${t.lv},${t.sats},${t.premiumBps}\n`)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .join("");
}

export function summarize(period: bigint, trades: readonly DeskTrade[]): SummaryFigures {
  const done = trades.filter((t) => t.period === period && COMPLETED_STATES.includes(t.state));
  const sum = (f: (t: DeskTrade) => bigint) => done.reduce((total, t) => total + f(t), 0n);
  const count = BigInt(done.length);
  return {
    period,
    trades: count,
    lvVolume: sum((t) => t.lv),
    satsVolume: sum((t) => t.sats),
    avgPremiumBps: count === 0n ? 0n : sum((t) => t.premiumBps) / count,
    tradesHash: createHash("sha256").update(canonicalTradeList(done), "utf8").digest("hex"),
  };
}

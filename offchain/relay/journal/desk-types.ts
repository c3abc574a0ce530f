// The LV desk's journal: quotes, trades and deposits that matched no trade, and the trade summaries recorded on-chain.
// Every trade step is a compare-and-set on its state, written before the daemon call it stands for, so a relay that
// dies mid-trade resumes it from the journal and never runs a step twice (offchain/relay/market/desk.ts).
import type { TradeState } from "../../market/trade-states.ts";

export type TradeSide = "buy" | "sell";

/**
 * buy:  quoted (hold invoice issued) -> held (HTLC waiting) -> sending (LV send journaled) -> delivered (anchor
 *       broadcast) -> settled; or cancelled (invoice cancelled, the buyer's HTLC returns).
 * sell: quoted (desk address issued) -> held (deposit received) -> sending (payout journaled) -> paid; or cancelled
 *       (no deposit in time) or failed (the payout could not be made; the deposit stays with the desk, listed).
 */
export { TRADE_STATES, type TradeState } from "../../market/trade-states.ts";

/** The states a trade ends in; `settled` and `paid` are the trades a period's summary counts. */
export const FINAL_STATES: readonly TradeState[] = ["settled", "cancelled", "paid", "refunded", "failed"];
export const COMPLETED_STATES: readonly TradeState[] = ["settled", "paid"];
/** The states whose LV counts against the period limit: every trade not called off. */
export const VOID_STATES: readonly TradeState[] = ["cancelled", "refunded"];

export interface DeskQuote {
  id: string;
  side: TradeSide;
  lv: bigint;
  sats: bigint;
  premiumBps: bigint;
  inboundBps: bigint;
  /** the LV group key (or asset id, for an ungrouped LV) the quote is for */
  groupKey: string;
  /** unix seconds */
  expiresAt: number;
  createdAt: number;
}

export interface DeskTrade {
  id: string;
  quoteId: string;
  side: TradeSide;
  state: TradeState;
  lv: bigint;
  sats: bigint;
  premiumBps: bigint;
  /** the Stacks trade-summary period the trade was opened in */
  period: bigint;
  /** buy: the buyer's address; sell: the desk's deposit address */
  tapAddress: string;
  /** buy: the desk's hold invoice; sell: the seller's invoice */
  invoice: string;
  paymentHash: string;
  /** buy: the hold invoice's preimage, kept until settled */
  preimage: string | null;
  anchorTxid: string | null;
  feeMsat: bigint | null;
  detail: string | null;
  /** unix seconds: buy, the HTLC must be held by then; sell, the deposit must have arrived */
  deadline: number;
  createdAt: number;
  updatedAt: number;
}

/** LV the desk received that no trade was waiting for: kept, listed by the API and the audit. */
export interface UnmatchedDeposit {
  address: string;
  /** `<txid>:<vout>` of the receiving anchor output */
  anchor: string;
  amount: bigint;
  /** the trade whose address it arrived on, if any */
  tradeId: string | null;
  reason: string;
  seenAt: number;
}

export interface TradeSummary {
  period: bigint;
  trades: bigint;
  lvVolume: bigint;
  satsVolume: bigint;
  avgPremiumBps: bigint;
  /** sha256 hex of the canonical trade list (offchain/relay/market/summary.ts) */
  tradesHash: string;
  txid: string | null;
  recordedAt: number;
}

export type OpenTradeResult =
  | { outcome: "created"; trade: DeskTrade }
  | { outcome: "exists"; trade: DeskTrade }
  | { outcome: "over-limit"; periodLv: bigint };

export interface DeskStore {
  addQuote(quote: DeskQuote): Promise<void>;
  quote(id: string): Promise<DeskQuote | undefined>;
  /**
   * Opens a trade for its quote unless one exists (then returns it) or the period's LV would pass `maxPeriodLv`;
   * checked and written in one transaction, so concurrent requests cannot both pass the limit.
   */
  openTrade(trade: DeskTrade, maxPeriodLv: bigint): Promise<OpenTradeResult>;
  trade(id: string): Promise<DeskTrade | undefined>;
  tradeByQuote(quoteId: string): Promise<DeskTrade | undefined>;
  /** Moves a trade from `from` to `to` with the given fields; false when it was no longer in `from`. */
  transition(id: string, from: TradeState, to: TradeState, patch: TradePatch, now: number): Promise<boolean>;
  /** Trades not in a final state, oldest first. */
  openTrades(): Promise<DeskTrade[]>;
  /** Every trade of a period, by id. */
  tradesInPeriod(period: bigint): Promise<DeskTrade[]>;
  /** Every period a trade was opened in, ascending. */
  periodsWithTrades(): Promise<bigint[]>;
  /** LV of the period's trades that count against its limit. */
  periodLv(period: bigint): Promise<bigint>;
  /** Sell trades called off or finished since `since` (ms): their addresses are still watched for late deposits. */
  watchedSells(since: number): Promise<DeskTrade[]>;
  addUnmatched(deposit: UnmatchedDeposit): Promise<boolean>;
  unmatched(): Promise<UnmatchedDeposit[]>;
  recordSummary(summary: TradeSummary): Promise<void>;
  summaries(): Promise<TradeSummary[]>;
}

export type TradePatch = Partial<Pick<DeskTrade, "preimage" | "anchorTxid" | "feeMsat" | "detail">>;

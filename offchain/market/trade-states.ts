// The states of an LV desk trade, as the desk journals them and its HTTP API reports them (docs/market.md, "The
// desk API"): the relay's desk and the robots' desk client share this one list.
export const TRADE_STATES = [
  "quoted",
  "held",
  "sending",
  "delivered",
  "settled",
  "cancelled",
  "paid",
  "refunded",
  "failed",
] as const;
export type TradeState = (typeof TRADE_STATES)[number];

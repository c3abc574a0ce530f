// What a robot needs from the world, as ports it is given: its own lnd (sell and pay), its own tapd (receive LV) and
// the DAO's desk (quote and buy). The adapters over the real clients live in lightning-adapters.ts and
// desk-client.ts; tests pass fakes of these and nothing else. Sats are bigint everywhere.
import type { TradeState } from "../market/trade-states.ts";

export interface Liquidity {
  /** what this node can receive: the channels' remote balances */
  inboundSats: bigint;
  /** what this node can send: the channels' local balances */
  outboundSats: bigint;
}

export interface Invoice {
  paymentHash: string;
  request: string;
  sats: bigint;
}

export interface Payment {
  paymentHash: string;
  sats: bigint;
  feeSats: bigint;
}

export interface RobotLightning {
  /** A BOLT 11 invoice for `sats` on this robot's node. */
  createInvoice(sats: bigint, memo: string): Promise<Invoice>;
  /** Whether an invoice of this node is settled, and for how much. */
  invoiceState(paymentHash: string): Promise<{ settled: boolean; receivedSats: bigint }>;
  /** The amount a BOLT 11 request asks for, read from the request itself. */
  invoiceAmount(request: string): Promise<bigint>;
  /** Pays a request; resolves when the payee settles, rejects when the payment fails or the invoice is cancelled. */
  pay(request: string, maxFeeSats: bigint): Promise<Payment>;
  liquidity(): Promise<Liquidity>;
}

export interface RobotTapd {
  /** A Taproot Assets address for `lv` base units of the group. */
  newAddress(groupKey: string, lv: bigint): Promise<string>;
  /** This node's LV balance in base units (0 before the first receipt). */
  lvBalance(groupKey: string): Promise<bigint>;
}

export type Side = "buy" | "sell";

/** The desk's quote (docs/agents.md, the desk HTTP API), integers parsed to bigint. */
export interface DeskQuote {
  quoteId: string;
  side: Side;
  lv: bigint;
  sats: bigint;
  premiumBps: bigint;
  inboundBps: bigint;
  /** unix seconds */
  expiresAt: number;
  groupKey: string;
}

export { TRADE_STATES, type TradeState } from "../market/trade-states.ts";

export interface DeskTrade {
  tradeId: string;
  side: Side;
  state: TradeState;
  lv: bigint;
  sats: bigint;
}

export interface DeskPort {
  quote(side: Side, lv: bigint): Promise<DeskQuote>;
  buy(quoteId: string, tapAddress: string): Promise<{ tradeId: string; invoice: string }>;
  trade(tradeId: string): Promise<DeskTrade>;
}

// The LV desk's quote: a pure function of the DAO's pricing (lv-ledger.get-lv-pricing) and one liquidity
// snapshot (liquidity-oracle.get-liquidity), so anyone can recompute any quote (docs/market.md "Pricing").
// Integer-exact: bigint throughout, every division rounded in the DAO's favour.

/** lv-ledger's pricing, as the lv-pricing kind sets it (units in docs/market.md). */
export interface LvPricing {
  /** msat one LV base unit stands for */
  referenceMsat: bigint;
  /** the full buy/sell spread, bps */
  spreadBps: bigint;
  /** the inbound share the DAO wants, bps of inbound + outbound */
  targetInboundBps: bigint;
  /** premium bps per 1% (100 bps) of inbound shortfall below the target */
  premiumSlopeBps: bigint;
  /** the premium's cap, bps */
  maxPremiumBps: bigint;
  /** seconds a quote stays valid */
  quoteTtl: bigint;
  /** LV base units per trade */
  maxTradeLv: bigint;
  /** LV base units per period */
  maxPeriodLv: bigint;
  /** the trade-summary period, Stacks blocks */
  period: bigint;
}

/** The channel balances of a liquidity snapshot, sats. */
export interface LiquidityView {
  inboundSats: bigint;
  outboundSats: bigint;
}

export interface Quote {
  side: "buy" | "sell";
  lv: bigint;
  sats: bigint;
  premiumBps: bigint;
  inboundBps: bigint;
}

export type QuoteErrorCode = "bad-amount" | "over-limit";

export class QuoteError extends Error {
  override readonly name = "QuoteError";
  constructor(
    readonly code: QuoteErrorCode,
    readonly reason: string,
  ) {
    super(`${code}: ${reason}`);
  }
}

const BPS = 10_000n;
/** msat per sat times the bps denominator: sats = lv * msat * bps / (10000 * 1000). */
const DENOMINATOR = BPS * 1_000n;

const ceilDiv = (a: bigint, b: bigint): bigint => (a + b - 1n) / b;

/** The inbound share of the channels, bps, rounded down; a node without channel balance has 0. */
export function inboundBps(l: LiquidityView): bigint {
  const total = l.inboundSats + l.outboundSats;
  return total === 0n ? 0n : (l.inboundSats * BPS) / total;
}

/**
 * The premium: premium-slope-bps per 100 bps of inbound shortfall below the target, rounded down, clamped to
 * [0, max-premium-bps]. At or above the target there is none.
 */
export function premiumBps(p: LvPricing, l: LiquidityView): bigint {
  const inbound = inboundBps(l);
  if (inbound >= p.targetInboundBps) return 0n;
  const raw = (p.premiumSlopeBps * (p.targetInboundBps - inbound)) / 100n;
  return raw > p.maxPremiumBps ? p.maxPremiumBps : raw;
}

/**
 * The sats for `lv` LV base units. Each side carries half the spread, rounded up, and the premium:
 * - buy (a buyer pays sats for LV): ceil(lv * reference-msat * (10000 + premium + half) / 10^7);
 * - sell (the desk pays sats for LV): floor(lv * reference-msat * max(0, 10000 + premium - half) / 10^7).
 * Refuses lv <= 0 (bad-amount) and lv above max-trade-lv (over-limit).
 */
export function quote(p: LvPricing, l: LiquidityView, side: "buy" | "sell", lv: bigint): Quote {
  if (lv <= 0n) throw new QuoteError("bad-amount", `lv must be a positive number of LV base units, got ${lv}`);
  if (lv > p.maxTradeLv)
    throw new QuoteError("over-limit", `lv ${lv} is above the DAO's max-trade-lv of ${p.maxTradeLv} LV base units`);
  const premium = premiumBps(p, l);
  const half = ceilDiv(p.spreadBps, 2n);
  const base = lv * p.referenceMsat;
  let sats: bigint;
  if (side === "buy") {
    sats = ceilDiv(base * (BPS + premium + half), DENOMINATOR);
  } else {
    const factor = BPS + premium - half;
    sats = (base * (factor > 0n ? factor : 0n)) / DENOMINATOR;
  }
  return { side, lv, sats, premiumBps: premium, inboundBps: inboundBps(l) };
}

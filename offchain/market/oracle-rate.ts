// The DAO's LV price in the form tapd's price oracle RPC wants it: asset units per BTC as a FixedPoint
// (coefficient / 10^scale). Pure and integer-exact: the same on-chain pricing and premium always give the same
// coefficient, and every rounding goes the DAO's way. docs/market.md "The price oracle" works through the units.

/** The on-chain pricing fields the rate depends on (a subset of pricing.ts's LvPricing). */
export interface OraclePricing {
  /** msat one LV base unit stands for */
  referenceMsat: bigint;
  /** full buy/sell spread, bps */
  spreadBps: bigint;
}

/**
 * tapd's transaction types, from the side of the node that asks its oracle: SALE = that node sells LV to its peer
 * (the peer buys LV with BTC, the desk's "buy"), PURCHASE = that node buys LV from its peer (the desk's "sell").
 */
export type TransactionType = "SALE" | "PURCHASE";

export interface FixedPoint {
  /** decimal digits, no sign */
  coefficient: string;
  scale: number;
}

/** 1 BTC in msat: tapd's rates are units per BTC, its amounts msat. */
export const MSAT_PER_BTC = 100_000_000_000n;
/**
 * Decimal places of every rate the oracle gives. 12 keeps at least 8 significant digits for an LV unit worth up
 * to 1 BTC, and tapd carries the coefficient as a big integer, so a large one costs nothing.
 */
export const RATE_SCALE = 12;

const BPS = 10_000n;

export class OracleRateError extends Error {
  override name = "OracleRateError";
  constructor(
    readonly code: "bad-pricing" | "no-price",
    reason: string,
  ) {
    super(reason);
  }
}

/** The price factor in bps, as in the desk's quote: half the spread rounded up, added for a sale, taken for a purchase. */
export function priceFactorBps(pricing: OraclePricing, premiumBps: bigint, type: TransactionType): bigint {
  if (pricing.referenceMsat <= 0n) throw new OracleRateError("bad-pricing", "reference-msat must be > 0");
  if (pricing.spreadBps < 0n) throw new OracleRateError("bad-pricing", "spread-bps must be >= 0");
  if (premiumBps < 0n) throw new OracleRateError("bad-pricing", "the premium must be >= 0 bps");
  const half = (pricing.spreadBps + 1n) / 2n;
  if (type === "SALE") return BPS + premiumBps + half;
  const factor = BPS + premiumBps - half;
  return factor > 0n ? factor : 0n;
}

/**
 * LV units per BTC as a FixedPoint at RATE_SCALE. One LV unit costs referenceMsat * factor / 10000 msat, so
 * units per BTC = 10^11 * 10^4 / (referenceMsat * factor). A sale rounds down (fewer LV for each BTC the peer
 * pays), a purchase rounds up (more LV for each BTC the DAO pays): the DAO never gives away a fraction.
 */
export function assetRate(pricing: OraclePricing, premiumBps: bigint, type: TransactionType): FixedPoint {
  const factor = priceFactorBps(pricing, premiumBps, type);
  if (factor === 0n)
    throw new OracleRateError("no-price", "the spread and premium leave no purchase price: the DAO buys no LV");
  const numerator = MSAT_PER_BTC * BPS * 10n ** BigInt(RATE_SCALE);
  const denominator = pricing.referenceMsat * factor;
  const quotient = numerator / denominator;
  const coefficient = type === "PURCHASE" && quotient * denominator !== numerator ? quotient + 1n : quotient;
  if (coefficient === 0n)
    throw new OracleRateError("no-price", "one LV unit is worth more than 10^12 BTC: the rate rounds to 0");
  return { coefficient: coefficient.toString(), scale: RATE_SCALE };
}

/**
 * What `units` LV come to in msat at `rate`, computed as tapd's rfqmath UnitsToMilliSatoshi does (fixed point at
 * scale max(11, rate.scale), truncating the BTC amount, then the msat): the tests use it to check that tapd, paying
 * at the oracle's rate, lands within 1 msat of the desk's own quote.
 */
export function tapdUnitsToMsat(units: bigint, rate: FixedPoint): bigint {
  const scale = BigInt(Math.max(11, rate.scale));
  const rateAtScale = BigInt(rate.coefficient) * 10n ** (scale - BigInt(rate.scale));
  const btc = (units * 10n ** scale * 10n ** scale) / rateAtScale;
  return (btc * MSAT_PER_BTC) / 10n ** scale;
}

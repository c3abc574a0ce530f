// The LV quote: a pure function of the DAO's on-chain pricing (`lv-ledger.get-lv-pricing`) and one liquidity
// snapshot, so anyone can recompute a quote the desk gave. Everything is bigint; rounding favours the DAO.
export interface LvPricing {
  referenceMsat: bigint;
  spreadBps: bigint;
  targetInboundBps: bigint;
  premiumSlopeBps: bigint;
  maxPremiumBps: bigint;
  quoteTtl: bigint;
  maxTradeLv: bigint;
  maxPeriodLv: bigint;
  period: bigint;
}

export interface LiquidityView {
  inboundSats: bigint;
  outboundSats: bigint;
}

/** inbound share in bps, floor; 0 channels -> 0 */
export function inboundBps(l: LiquidityView): bigint {
  const total = l.inboundSats + l.outboundSats;
  return total === 0n ? 0n : (l.inboundSats * 10_000n) / total;
}

/** premium = clamp(slope * (target - inbound) / 100, 0, max), floor */
export function premiumBps(p: LvPricing, l: LiquidityView): bigint {
  const shortfall = p.targetInboundBps - inboundBps(l);
  if (shortfall <= 0n) return 0n;
  const premium = (p.premiumSlopeBps * shortfall) / 100n;
  return premium > p.maxPremiumBps ? p.maxPremiumBps : premium;
}

export interface Quote {
  side: "buy" | "sell";
  lv: bigint;
  sats: bigint;
  premiumBps: bigint;
  inboundBps: bigint;
}

/** side "buy" = a buyer pays sats for LV (rounded up: ceil); "sell" = the desk pays sats for LV (rounded down). */
export function quote(p: LvPricing, l: LiquidityView, side: "buy" | "sell", lv: bigint): Quote {
  if (lv <= 0n) throw new RangeError(`lv must be positive, got ${lv}`);
  if (lv > p.maxTradeLv) throw new RangeError(`lv ${lv} is over the per-trade limit ${p.maxTradeLv}`);
  const premium = premiumBps(p, l);
  const half = (p.spreadBps + 1n) / 2n;
  const divisor = 10_000n * 1000n;
  let sats: bigint;
  if (side === "buy") {
    const numerator = lv * p.referenceMsat * (10_000n + premium + half);
    sats = (numerator + divisor - 1n) / divisor;
  } else {
    const factor = 10_000n + premium - half;
    sats = (lv * p.referenceMsat * (factor > 0n ? factor : 0n)) / divisor;
  }
  return { side, lv, sats, premiumBps: premium, inboundBps: inboundBps(l) };
}

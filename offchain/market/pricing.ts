// The LV quote: a pure function of the DAO's on-chain pricing (lv-ledger.get-lv-pricing) and one liquidity
// snapshot, so anyone can recompute a desk quote. Rounding favours the DAO on both sides: half the spread is
// rounded up, a buyer pays the ceiling and a seller gets the floor.

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
  return total <= 0n ? 0n : (l.inboundSats * 10_000n) / total;
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
  if (lv <= 0n) throw new Error(`quote: lv must be > 0, got ${lv}`);
  if (lv > p.maxTradeLv) throw new Error(`quote: lv ${lv} is over the per-trade limit ${p.maxTradeLv}`);
  const premium = premiumBps(p, l);
  const half = (p.spreadBps + 1n) / 2n;
  const scale = 10_000n * 1_000n;
  const sats =
    side === "buy"
      ? (lv * p.referenceMsat * (10_000n + premium + half) + scale - 1n) / scale
      : (lv * p.referenceMsat * max0(10_000n + premium - half)) / scale;
  return { side, lv, sats, premiumBps: premium, inboundBps: inboundBps(l) };
}

function max0(value: bigint): bigint {
  return value < 0n ? 0n : value;
}

// conviction-voting's maths in the page (docs/conviction.md), with the contract's own fixed-point steps and
// rounding, so a projection drawn here lands on the values get-conviction will answer: a^t by squaring at scale
// 10^19, the closed form y(t) = y0 a^t + x (1 - a^t) / (1 - a), and the threshold rho S / ((1 - a)(beta - r/R)^2).

export const SCALE = 10n ** 12n;
const POW_SCALE = 10n ** 19n;
const POW_HALF = POW_SCALE / 2n;
const SCALE_TO_POW = POW_SCALE / SCALE;
const BPS_TO_SCALE = SCALE / 10_000n;
const MAX_UINT = (1n << 128n) - 1n;
const TWO_POW_64 = 1n << 64n;
/** conviction-voting's ERR_REQUEST_TOO_LARGE: the request leaves no margin below the maximum ratio. */
export const ERR_REQUEST_TOO_LARGE = 1708n;

const mulPow = (x: bigint, y: bigint): bigint => (x * y + POW_HALF) / POW_SCALE;

/** a^t at scale 10^19 for a = decay / 10^12, by squaring over the bits of t (the contract's power-at). */
export function decayPower(decay: bigint, t: bigint): bigint {
  if (decay < 0n || decay >= SCALE) throw new RangeError(`decay must be in [0, 10^12), got ${decay}`);
  if (t < 0n) throw new RangeError(`t must not be negative, got ${t}`);
  if (t === 0n) return POW_SCALE;
  if (t >= TWO_POW_64) return 0n;
  let result = POW_SCALE;
  let square = decay * SCALE_TO_POW;
  for (let rest = t; rest > 0n; rest /= 2n) {
    if (rest % 2n === 1n) result = mulPow(result, square);
    if (rest > 1n) square = mulPow(square, square);
  }
  return result;
}

const mulDivDown = (v: bigint, f: bigint, d: bigint): bigint => (v / d) * f + ((v % d) * f) / d;

function mulDivUp(v: bigint, f: bigint, d: bigint): bigint {
  const whole = v / d;
  const low = ((v % d) * f + (d - 1n)) / d;
  if (f > 0n && whole > (MAX_UINT - low) / f) return MAX_UINT;
  return whole * f + low;
}

/** Conviction t burn blocks after it was y0, with stake x held throughout (the contract's conviction-after). */
export function convictionAfter(y0: bigint, x: bigint, decay: bigint, t: bigint): bigint {
  const power = decayPower(decay, t);
  return mulDivDown(y0, power, POW_SCALE) + mulDivDown(x, POW_SCALE - power, (SCALE - decay) * SCALE_TO_POW);
}

export interface ThresholdInputs {
  /** rho at scale 10^12. */
  weight: bigint;
  /** S: GT base units staked on open proposals, at least the proposal's frozen minimum. */
  support: bigint;
  decay: bigint;
  maxRatioBps: bigint;
  /** r, 0 for a proposal that asks for nothing from a pool. */
  requested: bigint;
  poolAmount: bigint;
}

/** The threshold (the contract's threshold-of), or ERR_REQUEST_TOO_LARGE's code when r/R >= beta. */
export function thresholdOf(p: ThresholdInputs): { ok: true; value: bigint } | { ok: false; code: bigint } {
  const beta = p.maxRatioBps * BPS_TO_SCALE;
  const ratio = p.requested === 0n ? 0n : p.poolAmount === 0n ? MAX_UINT : mulDivUp(p.requested, SCALE, p.poolAmount);
  if (ratio >= beta) return { ok: false, code: ERR_REQUEST_TOO_LARGE };
  const margin = beta - ratio;
  const weighted = p.support > MAX_UINT / p.weight ? MAX_UINT : p.weight * p.support;
  const perMargin = mulDivUp(weighted, SCALE, margin);
  const threshold = mulDivUp(perMargin, SCALE, (SCALE - p.decay) * margin);
  return { ok: true, value: threshold === 0n ? 1n : threshold };
}

/** The conviction a constant stake x approaches: x / (1 - a). */
export function convictionLimit(x: bigint, decay: bigint): bigint {
  return (x * SCALE) / (SCALE - decay);
}

/**
 * The first t (burn blocks from now, at most `horizon`) at which conviction reaches `threshold` with the stake held
 * as it is, or null when it never does within the horizon. Conviction only rises toward x / (1 - a) when it starts
 * below, so a binary search over t finds the first block.
 */
export function blocksToPass(
  y0: bigint,
  x: bigint,
  decay: bigint,
  threshold: bigint,
  horizon = 1n << 20n,
): bigint | null {
  if (y0 >= threshold) return 0n;
  if (convictionAfter(y0, x, decay, horizon) < threshold) return null;
  let low = 0n; // below the threshold at low
  let high = horizon; // at or above at high
  while (high - low > 1n) {
    const mid = (low + high) / 2n;
    if (convictionAfter(y0, x, decay, mid) >= threshold) high = mid;
    else low = mid;
  }
  return high;
}

/** Conviction at `points` evenly spaced burn blocks from now to now + span, stake held constant. */
export function convictionSeries(
  y0: bigint,
  x: bigint,
  decay: bigint,
  span: bigint,
  points = 48,
): { t: bigint; conviction: bigint }[] {
  const series: { t: bigint; conviction: bigint }[] = [];
  for (let i = 0; i <= points; i++) {
    const t = (span * BigInt(i)) / BigInt(points);
    series.push({ t, conviction: convictionAfter(y0, x, decay, t) });
  }
  return series;
}

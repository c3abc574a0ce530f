// Amounts as the app shows and reads them. Every amount is a bigint in its base unit (GT base units, sats, bps);
// these functions only turn them into text and back, with no floating point on the way.

/** GT has 6 decimals: 1 GT = 1,000,000 base units. */
export const GT_DECIMALS = 6;
const GT_UNIT = 10n ** BigInt(GT_DECIMALS);

export class AmountError extends Error {
  override name = "AmountError";
}

/** 1234567 -> "1,234,567". */
export function formatInteger(value: bigint): string {
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString();
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** GT base units as GT: 1500000n -> "1.5", 10n**12n -> "1,000,000". Trailing zeros of the fraction are dropped. */
export function formatGt(base: bigint): string {
  const sign = base < 0n ? "-" : "";
  const magnitude = base < 0n ? -base : base;
  const whole = formatInteger(magnitude / GT_UNIT);
  const fraction = (magnitude % GT_UNIT).toString().padStart(GT_DECIMALS, "0").replace(/0+$/, "");
  return `${sign}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** "1,000.25" GT -> 1000250000n base units. At most 6 decimals; no sign, no exponent. */
export function parseGt(text: string): bigint {
  const clean = text.trim().replace(/[,_\s]/g, "");
  const match = /^(\d*)(?:\.(\d*))?$/.exec(clean);
  if (!match || clean === "" || clean === ".")
    throw new AmountError(`"${text}" is not a GT amount (digits, at most ${GT_DECIMALS} decimals)`);
  const [, whole = "", fraction = ""] = match;
  if (fraction.length > GT_DECIMALS)
    throw new AmountError(`"${text}" has more than ${GT_DECIMALS} decimals; 0.000001 GT is the smallest unit`);
  return BigInt(whole || "0") * GT_UNIT + BigInt(fraction.padEnd(GT_DECIMALS, "0"));
}

/** A whole number typed by a person: "1,000" -> 1000n. */
export function parseWhole(text: string, what: string): bigint {
  const clean = text.trim().replace(/[,_\s]/g, "");
  if (!/^\d+$/.test(clean)) throw new AmountError(`${what} must be a whole number, got "${text}"`);
  return BigInt(clean);
}

/** bps as a percentage for display: 2500n -> "25%", 3333n -> "33.33%". */
export function formatBps(bps: bigint): string {
  const whole = bps / 100n;
  const fraction = (bps % 100n).toString().padStart(2, "0").replace(/0+$/, "");
  return `${formatInteger(whole)}${fraction ? `.${fraction}` : ""}%`;
}

/** sats with grouping, and BTC for display (the only place a float appears). */
export function formatSats(sats: bigint): string {
  const btc = Number(sats) / 1e8;
  return `${formatInteger(sats)} sats (${btc.toLocaleString("en-US", { maximumFractionDigits: 8 })} BTC)`;
}

/** part/whole as a display percentage, for progress bars; 0 when whole is 0. */
export function ratioPercent(part: bigint, whole: bigint): number {
  if (whole <= 0n) return 0;
  return Number((part * 10_000n) / whole) / 100;
}

/** A span of seconds for a person: "45 s", "12 min", "3 h 20 min", "2 d 4 h". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ""}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ""}`;
}

// An exact-enough decimal reference for the conviction maths: a value is mantissa * 10^exponent with the
// mantissa cut to 60 significant digits, so a chain of a few hundred operations stays accurate to ~10^-55,
// far below the 10^-6 the contract is held to. Values as small as a^t for t = 2^20 (10^-300000 and less)
// keep their relative precision, which a fixed-point BigInt reference would lose.

const DIGITS = 60n;

export type Decimal = { readonly mantissa: bigint; readonly exponent: bigint };

function normalize(mantissa: bigint, exponent: bigint): Decimal {
  if (mantissa === 0n) return { mantissa: 0n, exponent: 0n };
  const sign = mantissa < 0n ? -1n : 1n;
  let magnitude = mantissa * sign;
  const excess = BigInt(magnitude.toString().length) - DIGITS;
  if (excess > 0n) {
    magnitude /= 10n ** excess;
    exponent += excess;
  }
  return { mantissa: magnitude * sign, exponent };
}

/** value * 10^exponent */
export function decimal(value: bigint, exponent = 0n): Decimal {
  return normalize(value, exponent);
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return normalize(a.mantissa * b.mantissa, a.exponent + b.exponent);
}

// Position of the most significant digit, used to drop a term too small to change the sum.
function magnitudeOf(a: Decimal): bigint {
  const digits = (a.mantissa < 0n ? -a.mantissa : a.mantissa).toString().length;
  return a.exponent + BigInt(digits);
}

export function add(a: Decimal, b: Decimal): Decimal {
  if (a.mantissa === 0n) return b;
  if (b.mantissa === 0n) return a;
  if (magnitudeOf(a) - magnitudeOf(b) > DIGITS + 2n) return a;
  if (magnitudeOf(b) - magnitudeOf(a) > DIGITS + 2n) return b;
  const exponent = a.exponent < b.exponent ? a.exponent : b.exponent;
  return normalize(a.mantissa * 10n ** (a.exponent - exponent) + b.mantissa * 10n ** (b.exponent - exponent), exponent);
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  return add(a, { mantissa: -b.mantissa, exponent: b.exponent });
}

export function divide(a: Decimal, b: Decimal): Decimal {
  if (b.mantissa === 0n) throw new RangeError("division by zero");
  const shift = DIGITS + 2n;
  return normalize((a.mantissa * 10n ** shift) / b.mantissa, a.exponent - b.exponent - shift);
}

/** a^t by squaring; t may be large (2^20 and beyond). */
export function power(a: Decimal, t: bigint): Decimal {
  let result = decimal(1n);
  let square = a;
  for (let rest = t; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = multiply(result, square);
    if (rest > 1n) square = multiply(square, square);
  }
  return result;
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const difference = subtract(a, b).mantissa;
  return difference > 0n ? 1 : difference < 0n ? -1 : 0;
}

export function absolute(a: Decimal): Decimal {
  return a.mantissa < 0n ? { mantissa: -a.mantissa, exponent: a.exponent } : a;
}

/** True when |got - exact| <= relative * exact + absoluteUnits. */
export function isWithin(got: bigint, exact: Decimal, relative: Decimal, absoluteUnits: bigint): boolean {
  const error = absolute(subtract(decimal(got), exact));
  const tolerance = add(multiply(absolute(exact), relative), decimal(absoluteUnits));
  return compare(error, tolerance) <= 0;
}

/** |got - exact| / exact as a float, for reporting only. */
export function relativeError(got: bigint, exact: Decimal): number {
  if (exact.mantissa === 0n) return got === 0n ? 0 : Infinity;
  const ratio = divide(absolute(subtract(decimal(got), exact)), absolute(exact));
  return Number(ratio.mantissa) * 10 ** Number(ratio.exponent);
}

/** The exact conviction reference: a^t * y0 + x * (1 - a^t) / (1 - a), with a = decay / 10^12. */
export function exactConviction(y0: bigint, x: bigint, decay: bigint, t: bigint): Decimal {
  const a = decimal(decay, -12n);
  const at = power(a, t);
  const one = decimal(1n);
  return add(multiply(at, decimal(y0)), divide(multiply(decimal(x), subtract(one, at)), subtract(one, a)));
}

/** The exact threshold reference: rho * S / ((1 - a) * (beta - r/R)^2); null when r/R >= beta. */
export function exactThreshold(
  weight: bigint,
  support: bigint,
  decay: bigint,
  maxRatioBps: bigint,
  requested: bigint,
  pool: bigint,
): Decimal | null {
  const beta = decimal(maxRatioBps, -4n);
  if (requested > 0n && pool === 0n) return null;
  const ratio = requested === 0n ? decimal(0n) : divide(decimal(requested), decimal(pool));
  if (compare(ratio, beta) >= 0) return null;
  const margin = subtract(beta, ratio);
  const oneMinusA = subtract(decimal(1n), decimal(decay, -12n));
  return divide(multiply(decimal(weight, -12n), decimal(support)), multiply(oneMinusA, multiply(margin, margin)));
}

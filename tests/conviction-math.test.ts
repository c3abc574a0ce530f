/// <reference path="../node_modules/@stacks/clarinet-sdk/vitest-helpers/src/global.d.ts" />
// Property tests of conviction-voting's fixed-point maths against an exact decimal reference
// (tests/helpers/ext-decimal.ts): a^t by squaring, the lazy conviction update, and the threshold.
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { Cl, ClarityType, type ClarityValue } from "@stacks/transactions";
import {
  decimal,
  exactConviction,
  exactThreshold,
  isWithin,
  multiply,
  power,
  relativeError,
  compare,
  divide,
  subtract,
} from "./helpers/ext-decimal.ts";
import { errorOf } from "./helpers/ext-governance.ts";

const POW_SCALE = 10n ** 19n;
const ONE_PPM = decimal(1n, -6n);
const MAX_T = 1n << 20n;
const DEFAULT_DECAY = 998_396_779_171n;

const deployer = simnet.deployer;

function readUint(fn: string, args: bigint[]): bigint {
  const { result } = simnet.callReadOnlyFn(
    "conviction-voting",
    fn,
    args.map((v) => Cl.uint(v)),
    deployer,
  );
  if (result.type !== ClarityType.ResponseOk || result.value.type !== ClarityType.UInt) {
    throw new Error(`${fn} returned ${JSON.stringify(result)}`);
  }
  return BigInt(result.value.value);
}

function readResponse(fn: string, args: bigint[]): ClarityValue {
  return simnet.callReadOnlyFn(
    "conviction-voting",
    fn,
    args.map((v) => Cl.uint(v)),
    deployer,
  ).result;
}

// cv-decay over its whole allowed range, with extra weight near 1 (long memory, where 1 - a^t is tiny and
// hardest to get right) and on the default.
const decayArb = fc.oneof(
  fc.bigInt(500_000_000_000n, 999_999_999_999n),
  fc.bigInt(999_990_000_000n, 999_999_999_999n),
  fc.constant(DEFAULT_DECAY),
);
// t up to 2^20, with extra weight on small t and on all-ones bit patterns (the most roundings).
const tArb = fc.oneof(
  fc.bigInt(0n, MAX_T),
  fc.bigInt(0n, 64n),
  fc.integer({ min: 1, max: 20 }).map((bits) => (1n << BigInt(bits)) - 1n),
  fc.constant(MAX_T),
);
const stakeArb = fc.bigInt(0n, 10n ** 16n); // up to 10^10 GT, far above any supply
const RUNS = 1000;
const MAX_UINT = (1n << 128n) - 1n;

describe("decay-power", () => {
  it("stays within 10^-6 relative (plus one unit of 10^-19) of the exact a^t for t up to 2^20", () => {
    let worst = 0;
    fc.assert(
      fc.property(decayArb, tArb, (decay, t) => {
        const got = readUint("decay-power", [decay, t]);
        const exact = multiply(power(decimal(decay, -12n), t), decimal(POW_SCALE));
        if (compare(exact, decimal(10n ** 7n)) >= 0) worst = Math.max(worst, relativeError(got, exact));
        return isWithin(got, exact, ONE_PPM, 1n);
      }),
      { numRuns: RUNS },
    );
    console.log(`decay-power: worst relative error ${worst.toExponential(2)} where a^t >= 10^-12`);
    expect(worst).toBeLessThan(1e-6);
  });

  it("is 0 for t >= 2^64, where every allowed a^t is below 10^-19", () => {
    expect(readUint("decay-power", [999_999_999_999n, 1n << 64n])).toBe(0n);
  });

  it("gives half after one half-life of the default decay", () => {
    const half = readUint("decay-power", [DEFAULT_DECAY, 432n]);
    expect(Number(half) / Number(POW_SCALE)).toBeCloseTo(0.5, 6);
  });
});

describe("project-conviction", () => {
  it("stays within 10^-6 relative (plus two units of rounding) of the exact update for t up to 2^20", () => {
    let worst = 0;
    fc.assert(
      fc.property(
        decayArb,
        tArb,
        stakeArb,
        stakeArb,
        fc.bigInt(0n, 1_000_000n),
        (decay, t, x, previousStake, fraction) => {
          // y0 anywhere in [0, previousStake / (1 - a)], the values a stored conviction can take
          const y0 = (previousStake * fraction * 1_000_000_000_000n) / (1_000_000n * (1_000_000_000_000n - decay));
          const got = readUint("project-conviction", [y0, x, decay, t]);
          const exact = exactConviction(y0, x, decay, t);
          if (compare(exact, decimal(10n ** 7n)) >= 0) worst = Math.max(worst, relativeError(got, exact));
          return isWithin(got, exact, ONE_PPM, 2n);
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`project-conviction: worst relative error ${worst.toExponential(2)} where y >= 10^7`);
    expect(worst).toBeLessThan(1e-6);
  });

  it("never exceeds max(y0, x / (1 - a))", () => {
    fc.assert(
      fc.property(decayArb, tArb, stakeArb, stakeArb, (decay, t, x, y0) => {
        const got = readUint("project-conviction", [y0, x, decay, t]);
        const ceiling = divide(decimal(x), subtract(decimal(1n), decimal(decay, -12n)));
        return compare(decimal(got), ceiling) <= 0 || got <= y0;
      }),
      { numRuns: RUNS },
    );
  });
});

describe("threshold-for", () => {
  const weightArb = fc.oneof(fc.bigInt(1n, 10n ** 12n), fc.constant(2_500_000_000n));
  const supportArb = fc.bigInt(0n, 10n ** 18n);
  const betaArb = fc.oneof(fc.bigInt(1n, 10_000n), fc.constant(2_000n));
  // a request as a fraction (in millionths) of beta * R, so both sides of the limit are well covered
  const requestArb = fc.tuple(fc.bigInt(0n, 10n ** 16n), fc.bigInt(0n, 1_200_000n));

  it("is never below the exact value, and within 10^-6 of it when beta - r/R >= 10^-5", () => {
    let worst = 0;
    fc.assert(
      fc.property(
        weightArb,
        supportArb,
        decayArb,
        betaArb,
        requestArb,
        (weight, support, decay, beta, [pool, share]) => {
          const requested = (pool * beta * share) / (10_000n * 1_000_000n);
          const result = readResponse("threshold-for", [weight, support, decay, beta, requested, pool]);
          const exact = exactThreshold(weight, support, decay, beta, requested, pool);
          if (exact === null) return result.type === ClarityType.ResponseErr;
          const margin = subtract(
            decimal(beta, -4n),
            requested === 0n ? decimal(0n) : divide(decimal(requested), decimal(pool)),
          );
          if (compare(margin, decimal(1n, -12n)) <= 0) return true; // within one ratio unit of beta: either answer
          if (result.type !== ClarityType.ResponseOk || result.value.type !== ClarityType.UInt) return false;
          const got = BigInt(result.value.value);
          // An exact threshold above the largest uint saturates there (see the saturation test below).
          if (compare(exact, decimal(MAX_UINT)) > 0) return got === MAX_UINT;
          if (compare(decimal(got), exact) < 0 && got !== 1n) return false;
          if (compare(margin, decimal(1n, -5n)) < 0 || weight * support < 1_000_000n) return true;
          if (compare(exact, decimal(10n ** 7n)) >= 0) worst = Math.max(worst, relativeError(got, exact));
          return isWithin(got, exact, ONE_PPM, 2n);
        },
      ),
      { numRuns: RUNS },
    );
    console.log(`threshold-for: worst relative error ${worst.toExponential(2)} where the threshold >= 10^7`);
    expect(worst).toBeLessThan(1e-6);
  });

  it("saturates at 2^128 - 1 when the exact threshold does not fit in a uint", () => {
    const result = readResponse("threshold-for", [10n ** 12n, 10n ** 30n, 999_999_999_999n, 1n, 0n, 0n]);
    expect(result).toStrictEqual(Cl.ok(Cl.uint((1n << 128n) - 1n)));
  });

  it.each([
    ["decay-power with a = 1", "decay-power", [10n ** 12n, 5n]],
    ["project-conviction with a > 1", "project-conviction", [0n, 10n, 10n ** 12n + 1n, 5n]],
    ["threshold-for with weight 0", "threshold-for", [0n, 10n, DEFAULT_DECAY, 2_000n, 0n, 0n]],
    ["threshold-for with max ratio 0", "threshold-for", [1n, 10n, DEFAULT_DECAY, 0n, 0n, 0n]],
    ["threshold-for with max ratio above 100%", "threshold-for", [1n, 10n, DEFAULT_DECAY, 10_001n, 0n, 0n]],
  ])("refuses %s with ERR_BAD_PARAMETER", (_case, fn, args) => {
    expect(readResponse(fn as string, args as bigint[])).toStrictEqual(
      errorOf("conviction-voting", "ERR_BAD_PARAMETER"),
    );
  });

  it("answers ERR_REQUEST_TOO_LARGE at r/R = beta exactly and on an empty pool", () => {
    expect(
      readResponse("threshold-for", [2_500_000_000n, 10n ** 12n, DEFAULT_DECAY, 2_000n, 200n, 1_000n]),
    ).toStrictEqual(errorOf("conviction-voting", "ERR_REQUEST_TOO_LARGE"));
    expect(readResponse("threshold-for", [2_500_000_000n, 10n ** 12n, DEFAULT_DECAY, 2_000n, 1n, 0n])).toStrictEqual(
      errorOf("conviction-voting", "ERR_REQUEST_TOO_LARGE"),
    );
  });
});

// Amounts stay bigint from input to display; these tables pin the text each side of the conversion.
import { describe, expect, it } from "vitest";
import {
  AmountError,
  formatBps,
  formatDuration,
  formatGt,
  formatInteger,
  formatSats,
  parseGt,
  parseWhole,
  ratioPercent,
} from "../src/model/amounts.ts";

describe("formatInteger", () => {
  it.each([
    [0n, "0"],
    [999n, "999"],
    [1000n, "1,000"],
    [1_234_567n, "1,234,567"],
    [-1_000_000n, "-1,000,000"],
    [2n ** 70n, "1,180,591,620,717,411,303,424"],
  ])("%s -> %s", (value, text) => {
    expect(formatInteger(value)).toBe(text);
  });
});

describe("formatGt and parseGt", () => {
  it.each([
    [0n, "0"],
    [1n, "0.000001"],
    [1_500_000n, "1.5"],
    [10n ** 12n, "1,000,000"],
    [100_000_000_001n, "100,000.000001"],
  ])("%s base units read as %s GT and parse back", (base, text) => {
    expect(formatGt(base)).toBe(text);
    expect(parseGt(text)).toBe(base);
  });

  it.each(["", ".", "1.0000001", "-1", "1e6", "abc", "1.2.3"])("refuses %j with an AmountError", (text) => {
    expect(() => parseGt(text)).toThrow(AmountError);
  });

  it("accepts a bare fraction and grouping separators", () => {
    expect(parseGt(".25")).toBe(250_000n);
    expect(parseGt(" 1_000.25 ")).toBe(1_000_250_000n);
  });
});

describe("parseWhole", () => {
  it("reads grouped whole numbers beyond 2^53 exactly", () => {
    expect(parseWhole("9,007,199,254,740,993", "votes")).toBe(9_007_199_254_740_993n);
  });
  it.each(["1.5", "-3", "", "ten"])("refuses %j, naming the field", (text) => {
    expect(() => parseWhole(text, "votes")).toThrow(/votes must be a whole number/);
  });
});

describe("display-only conversions", () => {
  it.each([
    [2500n, "25%"],
    [3333n, "33.33%"],
    [5n, "0.05%"],
    [10_000n, "100%"],
  ])("formatBps(%s) = %s", (bps, text) => {
    expect(formatBps(bps)).toBe(text);
  });

  it("formatSats groups sats and shows BTC", () => {
    expect(formatSats(1_000_000n)).toBe("1,000,000 sats (0.01 BTC)");
  });

  it("ratioPercent rounds down to hundredths and is 0 for an empty whole", () => {
    expect(ratioPercent(1n, 3n)).toBe(33.33);
    expect(ratioPercent(5n, 0n)).toBe(0);
    expect(ratioPercent(3n, 2n)).toBe(150);
  });

  it.each([
    [0, "0 s"],
    [59.4, "59 s"],
    [600, "10 min"],
    [3_600, "1 h"],
    [12_000, "3 h 20 min"],
    [187_200, "2 d 4 h"],
    [-5, "0 s"],
  ])("formatDuration(%s) = %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

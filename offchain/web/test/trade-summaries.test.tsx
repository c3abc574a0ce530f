// The Liquidity page's trade summaries: which complete periods are read, and how a summary (or its absence) reads.
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RecordedTradeSummary } from "../../market/pricing-chain.ts";
import { TradeSummaries, TradeSummaryTable } from "../src/components/TradeSummaries.tsx";
import { completePeriods, summaryText } from "../src/model/trade-summaries.ts";

const SUMMARY: RecordedTradeSummary = {
  trades: 12n,
  lvVolume: 1_234_567n,
  satsVolume: 250_000_000n,
  avgPremiumBps: 125n,
  tradesHash: "ab".repeat(32),
  recordedAt: 300n,
};

const text = (html: string): string => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

describe("completePeriods", () => {
  it.each([
    // height, period, count, indices newest first
    ["mid-chain", 1_000n, 144n, 6, [5n, 4n, 3n, 2n, 1n, 0n]],
    ["more periods than asked", 2_000n, 144n, 3, [12n, 11n, 10n]],
    ["on a boundary: the period starting there is current", 288n, 144n, 6, [1n, 0n]],
    ["one block before the boundary", 287n, 144n, 6, [0n]],
    ["inside the first period", 143n, 144n, 6, []],
    ["genesis", 0n, 144n, 6, []],
    ["period of one block", 5n, 1n, 2, [4n, 3n]],
  ])("%s", (_, height, period, count, indices) => {
    expect(completePeriods(height, period, count).map((p) => p.index)).toEqual(indices);
  });

  it("gives each period's Stacks blocks", () => {
    expect(completePeriods(300n, 144n, 6)).toEqual([
      { index: 1n, firstBlock: 144n, lastBlock: 287n },
      { index: 0n, firstBlock: 0n, lastBlock: 143n },
    ]);
  });

  it.each([
    [100n, 0n, "the pricing period must be at least one Stacks block, got 0"],
    [-1n, 144n, "the Stacks height cannot be negative, got -1"],
  ])("refuses height %s with period %s", (height, period, message) => {
    expect(() => completePeriods(height, period, 6)).toThrow(message);
  });
});

describe("summaryText", () => {
  it.each([
    [
      "a busy period",
      SUMMARY,
      {
        trades: "12",
        lvVolume: "1,234,567 LV",
        lvVolumeRaw: "1234567 LV base units",
        satsVolume: "250,000,000 sats (2.5 BTC)",
        satsVolumeRaw: "250000000 sats",
        avgPremium: "1.25%",
        hashShort: "ababab…abab",
        hash: "ab".repeat(32),
      },
    ],
    [
      "a period with no premium",
      { ...SUMMARY, trades: 1n, lvVolume: 10n, satsVolume: 9n, avgPremiumBps: 0n, tradesHash: "00".repeat(32) },
      {
        trades: "1",
        lvVolume: "10 LV",
        lvVolumeRaw: "10 LV base units",
        satsVolume: "9 sats (0.00000009 BTC)",
        satsVolumeRaw: "9 sats",
        avgPremium: "0%",
        hashShort: "000000…0000",
        hash: "00".repeat(32),
      },
    ],
  ])("%s", (_, summary, expected) => {
    expect(summaryText(summary)).toEqual(expected);
  });
});

describe("TradeSummaryTable", () => {
  it("shows a recorded summary and says when a period has none", () => {
    const [newer, older] = completePeriods(300n, 144n, 6);
    const html = renderToStaticMarkup(
      <TradeSummaryTable
        rows={[
          { period: newer!, summary: SUMMARY },
          { period: older!, summary: null },
        ]}
      />,
    );
    expect(text(html)).toContain("1 12 1,234,567 LV 250,000,000 sats (2.5 BTC) 1.25% ababab…abab");
    expect(text(html)).toContain("0 no summary recorded");
    expect(html).toContain(`title="${"ab".repeat(32)}"`);
    expect(html).toContain('title="1234567 LV base units"');
    expect(html).toContain('title="Stacks blocks 144-287"');
  });

  it("says so before any period has ended", () => {
    expect(text(renderToStaticMarkup(<TradeSummaryTable rows={[]} />))).toContain("No pricing period has ended yet.");
  });

  it("is one line when no lv-pricing is set", () => {
    expect(text(renderToStaticMarkup(<TradeSummaries pricing={null} />)).trim()).toBe(
      "No lv-pricing is set, so the desk records no trade summaries.",
    );
  });
});
